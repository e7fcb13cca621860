"""Signing up, signing in by text message, the profile, and the merchant's own data."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts.forms import LoginForm, ResetPasswordForm
from accounts.views import accounts, sms_login

app_name = "accounts"

urlpatterns = [
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/sms/", sms_login.request_code, name="sms_login"),
    path("accounts/sms/code/", sms_login.verify_code, name="sms_verify"),
    path("accounts/sms/name/", sms_login.choose_name, name="sms_name"),
    path("accounts/sms/verify-mobile/", sms_login.verify_mobile, name="mobile_verify"),
    path("accounts/profile/", accounts.profile, name="profile"),
    path("accounts/export/", accounts.export_data, name="export"),
    path("accounts/delete/", accounts.delete_account, name="delete_account"),
]

# Django's own login, logout and password views, with our templates and emails, throttled (accounts/throttle.py).
auth_urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", accounts.PasswordReset.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=ResetPasswordForm, success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/password/", accounts.PasswordChange.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
