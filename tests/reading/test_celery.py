"""Reading through a real Celery worker on a real Redis: an upload read end to end, and the broker going away."""

import datetime as dt
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Evidence
from lib import chinatime
from reading.tasks import sweep_pending
from tests.conftest import PrivateRedis, point_celery_at, wait_for
from tests.factories import open_case
from tests.reading import images

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.ocr, pytest.mark.redis]


@pytest.fixture
def case(owner):
    return open_case(owner)


def upload(client, case, data, title=""):
    return client.post(
        f"/cases/{case.pk}/evidence/",
        {"file": SimpleUploadedFile("截图.png", data), "title": title, "next": f"/cases/{case.pk}/"},
    )


def reading_of(item):
    return Evidence.objects.get(pk=item.pk).reading


def test_the_worker_reads_an_uploaded_picture(owner_client, case, start_celery_worker):
    start_celery_worker()

    assert upload(owner_client, case, images.png()).status_code == 302

    item = case.evidence.get()
    wait_for(lambda: reading_of(item) != Evidence.Reading.PENDING, timeout=60)
    item.refresh_from_db()
    assert item.is_read and item.text == "\n".join(images.LINES)


def test_an_upload_succeeds_while_the_broker_is_down_and_the_sweep_queues_it_later(
    owner_client, case, real_reading_queue, settings, tmp_path
):
    server = PrivateRedis(tmp_path / "redis")
    port = server.port
    app = point_celery_at(server.url)
    server.stop()
    try:
        started = time.monotonic()
        response = upload(owner_client, case, images.png(), title="协议")
        assert response.status_code == 302 and time.monotonic() - started < 2  # never waits on the broker
        item = case.evidence.get()
        assert item.reading == Evidence.Reading.PENDING  # kept, waiting to be read
        assert owner_client.get(f"/cases/{case.pk}/evidence/list/").status_code == 200

        # Redis comes back. The sweep leaves a recent exhibit alone, and asks again for one that waited too long.
        server = PrivateRedis.on_port(port, tmp_path / "redis2")
        point_celery_at(server.url)
        assert sweep_pending()["queued"] == 0
        waited = chinatime.now() - dt.timedelta(minutes=settings.READING_RETRY_MINUTES + 1)
        Evidence.objects.filter(pk=item.pk).update(reading_queued_at=waited)
        from celery.contrib.testing.worker import start_worker

        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
            assert sweep_pending() == {"queued": 1, "not_sent": 0, "failed": 0}
            wait_for(lambda: reading_of(item) != Evidence.Reading.PENDING, timeout=60)
        item.refresh_from_db()
        assert item.is_read and images.LINES[1] in item.text and item.reading_attempts == 1
    finally:
        server.stop()
