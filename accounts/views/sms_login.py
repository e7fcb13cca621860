"""Codes that prove a mobile number (or, on a site without texts, an email address).

One code page serves every purpose: log in or sign up with a code alone
(``login``), finish a password signup (``signup``, views.accounts.signup) and
prove a new number from the profile (``profile``). What waits for the code is
kept in the session (never in a URL), the code is checked once
(``SmsCode.redeem``), and neither the number nor the code is ever logged.

Nothing shown before the code is typed depends on whether the number or the
address already has an account: the answer goes only to whoever holds the phone
or the mailbox.
"""

import datetime
import logging

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import CodeForm, MobileForm, NameForm, create_merchant, email_taken, login_name
from accounts.models import MobileTaken, Profile, SmsCode, SmsCodeRefused
from accounts.throttle import client_address, lift_lock
from lib import chinatime, emails, sms
from lib.personal import mask_email, mask_mobile

logger = logging.getLogger(__name__)

SESSION_CODE = "code_for"  # {"channel": "sms" | "email", "to": number or address, "purpose": …, "signup": {…}}
SESSION_VERIFIED = "sms_verified"  # {"mobile": …, "at": ISO time}: a proved number that has no account yet
BACKEND = "accounts.backends.EmailOrMobileBackend"


def account_for(mobile):
    """The account this number logs into: the one that verified it, or None (a number merely typed logs in nowhere)."""
    profile = (
        Profile.objects.filter(mobile=mobile, mobile_verified_at__isnull=False, user__is_active=True)
        .select_related("user")
        .first()
    )
    return profile.user if profile is not None else None


def code_key(channel, to):
    """What SmsCode rate-limits and checks the code against: the number, or the address marked as one."""
    return to if channel == "sms" else f"email:{to}"


def refusal_message(refused):
    if refused.reason == SmsCodeRefused.WAIT:
        return _("A code was just sent. Wait %(seconds)s seconds before asking for a new one.") % {
            "seconds": refused.seconds
        }
    return _("Too many codes were asked for this number or from this network. Try again in an hour.")


def send_sms_code(request, mobile):
    """Text a new code to ``mobile``: None when sent, else the message saying why not."""
    try:
        _record, code = SmsCode.issue(mobile, client_address(request))
    except SmsCodeRefused as refused:
        return refusal_message(refused)
    language = translation.get_language() or "zh-hans"
    try:
        sms.send(mobile, "login_code", {"code": code, "minutes": SmsCode.minutes()}, language=language)
    except Exception:  # noqa: BLE001 - the provider failed; the merchant may retry or use a password
        logger.exception("login code could not be sent")
        return _("We could not send the text just now. Try again in a minute, or log in with a password.")
    return None


def send_email_code(request, email):
    """Email a signup code to ``email``, or, when it has an account, a notice saying so (the same limits apply)."""
    try:
        _record, code = SmsCode.issue(code_key("email", email), client_address(request))
    except SmsCodeRefused as refused:
        return refusal_message(refused)
    try:
        if email_taken(email):
            send_account_notice(request, email)
        else:
            language = translation.get_language() or "zh-hans"
            emails.send("signup_code", email, {"code": code, "minutes": SmsCode.minutes()}, language)
    except Exception:  # noqa: BLE001 - the mail server failed; the merchant may retry
        logger.exception("signup email could not be sent")
        return _("We could not send the email just now. Try again in a minute.")
    return None


def send_account_notice(request, email):
    """Tell the owner of ``email`` that someone signed up with it: they already have an account."""
    User = get_user_model()
    owner = User.objects.filter(email__iexact=email).first() or User.objects.filter(username__iexact=email).first()
    profile = getattr(owner, "profile", None)
    context = {
        "login_url": emails.absolute(reverse("login")),
        "reset_url": emails.absolute(reverse("password_reset")),
    }
    emails.send("account_exists", email, context, profile.language if profile else translation.get_language())


def start_verification(request, channel, to, purpose, **extra):
    """Keep what waits for the code in the session (never in the URL) and go to the code page."""
    request.session[SESSION_CODE] = {"channel": channel, "to": to, "purpose": purpose, **extra}
    return redirect("accounts:sms_verify")


@never_cache
def request_code(request):
    if request.user.is_authenticated:
        return redirect("cases:case_list")
    if not sms.available():
        messages.info(request, _("This site cannot send text messages yet. Log in with your email and a password."))
        return redirect("login")
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        error = send_sms_code(request, mobile)
        if error is None:
            return start_verification(request, "sms", mobile, "login")
        form.add_error("mobile", error)
    return render(request, "registration/sms_request.html", {"form": form})


