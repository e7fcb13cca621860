"""Login throttling: after too many failures for one account or from one address, refuse for a while."""

import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from lib import chinatime

from .backends import find_user
from .models import FailedLogin
from .personal import keyed_hash


def account_key(username):
    """A keyed hash naming the account tried: the table never holds the login name itself.

    An email address and a mobile number that reach the same account count together.
    """
    user = find_user(username)
    name = f"user:{user.pk}" if user else "name:" + (username or "").strip().lower()
    return keyed_hash(name)


def client_address(request):
    return (request.META.get("REMOTE_ADDR") or "")[:45] if request is not None else ""


def window_start():
    return chinatime.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def is_blocked(username, request):
    recent = FailedLogin.objects.filter(at__gte=window_start())
    if recent.filter(account=account_key(username)).count() >= settings.LOGIN_FAILURES_PER_ACCOUNT:
        return True
    address = client_address(request)
    return bool(address) and recent.filter(address=address).count() >= settings.LOGIN_FAILURES_PER_ADDRESS


@receiver(user_login_failed, dispatch_uid="disputes.record_failed_login")
def record_failure(sender, credentials, request=None, **kwargs):
    FailedLogin.objects.create(account=account_key(credentials.get("username")), address=client_address(request))


@receiver(user_logged_in, dispatch_uid="disputes.clear_failed_logins")
def clear_failures(sender, request, user, **kwargs):
    FailedLogin.objects.filter(account=account_key(user.get_username())).delete()


def forget_old_failures():
    FailedLogin.objects.filter(at__lt=chinatime.now() - datetime.timedelta(days=1)).delete()
