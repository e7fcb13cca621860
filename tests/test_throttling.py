"""Throttling of everything that checks a password or sends a message, by the client's real address.

Regression tests for the red-team findings of issue 18: F1 (the proxy's address locked everyone
out), F2 (no throttling on /admin/login/), F10 (anyone could lock any account), F11 (password
change and account deletion unthrottled), F15 (password-reset mail flood).
"""

import datetime as dt

import pytest
from django.conf import settings
from django.test import RequestFactory

from disputes.models import FailedLogin
from disputes.throttle import client_address
from tests.factories import merchant

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
MOBILE = "13812345678"
START = dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC)
ATTACKER = "203.0.113.9"
OWNER_AT_HOME = "192.0.2.50"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def log_in(client, username, password, address=ATTACKER, url="/accounts/login/", **meta):
    """A login POST arriving from ``address`` (the connecting address), with any other headers in ``meta``."""
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **meta)


def via_proxy(forwarded_for):
    """Through the same-host TLS proxy, which appends the client's address to X-Forwarded-For."""
    return {"address": "127.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded_for}


def error_codes(response):
    """The codes of every error the page's form shows (stable whatever the language)."""
    if response.status_code != 200:
        return {f"no form: {response.status_code} to {response.get('Location')}"}
    form = response.context["form"]
    return {error.code for errors in form.errors.as_data().values() for error in errors}


def wait_minutes(response):
    """The minutes the throttled page asks to wait."""
    [error] = response.context["form"].non_field_errors().as_data()
    return error.params["minutes"]


def owner_with_email():
    owner = merchant("owner@example.com", mobile=MOBILE)
    owner.email = "owner@example.com"
    owner.save(update_fields=["email"])
    return owner


def logged_in(response):
    return response.status_code == 302


# ----- the client address --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded_for", "expected"),
    [
        (["127.0.0.1"], "127.0.0.1", "198.51.100.7", "198.51.100.7"),
        # Entries left of the first untrusted one were written by the client: never believed.
        (["127.0.0.1"], "127.0.0.1", "10.9.9.9, 198.51.100.7", "198.51.100.7"),
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "198.51.100.7, 10.1.2.3", "198.51.100.7"),
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "10.2.3.4, 10.1.2.3", "10.2.3.4"),
        # A client connecting directly cannot name another address.
        (["127.0.0.1"], ATTACKER, "198.51.100.7", ATTACKER),
        ([], "127.0.0.1", "198.51.100.7", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "unknown", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "198.51.100.7:51234", "198.51.100.7"),
        (["127.0.0.1"], "127.0.0.1", "::ffff:198.51.100.7", "198.51.100.7"),
        # An IPv6 client counts as its /64: one subscriber holds it whole.
        (["::1"], "::1", "[2001:db8:1:2:aaaa::1]:443", "2001:db8:1:2::/64"),
        ([], "2001:db8:1:2::99", "", "2001:db8:1:2::/64"),
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(settings, trusted, remote, forwarded_for, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected


# ----- F1: the proxy's address, or a shared carrier NAT, locks nobody out --------------------------


def test_f1_failures_of_others_behind_the_proxy_never_refuse_a_right_password(client, clock):
    merchant("owner@example.com", mobile=MOBILE)
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS + 10):
        response = log_in(client, f"someone{number}@example.com", "guess", **via_proxy(f"198.51.100.{number}"))
        assert error_codes(response) == {"invalid_login"}
    assert logged_in(log_in(client, "owner@example.com", PASSWORD, **via_proxy("198.51.100.200")))
    assert set(FailedLogin.objects.values_list("address", flat=True)) != {"127.0.0.1"}


# ----- login codes by text message count the client behind the proxy --------------------------------


def test_login_codes_are_limited_per_client_behind_the_proxy(client, clock, ladder, sms_outbox):
    def ask(mobile, **meta):
        return client.post("/accounts/sms/", {"mobile": mobile}, **meta)

    behind_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for number in range(settings.SMS_CODES_PER_ADDRESS_PER_HOUR):
        assert ask(f"1370000{number:04d}", HTTP_X_FORWARDED_FOR="198.51.100.1", **behind_proxy).status_code == 302
    refused = ask("13700009999", HTTP_X_FORWARDED_FOR="198.51.100.1", **behind_proxy)
    assert refused.status_code == 200
    # A forged entry on the left changes nothing; another client behind the same proxy is not held back.
    assert ask("13700009999", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.1", **behind_proxy).status_code == 200
    assert ask("13700009999", HTTP_X_FORWARDED_FOR="198.51.100.2", **behind_proxy).status_code == 302
    assert len(sms_outbox()) == settings.SMS_CODES_PER_ADDRESS_PER_HOUR + 1
