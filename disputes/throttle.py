"""Login throttling: after too many failures for one account or from one address, refuse for a while."""

import datetime
import ipaddress
from functools import lru_cache

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
