"""End-to-end fixtures: the app under gunicorn with a real Celery worker and Redis, driven by Debian's Chromium.

The servers run as separate processes on the test database (transactional, so
they see what the test writes). Every page visited is checked with axe-core and
photographed at phone and desktop sizes into tests/e2e/artifacts/.
"""

import email
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from config import devstack

# Playwright's sync API runs an event loop; Django's ORM is used from the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BIN = Path(sys.executable).parent


@pytest.fixture
def fast_password_hashing():
    """Override the suite's fast hasher: gunicorn checks passwords with Django's real ones."""


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed at /usr/bin/chromium: `make test` installs it")
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it with npm ci --prefix tests/e2e")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Stack:
    url: str
    mail_dir: Path
    clock_file: Path

    def move_clock(self, days):
        """Move the app's clock forward (test-only TEST_CLOCK_FILE, refused by check --deploy)."""
        self.clock_file.write_text(str(days))

    def emails(self):
        """Every email the app sent so far, parsed (file-based backend)."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk))
        return messages


def database_url(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    user = database["USER"] or ""
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host = database["HOST"] or "127.0.0.1"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{database['NAME']}"


def wait_until_up(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail("the server did not come up")


@pytest.fixture
def stack(transactional_db, redis_url, tmp_path, settings):
    """gunicorn (2 workers) and a Celery worker on the test database and the suite's Redis."""
    from tests.conftest import point_celery_at

    port = devstack.free_port()
    url = f"http://127.0.0.1:{port}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    clock_file = tmp_path / "clock"
    clock_file.write_text("0")
    env = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(settings),
        "REDIS_URL": redis_url,
        "SECRET_KEY": "e2e-tests-only-secret-key",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": url,
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_MANIFEST": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TEST_CLOCK_FILE": str(clock_file),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    web = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=(logs / "web.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [str(BIN / "celery"), "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=(logs / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    point_celery_at(redis_url)
    try:
        wait_until_up(url, web)
        yield Stack(url=url, mail_dir=mail_dir, clock_file=clock_file)
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class Visitor:
    """A browser tab that checks accessibility and takes both screenshots of every page it shows."""

    def __init__(self, page, name, viewport):
        self.page = page
        self.name = name
        self.viewport = viewport
        self.count = 0
        ARTIFACTS.mkdir(exist_ok=True)

    def check(self, label):
        """axe-core on the page (no serious or critical violation), then a screenshot at each size."""
        page = self.page
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
        )
        assert violations == [], f"{label}: {violations}"
        self.count += 1
        stem = f"{self.name}-{self.count:02d}-{label}"
        for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            page.screenshot(path=str(ARTIFACTS / f"{stem}-{size_name}.png"), full_page=True)
        page.set_viewport_size(self.viewport)


@pytest.fixture
def open_tab(browser):
    """open_tab(name, viewport, locale) -> Visitor on a fresh browser context."""
    contexts = []

    def open_tab(name, viewport=PHONE, locale="zh-CN"):
        context = browser.new_context(viewport=viewport, locale=locale, accept_downloads=True)
        context.set_default_timeout(15000)
        contexts.append(context)
        return Visitor(context.new_page(), name, viewport)

    yield open_tab
    for context in contexts:
        context.close()
