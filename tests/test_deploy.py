"""Deployment: check --deploy, security headers, login throttling, passwords, sessions, logs without personal data."""

import datetime as dt
import io
import logging
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.models import FailedLogin
from tests.factories import merchant

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"
EMAIL = "wang.xiaoming@example.com"


def production_env(tmp_path, **extra):
    """What an operator sets on a real site: nothing test-only, nothing DEBUG."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "yajin.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "SMS_TENCENT_SECRET_ID": "AKIDexample",
        "SMS_TENCENT_SECRET_KEY": secrets.token_urlsafe(24),
        "SMS_TENCENT_APP_ID": "1400000000",
        **extra,
    }


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# ----- check --deploy ----------------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        ({"DEBUG": "1"}, "security.W018"),
        ({"SESSION_COOKIE_SECURE": "0"}, "security.W012"),
        ({"CSRF_COOKIE_SECURE": "0"}, "security.W016"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECRET_KEY": "short"}, "security.W009"),
        ({"TEST_CLOCK_FILE": "/tmp/clock"}, "ladder.E001"),
        ({"SMS_TENCENT_SECRET_KEY": ""}, "ladder.W001"),
    ],
)
def test_check_deploy_catches_each_weakened_setting(tmp_path, change, finding):
    result = check_deploy(production_env(tmp_path, **change))
    assert result.returncode != 0
    assert finding in result.stdout + result.stderr


# ----- headers and cookies -----------------------------------------------------------------------------


@pytest.fixture
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


def test_plain_http_is_sent_to_https(client, production):
    response = client.get("/ladder/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/ladder/"


@pytest.mark.parametrize("url", ["/", "/ladder/", "/accounts/login/"])
def test_pages_carry_the_security_headers(client, production, ladder, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, no other origin
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]


def test_session_and_csrf_cookies_are_secure_and_the_session_is_httponly(client, production):
    merchant("owner@example.com")
    page = client.get("/accounts/login/", secure=True)
    assert page.cookies["csrftoken"]["secure"]
    response = client.post("/accounts/login/", {"username": "owner@example.com", "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_pages_use_no_inline_script(client, ladder):
    """The CSP forbids inline script; a page that relied on it would silently break on phones."""
    owner = merchant("owner@example.com")
    client.force_login(owner)
    for url in ["/", "/ladder/", "/cases/", "/accounts/profile/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and " onclick=" not in html and "javascript:" not in html, url


def test_security_txt_says_where_to_report_a_problem(client, settings):
    assert client.get("/.well-known/security.txt").status_code == 404  # nobody named yet: no promise made
    settings.SECURITY_CONTACT = "mailto:security@yajin.example.cn"
    response = client.get("/.well-known/security.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@yajin.example.cn"
    expires = dt.datetime.fromisoformat(fields["Expires"])
    assert dt.timedelta(days=300) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=366)
    assert fields["Preferred-Languages"] == "zh, en"


# ----- login throttling (the limits themselves: tests/test_throttling.py) --------------------------------


def log_in(client, username, password, address="203.0.113.7"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_failed_logins_store_no_login_name(client):
    log_in(client, "owner@example.com", "guess")
    log_in(client, MOBILE, "guess")
    stored = " ".join(f"{row.account} {row.address}" for row in FailedLogin.objects.all())
    assert "owner" not in stored and MOBILE not in stored


# ----- passwords and sessions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("xm2026", "密码长度太短"),
        ("password123", "这个密码太常见了"),
        ("2026111920261119", "密码只包含数字"),
        ("xiaoming@example", "太相似"),
    ],
)
def test_weak_passwords_are_refused(client, password, message):
    data = {
        "full_name": "王小明",
        "email": "xiaoming@example.com",
        "mobile": MOBILE,
        "password1": password,
        "password2": password,
    }
    response = client.post("/accounts/signup/", data)
    assert message in response.content.decode()
    assert not get_user_model().objects.exists()


def test_passwords_are_stored_hashed_with_a_slow_hasher():
    # The suite swaps in a fast hasher for speed; the project's own setting must be a slow, salted one.
    from django.conf import global_settings

    import config.settings as project

    first = getattr(project, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)[0]
    assert first.rsplit(".", 1)[1] in {"PBKDF2PasswordHasher", "Argon2PasswordHasher", "ScryptPasswordHasher"}


def test_sessions_expire(client, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    merchant("owner@example.com")
    assert log_in(client, "owner@example.com", PASSWORD).status_code == 302
    assert client.get("/cases/").status_code == 200
    time_machine.move_to(
        dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    )
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_logging_out_ends_the_session_on_the_server(client):
    merchant("owner@example.com")
    log_in(client, "owner@example.com", PASSWORD)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    client.cookies[settings.SESSION_COOKIE_NAME] = stolen  # a copied cookie is worth nothing afterwards
    assert client.get("/cases/").status_code == 302


# ----- logs --------------------------------------------------------------------------------------------


def test_an_error_with_personal_data_is_logged_masked(client, monkeypatch):
    """A 500's traceback goes through the configured console handler, masked line by line."""
    console = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    monkeypatch.setattr(console, "stream", stream)
    owner = merchant("owner@example.com")
    client.force_login(owner)
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise ValueError(f"bad profile: id {ID_NUMBER}, mobile {MOBILE}, email {EMAIL}")

    monkeypatch.setattr("cases.views.cases.render", broken)
    assert client.get("/cases/").status_code == 500
    logged = stream.getvalue()
    assert "Internal Server Error: /cases/" in logged
    assert "Traceback" in logged and "bad profile" in logged  # the traceback is there for the operator...
    assert ID_NUMBER not in logged and MOBILE not in logged and "wang.xiaoming@" not in logged  # ...not the person
    assert "1101**********002X" in logged and "138****5678" in logged and "w***@example.com" in logged


