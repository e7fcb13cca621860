from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .forms import LoginForm
from .forms.accounts import ResetPasswordForm
from .views import accounts, casefiles, cases, documents, evidence, facts, notices, sms_login
from .views.wizard import ladder_wizard

app_name = "disputes"

urlpatterns = [
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/sms/", sms_login.request_code, name="sms_login"),
    path("accounts/sms/code/", sms_login.verify_code, name="sms_verify"),
    path("accounts/sms/name/", sms_login.choose_name, name="sms_name"),
    path("accounts/sms/verify-mobile/", sms_login.verify_mobile, name="mobile_verify"),
    path("accounts/profile/", accounts.profile, name="profile"),
    path("accounts/calendar/reset/", notices.calendar_reset, name="calendar_reset"),
    path("accounts/export/", accounts.export_data, name="export"),
    path("accounts/delete/", accounts.delete_account, name="delete_account"),
    path("notifications/", notices.notification_list, name="notifications"),
    path("notifications/read/", notices.notifications_read, name="notifications_read"),
    path("reminders/snooze/<str:token>/", notices.snooze, name="snooze"),
    path("reminders/unsubscribe/<str:token>/", notices.unsubscribe, name="unsubscribe"),
    path("calendar/<str:token>.ics", notices.calendar_feed, name="calendar"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<uuid:case>/", cases.case_detail, name="case"),
    path("cases/<uuid:case>/timeline/", cases.case_timeline, name="timeline"),
    path("cases/<uuid:case>/case.json", casefiles.case_file, name="case_file"),
    path("cases/<uuid:case>/reopen/", cases.case_reopen, name="reopen"),
    path("cases/<uuid:case>/help/", cases.ask_for_help, name="help"),
    path("cases/<uuid:case>/ladder/<str:step>/", ladder_wizard, name="ladder_step"),
    path("cases/<uuid:case>/facts/", facts.case_facts, name="facts"),
    path("cases/<uuid:case>/facts/person/", facts.save_person, name="facts_person"),
    path("cases/<uuid:case>/facts/respondent/", facts.save_respondent, name="facts_respondent"),
    path("cases/<uuid:case>/facts/agent/", facts.save_agent, name="facts_agent"),
    path("cases/<uuid:case>/facts/details/", facts.save_details, name="facts_details"),
    path("cases/<uuid:case>/facts/charges/", facts.add_charge, name="charge_add"),
    path("cases/<uuid:case>/facts/charges/<uuid:charge>/", facts.edit_charge, name="charge_edit"),
    path("cases/<uuid:case>/facts/charges/<uuid:charge>/trades/", facts.add_trade, name="trade_add"),
    path("cases/<uuid:case>/facts/charges/<uuid:charge>/trades/remove/", facts.remove_trade, name="trade_remove"),
    path("cases/<uuid:case>/facts/charges/<uuid:charge>/confirm/", facts.confirm_overcharge, name="overcharge_confirm"),
    path("cases/<uuid:case>/facts/deception/", facts.save_deception, name="facts_deception"),
    path("cases/<uuid:case>/steps/<uuid:step>/answer/", cases.record_answer, name="answer"),
    path("cases/<uuid:case>/steps/<uuid:step>/delivery/", cases.record_delivery, name="delivery"),
    path("cases/<uuid:case>/steps/<uuid:step>/snooze/", notices.snooze_step, name="snooze_step"),
    path("cases/<uuid:case>/evidence/", evidence.evidence_upload, name="evidence_upload"),
    path("cases/<uuid:case>/evidence/<uuid:evidence>/", evidence.evidence_download, name="evidence"),
    path("cases/<uuid:case>/evidence/<uuid:evidence>/delete/", evidence.evidence_delete, name="evidence_delete"),
    path("cases/<uuid:case>/letters/<slug:kind>/preview/", documents.letter_preview, name="letter_preview"),
    path(
        "cases/<uuid:case>/letters/<slug:kind>/<slug:channel>/preview/",
        documents.letter_preview,
        name="letter_preview",
    ),
    path("cases/<uuid:case>/letters/<slug:kind>/issue/", documents.letter_issue, name="letter_issue"),
    path("cases/<uuid:case>/letters/<slug:kind>/review/", documents.letter_review, name="letter_review"),
    path("cases/<uuid:case>/letters/<slug:kind>/<slug:channel>/review/", documents.letter_review, name="letter_review"),
    path("cases/<uuid:case>/letters/<slug:kind>/<slug:channel>/issue/", documents.letter_issue, name="letter_issue"),
    path("cases/<uuid:case>/documents/<uuid:document>/", documents.document_download, name="document"),
]

# Django's own login, logout and password views, with our templates and emails, throttled (disputes.throttle).
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
