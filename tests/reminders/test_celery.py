"""The sweep through a real Celery worker on a real Redis: catch-up, and Redis going away."""

import datetime as dt

import pytest
from django.core import mail

from cases.models import Step, china_today
from escalation.models import Channel, Rung
from reminders.models import Reminder
from reminders.tasks import sweep_deadlines
from tests.conftest import PrivateRedis, point_celery_at, wait_for
from tests.factories import merchant, open_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lapsed_step(ladder):
    """A customer-service contact ten days ago: its 7-day deadline lapsed three days ago."""
    owner = merchant("owner@example.com")
    owner.email = "owner@example.com"
    owner.save()
    case = open_case(owner)
    return case.log_step(
        rung=Rung.objects.get(position=2),
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=china_today() - dt.timedelta(days=10),
    )


def test_the_worker_runs_the_sweep_and_sends_once(lapsed_step, start_celery_worker):
    start_celery_worker()
    sweep_deadlines.delay()
    sweep_deadlines.delay()
    wait_for(lambda: Reminder.objects.exists() and len(mail.outbox) >= 1)
    wait_for(lambda: not Step.objects.filter(next_reminder_at__lte=dt.datetime.now(dt.UTC)).exists())
    reminder = Reminder.objects.get()
    assert reminder.kind == "lapsed"
    assert len(mail.outbox) == 1


def test_catch_up_when_the_worker_starts_after_the_deadline(lapsed_step, celery_app, start_celery_worker):
    # Beat fired while no worker ran: the task waits in Redis; nothing is lost.
    sweep_deadlines.delay()
    assert not Reminder.objects.exists()
    start_celery_worker()
    wait_for(lambda: Reminder.objects.exists() and len(mail.outbox) == 1)
    assert Reminder.objects.get().step_id == lapsed_step.pk


def test_redis_going_away_loses_nothing(client, lapsed_step, settings, tmp_path):
    server = PrivateRedis(tmp_path / "redis")
    port = server.port
    settings.REDIS_URL = server.url
    app = point_celery_at(server.url)
    server.stop()
    try:
        # The site keeps working: no request path needs Redis.
        client.force_login(lapsed_step.case.owner)
        case_url = f"/cases/{lapsed_step.case.pk}/"
        assert client.get(case_url, follow=True).status_code == 200
        assert client.get("/ladder/").status_code == 200
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["redis"].startswith("error")
        # Beat cannot enqueue while Redis is down...
        with pytest.raises(Exception):  # noqa: B017 - kombu raises OperationalError subclasses
            sweep_deadlines.apply_async(retry=False)
        assert Step.objects.get().next_reminder_at is not None  # ...and the reminder is still due, not lost.

        # Redis comes back on the same address: the backlog goes out through a worker.
        server = PrivateRedis.on_port(port, tmp_path / "redis2")
        point_celery_at(server.url)
        from celery.contrib.testing.worker import start_worker

        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
            sweep_deadlines.delay()
            wait_for(lambda: Reminder.objects.exists() and len(mail.outbox) == 1)
    finally:
        server.stop()
