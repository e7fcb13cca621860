"""Sign up and log in with a mobile number and a code sent by text message; no email needed.

The number waits in the session between the two steps (never in a URL), the
code is checked once (``SmsCode.redeem``), and neither is ever logged.
"""

import logging

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lib import sms

from ..forms.accounts import CodeForm, MobileForm, create_merchant
from ..models import Profile, SmsCode, SmsCodeRefused
from ..personal import mask_mobile
from ..throttle import client_address, lift_lock

logger = logging.getLogger(__name__)

SESSION_MOBILE = "sms_login_mobile"
BACKEND = "disputes.backends.EmailOrMobileBackend"


def account_for(mobile):
    """The account this number logs into, or None: the profile's number, else a username that is the number."""
    profile = Profile.objects.filter(mobile=mobile, user__is_active=True).select_related("user").order_by("pk").first()
    if profile is not None:
        return profile.user
    return get_user_model().objects.filter(username=mobile, is_active=True).first()


@never_cache
def request_code(request):
    if request.user.is_authenticated:
        return redirect("disputes:case_list")
    if not sms.available():
        messages.info(
            request, _("This site cannot send text messages yet. Log in with your email or mobile and a password.")
        )
        return redirect("login")
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        try:
            _record, code = SmsCode.issue(mobile, client_address(request))
        except SmsCodeRefused as refused:
            if refused.reason == "wait":
                message = _("A code was just sent. Wait %(seconds)s seconds before asking for a new one.") % {
                    "seconds": refused.seconds
                }
            else:
                message = _("Too many codes were asked for this number or from this network. Try again in an hour.")
            form.add_error("mobile", message)
        else:
            language = translation.get_language() or "zh-hans"
            try:
                sms.send(mobile, "login_code", {"code": code, "minutes": SmsCode.minutes()}, language=language)
            except Exception:  # noqa: BLE001 - the provider failed; the merchant may retry or use a password
                logger.exception("login code could not be sent")
                form.add_error(
                    "mobile",
                    _("We could not send the text just now. Try again in a minute, or log in with a password."),
                )
            else:
                request.session[SESSION_MOBILE] = mobile
                return redirect("disputes:sms_verify")
    return render(request, "registration/sms_request.html", {"form": form})


@never_cache
def verify_code(request):
    if request.user.is_authenticated:
        return redirect("disputes:case_list")
    mobile = request.session.get(SESSION_MOBILE)
    if not mobile:
        return redirect("disputes:sms_login")
    user = account_for(mobile)
    form = CodeForm(request.POST or None, new_account=user is None)
    if request.method == "POST" and form.is_valid():
        if not SmsCode.redeem(mobile, form.cleaned_data["code"]):
            form.add_error("code", _("This code is wrong or has expired. Check the text, or ask for a new code."))
        else:
            if user is None:
                language = translation.get_language() or "zh-hans"
                user = create_merchant(form.cleaned_data["full_name"], mobile, language)
                messages.success(request, _("Welcome. Start your first case below."))
            del request.session[SESSION_MOBILE]
            lift_lock(user)  # the code proves the owner: wrong passwords typed by others no longer hold the login
            login(request, user, backend=BACKEND)
            return redirect("disputes:case_list")
    return render(
        request,
        "registration/sms_verify.html",
        {"form": form, "masked_mobile": mask_mobile(mobile), "new_account": user is None},
    )
