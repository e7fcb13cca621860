"""Throttling of everything that checks a password or sends a message, by the client's real address.

Regression tests for the red-team findings of issue 18: F1 (the proxy's address locked everyone
out), F2 (no throttling on /admin/login/), F10 (anyone could lock any account), F11 (password
change and account deletion unthrottled), F15 (password-reset mail flood).
"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import RequestFactory

from accounts.models import FailedLogin, PasswordResetRequest
from accounts.throttle import account_key, client_address
from tests.factories import admin_user, merchant

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


def verified_owner():
    """The owner, whose mobile a code has proved: it logs in like the email."""
    owner = merchant("owner@example.com", mobile=MOBILE)
    owner.profile.verify_mobile(MOBILE)
    return owner


def owner_with_email():
    owner = verified_owner()
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


def test_an_address_that_cannot_be_read_is_kept_short_and_a_missing_one_is_empty(settings):
    from accounts.throttle import parse_ip

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(None) == ""
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) == ""
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="x" * 50)) == "x" * 45  # kept, cut to a column's width
    garbled = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, [2001:db8::1")
    assert client_address(garbled) == "127.0.0.1"  # the nearest hop that can be named stands for the client
    assert parse_ip("[2001:db8::1") is None
    assert str(parse_ip("[2001:db8::1]]")) == "2001:db8::1"  # read up to the first bracket
    assert parse_ip(None) is None


# ----- F1: the proxy's address, or a shared carrier NAT, locks nobody out --------------------------


def test_f1_failures_of_others_behind_the_proxy_never_refuse_a_right_password(client, clock):
    verified_owner()
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS + 10):
        response = log_in(client, f"someone{number}@example.com", "guess", **via_proxy(f"198.51.100.{number}"))
        assert error_codes(response) == {"invalid_login"}
    assert logged_in(log_in(client, "owner@example.com", PASSWORD, **via_proxy("198.51.100.200")))
    assert set(FailedLogin.objects.values_list("address", flat=True)) != {"127.0.0.1"}


def test_f1_many_merchants_on_one_carrier_address_do_not_lock_each_other_out(client, clock):
    verified_owner()
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS + 10):
        log_in(client, f"someone{number}@example.com", "guess", **via_proxy("198.51.100.1"))
    # The address now guesses widely, but the owner never failed from it: the right password works.
    assert logged_in(log_in(client, "owner@example.com", PASSWORD, **via_proxy("198.51.100.1")))


def test_f1_an_address_guessing_many_accounts_waits_after_one_failure_at_each(client, clock):
    verified_owner()
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        log_in(client, f"someone{number}@example.com", "guess")
    assert error_codes(log_in(client, "someone0@example.com", "guess")) == {"throttled"}
    log_in(client, "owner@example.com", "typo")
    assert error_codes(log_in(client, "owner@example.com", PASSWORD)) == {"throttled"}
    clock.shift(dt.timedelta(seconds=settings.LOGIN_DELAY_SECONDS + 1))
    assert logged_in(log_in(client, "owner@example.com", PASSWORD))


@pytest.mark.parametrize(
    "forged",
    [
        lambda number: {"address": ATTACKER, "HTTP_X_FORWARDED_FOR": f"10.0.0.{number}"},
        lambda number: via_proxy(f"10.0.0.{number}, {ATTACKER}"),
    ],
    ids=["direct-with-a-forged-header", "through-the-proxy-with-a-forged-entry"],
)
def test_f1_a_forged_forwarded_for_does_not_dodge_the_limit(client, clock, forged):
    verified_owner()
    for number in range(settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        assert error_codes(log_in(client, "owner@example.com", "guess", **forged(number))) == {"invalid_login"}
    assert error_codes(log_in(client, "owner@example.com", PASSWORD, **forged(99))) == {"throttled"}
    assert set(FailedLogin.objects.values_list("address", flat=True)) == {ATTACKER}


# ----- F10: nobody locks an owner out for long ---------------------------------------------------------


def test_f10_bad_logins_from_one_address_do_not_lock_the_owner_out(client, clock):
    verified_owner()
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        log_in(client, "owner@example.com", "guess", ATTACKER)
    # The guessing address waits (its next try, even with the right password, checks nothing)...
    assert error_codes(log_in(client, "owner@example.com", PASSWORD, ATTACKER)) == {"throttled"}
    # ...and the owner, from anywhere else, logs in by email or by mobile number.
    assert logged_in(log_in(client, MOBILE, PASSWORD, OWNER_AT_HOME))
    # Their success forgets their own failures only: the guesser still waits.
    assert error_codes(log_in(client, "owner@example.com", PASSWORD, ATTACKER)) == {"throttled"}


def test_f10_guessing_from_many_addresses_makes_short_waits_that_grow(client, clock):
    verified_owner()
    for number in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        log_in(client, "owner@example.com" if number % 2 else MOBILE, "guess", f"198.51.100.{number}")
    refused = log_in(client, "owner@example.com", PASSWORD, OWNER_AT_HOME)
    assert error_codes(refused) == {"throttled"}
    assert settings.LOGIN_DELAY_SECONDS == 60 and wait_minutes(refused) == 1

    clock.shift(dt.timedelta(seconds=settings.LOGIN_DELAY_SECONDS - 1))
    assert error_codes(log_in(client, "owner@example.com", PASSWORD, OWNER_AT_HOME)) == {"throttled"}
    clock.shift(dt.timedelta(seconds=2))
    log_in(client, "owner@example.com", "guess", "198.51.100.99")  # one more: the next wait doubles
    clock.shift(dt.timedelta(seconds=settings.LOGIN_DELAY_SECONDS + 1))
    assert error_codes(log_in(client, "owner@example.com", PASSWORD, OWNER_AT_HOME)) == {"throttled"}
    clock.shift(dt.timedelta(seconds=settings.LOGIN_DELAY_SECONDS))
    assert logged_in(log_in(client, "owner@example.com", PASSWORD, OWNER_AT_HOME))


def test_f10_no_wait_is_longer_than_the_maximum(client, clock):
    verified_owner()
    account = account_key("owner@example.com")
    FailedLogin.objects.bulk_create(
        FailedLogin(account=account, address=f"198.51.100.{number}", at=START) for number in range(100)
    )  # a botnet's hundred guesses at once
    assert error_codes(log_in(client, "owner@example.com", PASSWORD, OWNER_AT_HOME)) == {"throttled"}
    clock.shift(dt.timedelta(seconds=settings.LOGIN_DELAY_MAX_SECONDS + 1))
    assert logged_in(log_in(client, "owner@example.com", PASSWORD, OWNER_AT_HOME))


def test_f10_a_code_by_text_message_lifts_the_wait(client, clock, sms_outbox):
    verified_owner()
    for number in range(settings.LOGIN_FAILURES_PER_ACCOUNT + 3):
        log_in(client, "owner@example.com", "guess", f"198.51.100.{number}")
    assert error_codes(log_in(client, "owner@example.com", PASSWORD, OWNER_AT_HOME)) == {"throttled"}

    client.post("/accounts/sms/", {"mobile": MOBILE}, REMOTE_ADDR=OWNER_AT_HOME)
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox()[0]["text"]).group(1)
    assert logged_in(client.post("/accounts/sms/code/", {"code": code}, REMOTE_ADDR=OWNER_AT_HOME))
    client.post("/accounts/logout/")
    assert not FailedLogin.objects.exists()
    assert logged_in(log_in(client, "owner@example.com", PASSWORD, OWNER_AT_HOME))


def test_f10_a_password_reset_link_lifts_the_wait(client, clock):
    owner_with_email()
    for number in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        log_in(client, "owner@example.com", "guess", f"198.51.100.{number}")
    client.post("/accounts/password-reset/", {"email": "owner@example.com"}, REMOTE_ADDR=OWNER_AT_HOME)
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, REMOTE_ADDR=OWNER_AT_HOME)["Location"]
    new = {"new_password1": "A-new-secret-2026", "new_password2": "A-new-secret-2026"}
    assert client.post(form_url, new, REMOTE_ADDR=OWNER_AT_HOME).status_code == 302
    assert logged_in(log_in(client, "owner@example.com", "A-new-secret-2026", OWNER_AT_HOME))


def test_a_limit_of_zero_waits_only_after_a_failure(client, clock, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 0
    verified_owner()
    assert logged_in(log_in(client, "owner@example.com", PASSWORD))


# ----- F2: the admin login is throttled like every other -----------------------------------------------


def test_f2_the_admin_login_is_throttled(client, clock):
    admin_user("root@example.com")
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        response = log_in(client, "root@example.com", "guess", ATTACKER, url="/admin/login/")
        assert response.status_code == 200 and error_codes(response) == {"invalid_login"}
    assert FailedLogin.objects.count() == settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS
    refused = log_in(client, "root@example.com", PASSWORD, ATTACKER, url="/admin/login/")
    assert error_codes(refused) == {"throttled"}
    assert "_auth_user_id" not in client.session
    # The admin, from their own address, still gets in.
    response = log_in(client, "root@example.com", PASSWORD, OWNER_AT_HOME, url="/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_f2_failures_at_the_site_login_count_at_the_admin_login_too(client, clock):
    admin_user("root@example.com")
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        log_in(client, "root@example.com", "guess", ATTACKER)
    assert error_codes(log_in(client, "root@example.com", PASSWORD, ATTACKER, url="/admin/login/")) == {"throttled"}


# ----- F11: retyping the password to change it or to delete the account is throttled -----------------


def change_password(client, old):
    data = {"old_password": old, "new_password1": "A-new-secret-2026", "new_password2": "A-new-secret-2026"}
    return client.post("/accounts/password/", data, REMOTE_ADDR=ATTACKER)


def test_f11_a_borrowed_session_cannot_guess_the_password_to_change_it(client, clock):
    owner = verified_owner()
    client.force_login(owner)
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        assert error_codes(change_password(client, "guess")) == {"password_incorrect"}
    assert error_codes(change_password(client, PASSWORD)) == {"throttled"}
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    # Wrong passwords typed there count as failed logins: the login from that address waits too.
    assert error_codes(log_in(client, "owner@example.com", PASSWORD, ATTACKER)) == {"throttled"}

    clock.shift(dt.timedelta(seconds=settings.LOGIN_DELAY_SECONDS + 1))
    client.force_login(owner)
    assert change_password(client, PASSWORD).status_code == 302
    assert not FailedLogin.objects.exists()  # a new password forgets the old guesses


def test_f11_a_borrowed_session_cannot_guess_the_password_to_delete_the_account(client, clock):
    owner = verified_owner()
    client.force_login(owner)
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        response = client.post("/accounts/delete/", {"password": "guess"}, REMOTE_ADDR=ATTACKER)
        assert error_codes(response) == {"password"}
    response = client.post("/accounts/delete/", {"password": PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert error_codes(response) == {"throttled"}
    owner.refresh_from_db()  # still there
    assert FailedLogin.objects.count() == settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS


# ----- F15: password-reset mail cannot be flooded ----------------------------------------------------


def ask_for_reset(client, email, address=ATTACKER):
    return client.post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=address)


def test_f15_a_flood_of_reset_requests_sends_a_few_mails_an_hour(client, clock):
    owner_with_email()
    for number in range(20):
        response = ask_for_reset(
            client, "Owner@Example.com" if number % 2 else "owner@example.com", f"198.51.100.{number}"
        )
        assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR == 3
    clock.shift(dt.timedelta(hours=1, seconds=1))
    ask_for_reset(client, "owner@example.com")
    assert len(mail.outbox) == 4


def test_f15_an_unknown_email_reads_the_same_and_counts_the_same(client, clock):
    owner_with_email()
    for number in range(5):
        known = ask_for_reset(client, "owner@example.com", f"198.51.100.{number}")
        unknown = ask_for_reset(client, "nobody@example.com", f"198.51.100.{number + 100}")
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert PasswordResetRequest.objects.count() == 2 * settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR
    stored = " ".join(f"{row.email} {row.address}" for row in PasswordResetRequest.objects.all())
    assert "owner" not in stored and "nobody" not in stored


def test_f15_one_address_asks_for_a_few_reset_links_an_hour(client, clock):
    for number in range(settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR):
        assert ask_for_reset(client, f"someone{number}@example.com").status_code == 302
    refused = ask_for_reset(client, "someone-else@example.com")
    assert refused.status_code == 200 and error_codes(refused) == {"throttled"}
    assert ask_for_reset(client, "someone-else@example.com", OWNER_AT_HOME).status_code == 302
    clock.shift(dt.timedelta(hours=1, seconds=1))
    assert ask_for_reset(client, "someone-else@example.com").status_code == 302


def test_reset_requests_are_forgotten_after_a_day(client, clock):
    ask_for_reset(client, "someone@example.com")
    clock.shift(dt.timedelta(days=1, seconds=1))
    ask_for_reset(client, "someone-else@example.com")
    PasswordResetRequest.forget_old()
    assert PasswordResetRequest.objects.count() == 1


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
