import os
import shutil

import pytest

from config import devstack


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
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
    yield app
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")


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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply; real deployments keep Django's slow default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ladder(db):
    """The seeded ladder content: rungs, channels, rules, providers, policy texts."""
    from escalation.content import load_ladder

    load_ladder()