def test_a_whole_signup_and_profile_leave_no_personal_data_in_the_server_logs(new_stack, tmp_path):
    """gunicorn and the worker at INFO, with access logs, through signup, profile and a failed login."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    from lib.sms.backends import read_outbox

    stack = new_stack(LOG_LEVEL="INFO")  # gunicorn with config/gunicorn.py: access log on stdout
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def form(path, data):
        page = opener.open(stack.url + path).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        request = urllib.request.Request(stack.url + path, data=body, headers={"Referer": stack.url + path})  # noqa: S310
        return opener.open(request)  # noqa: S310 - loopback only

    form("/accounts/login/", {"username": MOBILE, "password": "wrong-guess"})
    form(
        "/accounts/signup/",
        {
            "full_name": "王小明",
            "email": EMAIL,
            "mobile": MOBILE,
            "password1": "Deposit-back-2026",
            "password2": "Deposit-back-2026",
        },
    )
    [text] = read_outbox(stack.env["SMS_FILE_PATH"])  # the account opens with the code texted to the mobile
    form("/accounts/sms/code/", {"code": re.search(r"(?<!\d)(\d{6})(?!\d)", text["text"]).group(1)})
    form(
        "/accounts/profile/",
        {
            "full_name": "王小明",
            "email": EMAIL,
            "mobile": MOBILE,
            "id_number": ID_NUMBER,
            "postal_address": "四川省成都市武侯区人民南路四段1号",
            "language": "zh-hans",
            "email_reminders": "on",
        },
    )
    opener.open(f"{stack.url}/cases/?q={MOBILE}")  # a query string is never logged either
    stack.stop()
    assert get_user_model().objects.get(email=EMAIL).profile.id_number == ID_NUMBER  # the data went through

    logs = "".join(path.read_text(errors="replace") for path in stack.logs.iterdir())
    assert "POST /accounts/signup/" in logs  # the access log is there...
    for secret in (ID_NUMBER, MOBILE, "wang.xiaoming", "王小明", "人民南路"):
        assert secret not in logs  # ...and holds nobody's data


# ----- secret links: never usable from a log ------------------------------------------------------------


def secret_links(owner, step):
    """{name: path} of every link whose path is itself a key, for ``owner`` and their ``step``."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from lib import emails

    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    return {
        "reset": reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(owner)]),
        "calendar": reverse("reminders:calendar", args=[owner.profile.calendar_token]),
        "snooze": emails.snooze_url(step).removeprefix(settings.SITE_URL),
        "unsubscribe": emails.unsubscribe_url(owner).removeprefix(settings.SITE_URL),
    }


