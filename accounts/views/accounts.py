import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from accounts import privacy
from accounts.forms import (
    ConfirmWithPassword,
    ProfileForm,
    ResetRequestForm,
    SignupForm,
    ThrottledPasswordChangeForm,
    email_taken,
)
from accounts.middleware import remember_language
from accounts.models import Profile
from accounts.views import sms_login
from lib import chinatime, sms


def signup(request):
    """Sign up with a password; the account opens once the code sent to the mobile comes back.

    Every valid form gets the same answer, "type the code we sent", whether or not
    the number or the email already has an account: the owner of an email in use
    gets a notice by mail instead, the holder of a number in use is logged in to
    its account once the code proves the phone. A site without texts proves the
    email instead, with a code sent to it.
    """
    if request.user.is_authenticated:
        return redirect("cases:case_list")
    by_sms = sms.available()
    form = SignupForm(request.POST or None, email_required=not by_sms)
    if request.method == "POST" and form.is_valid():
        pending = form.pending(language=translation.get_language() or "zh-hans")
        mobile, email = pending["mobile"], pending["email"]
        if by_sms:
            error = sms_login.send_sms_code(request, mobile)
            if error is None and email and email_taken(email):
                sms_login.send_account_notice(request, email)
        else:
            error = sms_login.send_email_code(request, email)
        if error is None:
            channel, to = ("sms", mobile) if by_sms else ("email", email)
            return sms_login.start_verification(request, channel, to, "signup", signup=pending)
        form.add_error(None, error)
    return render(request, "registration/signup.html", {"form": form, "by_sms": by_sms})


@login_required
def profile(request):
    profile, _created = Profile.objects.get_or_create(
        user=request.user, defaults={"full_name": request.user.get_full_name() or request.user.username}
    )
    by_sms = sms.available()
    form = ProfileForm(request.POST or None, instance=profile, verify_new_mobile=by_sms)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details are saved."))
        remember_language(request, profile.language)
        translation.activate(profile.language)
        response = redirect("accounts:profile")
        if form.mobile_to_verify:
            response = verify_new_mobile(request, form.mobile_to_verify) or response
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, profile.language, samesite="Lax")
        return response
    calendar_url = request.build_absolute_uri(reverse("reminders:calendar", args=[profile.calendar_token]))
    # webcal:// opens the phone's calendar app, which subscribes and keeps the feed up to date.
    webcal_url = "webcal://" + calendar_url.split("://", 1)[1]
    context = {
        "form": form,
        "profile": profile,
        "calendar_url": calendar_url,
        "webcal_url": webcal_url,
        "can_verify_mobile": by_sms and not profile.mobile_verified,
    }
    return render(request, "accounts/profile.html", context)


def verify_new_mobile(request, mobile):
    """Text a code to the new number typed in the profile: the code page, or None (the reason is on the page)."""
    error = sms_login.send_sms_code(request, mobile)
    if error:
        messages.error(request, error)
        return None
    messages.info(request, _("Your new mobile number is used once you type the code we sent to it."))
    return sms_login.start_verification(request, "sms", mobile, "profile")


def set_language(request):
    """Django's language switch, also remembered on the signed-in user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    chosen = request.method == "POST" and language in dict(settings.LANGUAGES)
    if chosen and request.user.is_authenticated:
        Profile.objects.filter(user=request.user).update(language=language)
        remember_language(request, language)
    return response


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
    return render(request, "accounts/export.html")


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
    return render(request, "accounts/delete_account.html", {"form": form})


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