@never_cache
def verify_code(request):
    pending = request.session.get(SESSION_CODE)
    if not pending:
        return redirect("accounts:sms_login")
    from_profile = pending["purpose"] == "profile"
    if request.user.is_authenticated and not from_profile:
        return redirect("cases:case_list")
    if from_profile and not request.user.is_authenticated:
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if SmsCode.redeem(code_key(pending["channel"], pending["to"]), form.cleaned_data["code"]):
            del request.session[SESSION_CODE]
            return FINISH[pending["purpose"]](request, pending)
        form.add_error("code", _("This code is wrong or has expired. Check the text, or ask for a new code."))
    email = pending["channel"] == "email"
    context = {
        "form": form,
        "by_email": email,
        "destination": mask_email(pending["to"]) if email else mask_mobile(pending["to"]),
        "again_url": reverse(AGAIN[pending["purpose"]]),
    }
    return render(request, "registration/sms_verify.html", context)


AGAIN = {"login": "accounts:sms_login", "signup": "accounts:signup", "profile": "accounts:profile"}


def finish_login(request, pending):
    """The number is proved: log in to its account, or ask the name for a new one."""
    user = account_for(pending["to"])
    if user is None:
        request.session[SESSION_VERIFIED] = {"mobile": pending["to"], "at": chinatime.now().isoformat()}
        return redirect("accounts:sms_name")
    lift_lock(user)  # the code proves the owner: wrong passwords typed by others no longer hold the login
    login(request, user, backend=BACKEND)
    return redirect("cases:case_list")


def finish_signup(request, pending):
    """The signup's number (or address) is proved: open the account, or log in to the one the number has."""
    data = pending["signup"]
    if pending["channel"] == "sms":
        user = account_for(data["mobile"])
        if user is not None:
            messages.info(request, _("This mobile number already has an account: you are logged in to it."))
            lift_lock(user)
            login(request, user, backend=BACKEND)
            return redirect("cases:case_list")
        # An email with an account already was told so by mail; the new account goes without it.
        email = "" if data["email"] and email_taken(data["email"]) else data["email"]
        verified = True
    else:
        if email_taken(data["email"]):  # opened by someone else since the code was sent
            messages.error(request, _("This email already has an account: log in instead."))
            return redirect("login")
        email, verified = data["email"], False
    try:
        user = create_merchant(
            data["full_name"],
            data["mobile"],
            data["language"],
            email=email,
            password_hash=data["password"],
            mobile_verified=verified,
        )
    except MobileTaken:  # verified by another signup a moment ago: the same phone, so the same person
        user = account_for(data["mobile"])
    messages.success(request, _("Welcome. Start your first case below."))
    login(request, user, backend=BACKEND)
    return redirect("cases:case_list")


def finish_profile(request, pending):
    """The merchant proved the number typed in their profile: it is theirs now, and logs in."""
    profile = Profile.objects.get(user=request.user)
    try:
        profile.verify_mobile(pending["to"])
    except MobileTaken:
        messages.error(request, _("Another account uses this mobile number."))
    else:
        user = request.user
        user.username = login_name(user, profile)
        user.save(update_fields=["username"])
        messages.success(request, _("Your mobile number is verified: you can log in with it."))
    return redirect("accounts:profile")


FINISH = {"login": finish_login, "signup": finish_signup, "profile": finish_profile}


def proved_mobile(request):
    """The number proved by a code a few minutes ago that has no account yet, or None."""
    verified = request.session.get(SESSION_VERIFIED)
    if not verified:
        return None
    age = chinatime.now() - datetime.datetime.fromisoformat(verified["at"])
    return verified["mobile"] if age < datetime.timedelta(minutes=SmsCode.minutes()) else None


@never_cache
def choose_name(request):
    """A proved number with no account yet: its holder names the new account."""
    if request.user.is_authenticated:
        return redirect("cases:case_list")
    mobile = proved_mobile(request)
    if mobile is None:
        return redirect("accounts:sms_login")
    form = NameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        language = translation.get_language() or "zh-hans"
        try:
            user = create_merchant(form.cleaned_data["full_name"], mobile, language, mobile_verified=True)
            messages.success(request, _("Welcome. Start your first case below."))
        except MobileTaken:  # opened a moment ago, from another tab
            user = account_for(mobile)
        del request.session[SESSION_VERIFIED]
        login(request, user, backend=BACKEND)
        return redirect("cases:case_list")
    return render(request, "registration/sms_name.html", {"form": form, "masked_mobile": mask_mobile(mobile)})


@login_required
@require_POST
def verify_mobile(request):
    """Send a code to the number in the merchant's profile, so that it logs in."""
    profile = Profile.objects.get(user=request.user)
    if profile.mobile_verified:
        return redirect("accounts:profile")
    if Profile.verified_elsewhere(profile.mobile, request.user.pk):
        messages.error(request, _("Another account uses this mobile number."))
        return redirect("accounts:profile")
    error = send_sms_code(request, profile.mobile) if sms.available() else _("This site cannot send text messages yet.")
    if error:
        messages.error(request, error)
        return redirect("accounts:profile")
    return start_verification(request, "sms", profile.mobile, "profile")
