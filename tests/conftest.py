import os
import shutil

import pytest

from config import devstack


class PrivateRedis:
    """A redis-server of the suite's own, on a free loopback port, that a test may stop."""

    def __init__(self, directory):
        self.port = devstack.free_port()
        self.process = devstack.start_redis(self.port, directory)
        self.url = f"redis://127.0.0.1:{self.port}/0"

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
