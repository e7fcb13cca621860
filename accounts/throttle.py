"""Login throttling: slow password guessing down without letting anyone lock an owner out.

Every wrong password (at login, in the admin, when changing the password or deleting the account)
is a FailedLogin row: a keyed hash of the account tried and the client address. Three counts over
the last LOGIN_FAILURE_WINDOW_SECONDS decide whether the next password is checked at all:

- one account from one address (LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS): someone guessing one
  account. Past it, that address waits before its next try at that account; the owner elsewhere
  is not affected.
- one account from anywhere (LOGIN_FAILURES_PER_ACCOUNT, higher): guessing spread over many
  addresses. Past it, every try at the account waits. The wait is short, and the owner's way out
  is a login code by text message or a password-reset link, either of which lifts it.
- one address, any accounts (LOGIN_FAILURES_PER_ADDRESS): one address guessing many accounts.
  Past it, the address waits after a single failure at an account instead of several. An account
  the address has not failed at is always checked: the right password is never refused because
  others, on the same network or behind the same proxy, typed wrong ones.

Each wait is LOGIN_DELAY_SECONDS after the latest failure, doubled for every failure past the
limit, at most LOGIN_DELAY_MAX_SECONDS. A refused try checks no password and counts nothing.
"""

import datetime
import ipaddress
import math
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Count, Max
from django.dispatch import receiver

from accounts.backends import find_user
from accounts.models import FailedLogin, PasswordResetRequest, SmsCode
from lib import chinatime
from lib.personal import keyed_hash

# ----- the client address -------------------------------------------------------------------------


def client_address(request):
    """The client's address, as every limit counts it (logins, login codes, password resets).

    Behind a trusted proxy (TRUSTED_PROXIES) the connecting address is the proxy's, so
    X-Forwarded-For is read right to left: each trusted proxy appended the address it was
    reached from, and the first one that is not a trusted proxy is the client. Whatever stands
    to its left was written by the client itself and is never believed. Without trusted proxies
    the header is ignored. An IPv6 client counts as its /64 network, which one subscriber
    usually holds whole.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR") or ""
    address = parse_ip(remote)
    if address is None:
        return remote[:45]
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while hops and is_trusted_proxy(address):
        hop = parse_ip(hops.pop())
        if hop is None:  # a garbled entry: the nearest hop we can name stands for the client
            break
        address = hop
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def parse_ip(text):
    """An address from REMOTE_ADDR or one X-Forwarded-For entry ("1.2.3.4", "[2001:db8::1]:443"), or None."""
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]  # an IPv4 address with a port
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped  # "::ffff:203.0.113.7" is an IPv4 client
    return address


def is_trusted_proxy(address):
    return any(address in network for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@lru_cache(maxsize=8)
def trusted_networks(proxies):
    return [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]


# ----- counting failures --------------------------------------------------------------------------


def account_key(username):
    """A keyed hash naming the account tried: the table never holds the login name itself.

    An email address and a mobile number that reach the same account count together.
    """
    user = find_user(username)
    if user is not None:
        return user_key(user)
    return keyed_hash("name:" + (username or "").strip().lower())


def user_key(user):
    return keyed_hash(f"user:{user.pk}")


def window_start():
    return chinatime.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_wait(username, request):
    """Seconds before a password for ``username`` may be checked from this client; 0 when it may now."""
    return seconds_to_wait(account_key(username), client_address(request))


def user_wait(user, request):
    """``login_wait`` for a signed-in user retyping their password (password change, account deletion)."""
    return seconds_to_wait(user_key(user), client_address(request))


def seconds_to_wait(account, address):
    recent = FailedLogin.objects.filter(at__gte=window_start())
    per_pair = settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS
    if address and recent.filter(address=address).count() >= settings.LOGIN_FAILURES_PER_ADDRESS:
        per_pair = 1  # this address guesses widely: one failure at an account is enough to wait
    tries = recent.filter(account=account)
    return max(
        wait_after(tries, settings.LOGIN_FAILURES_PER_ACCOUNT),
        wait_after(tries.filter(address=address), per_pair),
    )


def wait_after(failures, limit):
    """Below ``limit`` failures no wait; past it, a delay after the latest one that doubles with each more."""
    summary = failures.aggregate(count=Count("pk"), latest=Max("at"))
    beyond = summary["count"] - limit
    if beyond < 0 or not summary["count"]:
        return 0
    delay = min(settings.LOGIN_DELAY_SECONDS * 2 ** min(beyond, 20), settings.LOGIN_DELAY_MAX_SECONDS)
    left = summary["latest"] + datetime.timedelta(seconds=delay) - chinatime.now()
    return max(0, math.ceil(left.total_seconds()))


def note_failure(account, request):
    FailedLogin.objects.create(account=account, address=client_address(request), at=chinatime.now())


def confirm_password(user, password, request):
    """Check a signed-in user's password like a login: a wrong one counts, as a failed login does.

    The caller asks ``user_wait`` first and checks nothing while it says to wait.
    """
    if user.check_password(password):
        return True
    note_failure(user_key(user), request)
    return False


def lift_lock(user):
    """The owner proved who they are another way (a code by text, a reset link, a new password): forget the failures."""
    FailedLogin.objects.filter(account=user_key(user)).delete()


@receiver(user_login_failed, dispatch_uid="disputes.record_failed_login")
def record_failure(sender, credentials, request=None, **kwargs):
    note_failure(account_key(credentials.get("username")), request)


@receiver(user_logged_in, dispatch_uid="disputes.clear_failed_logins")
def clear_failures(sender, request, user, **kwargs):
    """The right password from here forgets this address's failures for the account, not anyone else's."""
    FailedLogin.objects.filter(account=user_key(user), address=client_address(request)).delete()


def forget_old_failures():
    """Delete the login failures, text-message codes and reset requests older than a day.

    They only matter for the hour-long throttles; keeping them longer would keep
    addresses and hashed identifiers for nothing.
    """
    FailedLogin.forget_old()
    SmsCode.forget_old()
    PasswordResetRequest.forget_old()
