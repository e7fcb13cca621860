import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language as django_set_language

from lib import chinatime

from .. import privacy
from ..forms import ProfileForm, SignupForm
from ..forms.accounts import ResetRequestForm, ThrottledPasswordChangeForm, check_current_password
from ..forms.common import FormDefaults
from ..middleware import remember_language
from ..models import Profile


def signup(request):
    if request.user.is_authenticated:
        return redirect("disputes:case_list")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(language=translation.get_language() or "zh-hans")
        login(request, user, backend="disputes.backends.EmailOrMobileBackend")
        messages.success(request, _("Welcome. Start your first case below."))
        return redirect("disputes:case_list")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def profile(request):
    profile, _created = Profile.objects.get_or_create(
        user=request.user, defaults={"full_name": request.user.get_full_name() or request.user.username}
    )
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details are saved."))
        remember_language(request, profile.language)
        translation.activate(profile.language)
        response = redirect("disputes:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, profile.language, samesite="Lax")
        return response
    calendar_url = request.build_absolute_uri(reverse("disputes:calendar", args=[profile.calendar_token]))
    # webcal:// opens the phone's calendar app, which subscribes and keeps the feed up to date.
    webcal_url = "webcal://" + calendar_url.split("://", 1)[1]
    return render(
        request,
        "disputes/profile.html",
        {"form": form, "profile": profile, "calendar_url": calendar_url, "webcal_url": webcal_url},
    )


def set_language(request):
    """Django's language switch, also remembered on the signed-in user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    chosen = request.method == "POST" and language in dict(settings.LANGUAGES)
    if chosen and request.user.is_authenticated:
        Profile.objects.filter(user=request.user).update(language=language)
        remember_language(request, language)
    return response


class ConfirmWithPassword(FormDefaults, forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user, *args, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not check_current_password(self.user, password, self.request):
            raise forms.ValidationError(gettext_lazy("The password is not right."), code="password")
        return password


@login_required
def export_data(request):
    """All the merchant's data as a zip: data.json and every file.

    The zip is written to a temporary file (deleted once closed) and streamed from
    there, so a large export does not sit in the worker's memory.
    """
    if request.method == "POST":
        archive = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        try:
            privacy.export_user_data(request.user, archive)
            archive.seek(0)
        except BaseException:
            archive.close()
            raise
        stamp = chinatime.today().isoformat()
        response = FileResponse(
            archive, as_attachment=True, filename=f"dispute-ladder-data-{stamp}.zip", content_type="application/zip"
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "disputes/export.html")


@login_required
def delete_account(request):
    """Delete the account and everything in it, files included, after the password is typed again."""
    form = ConfirmWithPassword(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        privacy.delete_account(user)
        messages.success(request, _("Your account and all its data are deleted."))
        return redirect("home")
    return render(request, "disputes/delete_account.html", {"form": form})


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change, the old password checked under the login throttling."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordReset(auth_views.PasswordResetView):
    """Django's reset request, limited per client address and per email (``ResetRequestForm``)."""

    form_class = ResetRequestForm
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"
    subject_template_name = "emails/password_reset_subject.txt"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
