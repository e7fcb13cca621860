import email
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from config import devstack

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Property tests (hypothesis) run the same examples every time, in a bounded time: a fixed seed per test
# (derandomize), no example database to replay from, no per-example deadline (a slow machine is not a bug).
hypothesis_settings.register_profile(
    "project", derandomize=True, database=None, deadline=None, max_examples=100, print_blob=True
)
hypothesis_settings.load_profile("project")


class PrivateRedis:
    """A redis-server of the suite's own, on a free loopback port, that a test may stop."""

    def __init__(self, directory, port=None):
        self.port = port or devstack.free_port()
        self.process = devstack.start_redis(self.port, directory)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def on_port(cls, port, directory):
        """Start again on a known port (Redis coming back at the same address)."""
        return cls(directory, port=port)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis that answers: REDIS_URL when set (CI), otherwise a private server."""
    url = os.environ.get("REDIS_URL")
    if url:
        if not devstack.redis_answers(url):
            pytest.fail(f"REDIS_URL={url} is set but nothing answers there")
        yield url
        return
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    yield server.url
    server.stop()


@pytest.fixture
def private_redis(tmp_path):
    """A private Redis this test owns and may stop; stopped afterwards in any case."""
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed: `make test` installs it")
    server = PrivateRedis(tmp_path / "redis")
    yield server
    server.stop()


@pytest.fixture
def use_redis(settings, redis_url):
    """Point the app (health check, Celery broker) at the suite's Redis."""
    settings.REDIS_URL = redis_url
    settings.CELERY_BROKER_URL = redis_url
    return redis_url


@pytest.fixture
def english():
    """Run the test in English (the default language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def point_celery_at(url):
    """Point the project's Celery app at another broker, dropping pooled connections to the old one."""
    from config.celery import app

    app.conf.update(broker_url=url, broker_connection_retry_on_startup=False)
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    from kombu import pools

    pools.reset()  # kombu keeps producer pools per connection, process-wide
    return app


@pytest.fixture
def celery_app(redis_url):
    """The project's Celery app pointed at the suite's Redis, with an empty queue."""
    app = point_celery_at(redis_url)
    purge_queues(app)
    yield app
    purge_queues(app)


def purge_queues(app):
    """Empty every queue of the app (sweep, messages, documents, reading and the default one)."""
    with app.connection_for_write() as connection:
        for name in app.conf.task_queues:
            connection.default_channel.queue_purge(name)


@pytest.fixture(autouse=True)
def reading_queue(request, monkeypatch):
    """The ids of the exhibits whose reading was queued during the test, kept here instead of sent.

    No test sends to a broker it did not ask for: a test that uses ``celery_app`` (a worker test) or
    ``real_reading_queue`` (a broker that is down) sends for real.
    """
    sent = []
    if not {"celery_app", "real_reading_queue"} & set(request.fixturenames):
        from reading import queue

        monkeypatch.setattr(queue, "publish", sent.append)
    return sent


@pytest.fixture(autouse=True)
def message_queue(request, monkeypatch):
    """Reminder emails and text messages are sent in this process, chunk by chunk as a message worker would.

    A test that uses ``celery_app`` (a worker test) or ``real_message_queue`` sends the chunks to the broker.
    """
    chunks = []
    if not {"celery_app", "real_message_queue"} & set(request.fixturenames):
        from reminders import delivery

        def deliver_here(channel, ids, claimed, broker):
            chunks.append((channel, list(ids)))
            delivery.deliver(channel, ids, claimed)

        monkeypatch.setattr(delivery, "publish", deliver_here)
    return chunks


@pytest.fixture
def real_message_queue():
    """Reminder messages are sent to the Celery app's broker, whatever it is (see ``message_queue``)."""


@pytest.fixture
def real_reading_queue():
    """Readings are sent to the Celery app's broker, whatever it is (see ``reading_queue``)."""


@pytest.fixture
def start_celery_worker(celery_app):
    """Start a real Celery worker (a thread consuming from Redis) when the test says so."""
    from contextlib import ExitStack

    from celery.contrib.testing.worker import start_worker

    stack = ExitStack()

    def start():
        return stack.enter_context(
            start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING")
        )

    yield start
    stack.close()