def secret_of(path):
    """The key in a secret link: its longest path segment (the reset link's is the last one)."""
    return max(path.removesuffix(".ics").strip("/").split("/"), key=len)


@pytest.fixture
def owner_with_step(ladder):
    from tests.factories import open_case

    owner = merchant("owner@example.com")
    case = open_case(owner)
    step = case.log_step(rung=case.rung, actor=owner, started_on=case.activation_date)
    return owner, step


def test_the_log_masks_the_key_of_each_secret_link_and_keeps_the_rest(owner_with_step):
    from lib.logs import redact

    links = secret_links(*owner_with_step)
    for name, path in links.items():
        masked = redact(f'127.0.0.1 "GET {path}" 200')
        assert secret_of(path) not in masked, name
        assert "***" in masked, name
    assert redact("GET /calendar/abc_DEF-123.ics 200") == "GET /calendar/***.ics 200"
    # What is no key stays readable.
    for path in ["/accounts/reset/done/", "/accounts/reset/MQ/set-password/", "/cases/", "/reminders/"]:
        assert redact(f"GET {path} 200") == f"GET {path} 200"


def test_django_logs_a_refused_secret_link_without_its_key(client, owner_with_step, monkeypatch):
    """A 404 or 405 on a secret link is logged by django.request with its path: masked."""
    console = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    monkeypatch.setattr(console, "stream", stream)
    links = secret_links(*owner_with_step)
    forged = {name: path.replace(secret_of(path), secret_of(path)[::-1]) for name, path in links.items()}
    for name, path in forged.items():
        assert client.get(path).status_code == (200 if name == "reset" else 404)  # a bad reset link says so
    assert client.put(links["unsubscribe"]).status_code == 405
    logged = stream.getvalue()
    assert "Not Found: /reminders/snooze/***/" in logged
    assert "Method Not Allowed (PUT): /reminders/unsubscribe/***/" in logged
    for path in [*links.values(), *forged.values()]:
        assert secret_of(path) not in logged


def test_the_access_log_holds_no_key_of_a_secret_link(transactional_db, owner_with_step, tmp_path, settings):
    """gunicorn with config/gunicorn.py, as deployed: each link opened and posted to, then the log read."""
    import urllib.error
    import urllib.request

    from config.devstack import free_port
    from tests.conftest import BIN, database_url

    links = secret_links(*owner_with_step)
    url = f"http://127.0.0.1:{free_port()}"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": database_url(settings),
        "SECRET_KEY": settings.SECRET_KEY,  # the links above were signed with it
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing to reach: no page here needs it
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    log = tmp_path / "web.log"
    with log.open("w") as output:
        web = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application", "--bind", url[7:]]
            + ["--workers", "1"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:

            def status(path, data=None):
                try:
                    with urllib.request.urlopen(url + path, data=data, timeout=5) as response:  # noqa: S310 - loopback
                        return response.status
                except urllib.error.HTTPError as error:
                    return error.code

            wait_until_answering(lambda: status("/accounts/login/"), web)
            for path in links.values():
                assert status(path) == 200, path
                status(path, data=b"")  # a POST line too (a CSRF refusal or the one-click unsubscribe)
        finally:
            web.terminate()
            web.wait(timeout=20)
    logged = log.read_text()
    assert '"GET /reminders/snooze/***/" 200' in logged  # the access log is there...
    assert '"GET /calendar/***.ics" 200' in logged
    for name, path in links.items():
        assert secret_of(path) not in logged, name  # ...and holds no key


def wait_until_answering(answer, process, timeout=60):
    """Poll until the server answers at all; fail when it exits or never does."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn exited with {process.returncode}"
        try:
            answer()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not come up")
