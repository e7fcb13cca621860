"""Celery tasks, one per job: each does its own job and only that one (run in-process, no worker)."""

import datetime as dt

import pytest
from django.conf import settings as django_settings

from accounts.models import FailedLogin, PasswordResetRequest, SmsCode
from accounts.tasks import forget_old_failures
from cases.models import Case, china_today
from config.celery import app
from escalation.models import Channel, Rung
from reminders.models import Notification, Reminder
from reminders.tasks import purge_closed_cases, sweep_deadlines
from tests.factories import merchant, open_case

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 10, 4, 0, tzinfo=dt.UTC)  # 12:00 in China


@pytest.fixture
def every_job_due(ladder, settings, time_machine):
    """One of everything: a lapsed deadline, a closed case due its purge notice, day-old throttle rows."""
    time_machine.move_to(NOW, tick=False)
    settings.CLOSED_CASE_RETENTION_DAYS = 365
    settings.PURGE_NOTICE_DAYS = 30
    owner = merchant("owner@example.com")
    open_case(owner).log_step(
        rung=Rung.objects.get(position=2),
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=china_today() - dt.timedelta(days=10),
    )
    closed = open_case(owner)
    closed.withdraw("已私下解决", owner)
    Case.objects.filter(pk=closed.pk).update(closed_at=NOW - dt.timedelta(days=340))
    old = NOW - dt.timedelta(days=2)
    FailedLogin.objects.create(account="a" * 64, address="203.0.113.9", at=old)
    SmsCode.objects.create(number="b" * 64, code_hash="c" * 64, created_at=old, expires_at=old)
    PasswordResetRequest.objects.create(email="d" * 64, at=old)


def throttle_rows():
    return FailedLogin.objects.count() + SmsCode.objects.count() + PasswordResetRequest.objects.count()


def test_the_sweep_task_sends_the_reminders_and_nothing_else(every_job_due):
    assert sweep_deadlines()["sent"] == 1
    assert Reminder.objects.count() == 1
    assert not Notification.objects.filter(kind="purge_notice").exists()
    assert throttle_rows() == 3


def test_the_purge_task_tells_owners_of_old_closed_cases_and_nothing_else(every_job_due):
    assert purge_closed_cases() == {"told": 1, "purged": 0}
    assert Notification.objects.filter(kind="purge_notice").count() == 1
    assert not Reminder.objects.exists()
    assert throttle_rows() == 3


def test_the_forget_task_deletes_day_old_throttle_rows_and_nothing_else(every_job_due):
    PasswordResetRequest.objects.create(email="e" * 64, at=NOW - dt.timedelta(hours=1))  # still counts this hour
    forget_old_failures()
    assert list(PasswordResetRequest.objects.values_list("email", flat=True)) == ["e" * 64]
    assert throttle_rows() == 1
    assert not Reminder.objects.exists()
    assert not Notification.objects.exists()


def test_beat_starts_each_task_on_the_sweep_interval():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    tasks = {entry["task"] for entry in schedule.values()}
    assert tasks == {
        "reminders.sweep_deadlines",
        "reminders.purge_closed_cases",
        "accounts.forget_old_failures",
        "reading.sweep_pending",
    }
    app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    assert tasks <= set(app.tasks)
    for entry in schedule.values():
        assert entry["schedule"] == django_settings.SWEEP_INTERVAL_SECONDS
        assert entry["options"]["expires"] == django_settings.SWEEP_INTERVAL_SECONDS