def wait_for(condition, timeout=20.0, interval=0.1):
    """Poll until ``condition()`` is true; fail the test after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    pytest.fail(f"gave up waiting after {timeout} s")


# `make mutation` (mutation/run.py) runs the tests once per mutant, two processes at a time. Each process
# works on its own copy of a database migrated once beforehand (instead of migrating for every mutant), in
# a temporary directory of its own that it removes when it ends.
MUTATION_TEMPLATE_DB = os.environ.get("MUTATION_TEMPLATE_DB")

if MUTATION_TEMPLATE_DB:

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(config):
        config.option.basetemp = Path(os.environ["MUTATION_TMP"]) / str(os.getpid())

    def pytest_unconfigure(config):
        shutil.rmtree(config.option.basetemp, ignore_errors=True)

    # How long each test's setup took (its database rows, its fixtures): mutation/run.py adds it to mutmut's
    # figure for the test, which counts the test's body only, so the tests that are really quick run first.
    SETUP_SECONDS = {}

    def pytest_runtest_logreport(report):
        if report.when == "setup":
            SETUP_SECONDS[report.nodeid] = report.duration

    # A mutant that loops forever (a generator that never ends, a counter that never moves) fails the test it
    # hangs in after this long, instead of holding a worker until mutmut's limit for all its tests together.
    MUTATION_TEST_SECONDS = 30

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        import signal

        def too_long(signum, frame):
            raise TimeoutError(f"{item.nodeid} ran over {MUTATION_TEST_SECONDS} s under make mutation")

        previous = signal.signal(signal.SIGALRM, too_long)
        signal.alarm(MUTATION_TEST_SECONDS)
        try:
            yield
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)

    @pytest.fixture(scope="session")
    def django_db_setup(django_test_environment, django_db_blocker, tmp_path_factory):
        from django.conf import settings
        from django.db import connections

        copy = tmp_path_factory.mktemp("db") / "test.sqlite3"
        shutil.copyfile(MUTATION_TEMPLATE_DB, copy)
        connections.close_all()
        settings.DATABASES["default"]["NAME"] = connections["default"].settings_dict["NAME"] = str(copy)
        yield
        with django_db_blocker.unblock():
            connections.close_all()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply; real deployments keep Django's slow default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: nothing cached by another test's data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def sms_outbox(settings, tmp_path):
    """The text messages sent during the test, read back from the file backend: sms_outbox() -> [dict]."""
    from lib.sms.backends import read_outbox

    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return lambda: read_outbox(settings.SMS_FILE_PATH)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every test stores uploads and PDFs in its own directory, never in var/media."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}},
    }
    return root


@pytest.fixture
def ladder(db):
    """The seeded ladder content: rungs, channels, rules, providers, policy texts."""
    from escalation.content import load_ladder

    load_ladder()


@dataclass
class Stack:
    """The app as separate processes: gunicorn and a Celery worker, on the test database."""

    url: str
    env: dict
    mail_dir: Path
    clock_file: Path
    logs: Path
    web: subprocess.Popen = None
    worker: subprocess.Popen = None  # the latest worker started
    workers: list = field(default_factory=list)

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

    def start_web(self, workers=2):
        port = self.url.rsplit(":", 1)[1]
        self.web = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "config/gunicorn.py",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=(self.logs / "web.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        wait_until_up(self.url, self.web)

    def start_worker(self, app="config", queues=None, **extra_env):
        """A Celery worker (solo pool) serving every queue, or only ``queues`` ("sweep", "messages,celery")."""
        command = [str(BIN / "celery"), "-A", app, "worker", "--pool", "solo", "--loglevel", "WARNING"]
        if queues:
            command += ["--queues", queues, "--hostname", f"{queues.replace(',', '-')}-{len(self.workers)}@%h"]
        self.worker = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **extra_env},
            stdout=(self.logs / "worker.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        self.workers.append(self.worker)
        return self.worker

    def stop(self):
        for process in (self.web, *self.workers):
            if process is not None and process.poll() is None:
                process.terminate()
        for process in (self.web, *self.workers):
            if process is None:
                continue
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


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
def new_stack(transactional_db, redis_url, tmp_path, settings):
    """new_stack(web=True, worker=True, **env) -> a Stack on the test database and the suite's Redis."""
    stacks = []

    def start(web=True, worker=True, **extra_env):
        port = devstack.free_port()
        url = f"http://127.0.0.1:{port}"
        base = tmp_path / f"stack{len(stacks)}"
        (base / "mail").mkdir(parents=True)
        (base / "logs").mkdir()
        clock_file = base / "clock"
        clock_file.write_text("0")
        env = {
            "PATH": f"{BIN}:/usr/bin:/bin",
            "HOME": str(base),
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
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_MANIFEST": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(base / "mail"),
            "MEDIA_ROOT": str(base / "media"),
            "SMS_BACKEND": "lib.sms.backends.FileBackend",
            "SMS_FILE_PATH": str(base / "sms"),
            "TEST_CLOCK_FILE": str(clock_file),
            "LOG_LEVEL": "WARNING",
            **extra_env,
        }
        stack = Stack(url=url, env=env, mail_dir=base / "mail", clock_file=clock_file, logs=base / "logs")
        stacks.append(stack)
        point_celery_at(redis_url)
        if web:
            subprocess.run(
                [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
            )
            stack.start_web()
        if worker:
            stack.start_worker()
        return stack

    yield start
    for stack in stacks:
        stack.stop()


@pytest.fixture
def stack(new_stack):
    """gunicorn (2 workers) and a Celery worker on the test database and the suite's Redis."""
    return new_stack()


# ----- a merchant and their case in the wizard (tests.wizard_steps drives it) -----


@pytest.fixture
def owner(ladder):
    from tests.factories import merchant

    return merchant("owner@example.com")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def provider(ladder):
    from escalation.models import Provider

    return Provider.objects.get(short_name_zh="拉卡拉")


@pytest.fixture
def wizard(owner_client, owner):
    from cases.models import Case
    from tests.wizard_steps import Wizard

    return Wizard(owner_client, Case.open(owner))
