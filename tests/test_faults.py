"""Faults: the database failing mid-request, the Celery worker killed -9 mid-sweep.

Redis going away is in tests/reminders/test_celery.py and tests/test_health.py.
"""

import datetime as dt
import os
import re
import signal
import time
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from cases.models import Case, Event, Evidence, Step, WizardState, china_today
from escalation.models import Channel, Rung
from reminders.models import Notification, Reminder
from reminders.tasks import sweep_deadlines
from tests.conftest import wait_for
from tests.factories import merchant, open_case
from tests.faults import marks
from tests.wizard_steps import CHECKLIST, INTAKE


@contextmanager
def timeline_writes_fail():
    """The database refuses every INSERT into the timeline, the write that ends every state change."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('INSERT INTO "DISPUTES_EVENT"'):
            raise DatabaseError("could not write to the database")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


# ----- the database raising inside a wizard step ------------------------------------------------------


def test_a_database_error_in_a_wizard_step_saves_nothing_and_keeps_the_draft(wizard, provider):
    wizard.post("intake", {**INTAKE, "provider": provider.pk})
    wizard.post("policy", CHECKLIST)
    token = wizard.token("customer_service")
    events = Event.objects.filter(case=wizard.case).count()

    with timeline_writes_fail():
        response = wizard.post(
            "customer_service",
            {"started_on": "2025-08-01", "method": "phone", "reference": "工单 A-77", "outcome": "pending"},
            token=token,
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert "刚才没能保存" in html, re.findall(r"errorlist[^>]*>(.*?)</ul>", html, re.S)  # the error, in Chinese
    assert 'value="工单 A-77"' in html  # what was typed is still on the page
    assert not Step.objects.filter(case=wizard.case).exists()  # no half-written step
    assert Event.objects.filter(case=wizard.case).count() == events
    draft = WizardState.objects.get(case=wizard.case).data["step_data"]["customer_service"]
    assert draft["customer_service-reference"] == ["工单 A-77"]

    # The database is back: the same form (same token) goes through once.
    wizard.post(
        "customer_service",
        {"started_on": "2025-08-01", "method": "phone", "reference": "工单 A-77", "outcome": "pending"},
        token=token,
    )
    assert Step.objects.filter(case=wizard.case).count() == 1
    assert "customer_service" not in WizardState.objects.get(case=wizard.case).data["step_data"]


def test_a_database_error_while_saving_intake_changes_nothing(wizard, provider):
    with timeline_writes_fail():
        response = wizard.post("intake", {**INTAKE, "provider": provider.pk})
    assert response.status_code == 200
    assert "刚才没能保存" in response.content.decode()
    case = Case.objects.get(pk=wizard.case.pk)
    assert case.amount is None and case.intake_completed_at is None and case.provider_id is None
    assert WizardState.objects.get(case=case).data["step_data"]["intake"]["intake-merchant_name"] == ["张三便利店"]


def test_a_database_error_during_an_upload_leaves_no_file_and_no_row(owner_client, owner, media):
    case = open_case(owner)

    def upload():
        file = SimpleUploadedFile("聊天记录.txt", "代理承诺满五万返还押金".encode(), content_type="text/plain")
        data = {"file": file, "title": "聊天记录", "source": "微信"}
        return owner_client.post(f"/cases/{case.pk}/evidence/", data, follow=True)

    def stored():
        return [path for path in media.rglob("*") if path.is_file()]

    with timeline_writes_fail():
        response = upload()
    assert response.status_code == 200
    assert "没有保存任何内容" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not stored()

    # The database is back: the same upload is stored once.
    upload()
    assert Evidence.objects.count() == 1 and len(stored()) == 1


def test_an_unexpected_database_error_gets_the_plain_error_page(client, owner, monkeypatch):
    client.raise_request_exception = False
    client.force_login(owner)
    case = open_case(owner)

    def broken(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("cases.views.cases.get_case_for", broken)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "出错了" in html and "您之前保存的内容都没有丢失" in html
    assert "server closed" not in html and "Traceback" not in html


# ----- the Celery worker killed -9 mid-sweep -----------------------------------------------------------

OWNERS = 4


@pytest.fixture
def lapsed_cases(transactional_db, ladder):
    """Four merchants whose customer-service deadline lapsed three days ago."""
    steps = []
    for number in range(OWNERS):
        owner = merchant(f"owner{number}@example.com")
        owner.email = f"owner{number}@example.com"
        owner.save()
        steps.append(
            open_case(owner).log_step(
                rung=Rung.objects.get(position=2),
                channel=Channel.objects.get(code="provider-service"),
                actor=owner,
                started_on=china_today() - dt.timedelta(days=10),
            )
        )
    return steps


def kill(process):
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def sweep_until(condition, timeout=60):
    """Ask for sweeps (as beat would) until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sweep_deadlines.delay()
        if wait_for_quietly(condition, 2):
            return
    pytest.fail("the sweeps did not get there")


def wait_for_quietly(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def assert_each_reminder_once(stack, steps):
    reminders = Reminder.objects.all()
    assert sorted(r.step_id for r in reminders) == sorted(s.pk for s in steps)
    assert {r.kind for r in reminders} == {Reminder.Kind.LAPSED}
    assert all(r.email_sent_at is not None for r in reminders)
    assert Notification.objects.count() == len(steps)
    assert Event.objects.filter(kind=Event.Kind.REMINDER_SENT).count() == len(steps)
    recipients = sorted(message["To"] for message in stack.emails())
    assert recipients == sorted(f"owner{number}@example.com" for number in range(OWNERS))


def test_a_worker_killed_while_recording_reminders_loses_and_repeats_none(lapsed_cases, new_stack, tmp_path):
    stack = new_stack(web=False, worker=False)
    faults = tmp_path / "marks"
    # The worker sweeps as soon as it is ready, two steps a batch; each batch then waits 3 s before it commits.
    worker = stack.start_worker(
        app="tests.faults", FAULT_MARKS=str(faults), FAULT_SLOW_NOTIFY="3", FAULT_SWEEP_BATCH="2"
    )
    wait_for(lambda: marks(faults, "notify") == 2, timeout=60)  # the first committed, the second is mid-transaction
    kill(worker)

    # Exactly the committed batch is there; the interrupted one rolled back with its claims.
    assert Reminder.objects.count() == 2
    assert Notification.objects.count() == 2
    assert (
        Step.objects.filter(next_reminder_at__isnull=False, next_reminder_at__lte=dt.datetime.now(dt.UTC)).count() == 2
    )

    stack.start_worker(REMINDER_EMAIL_RETRY_SECONDS="1")
    sweep_until(
        lambda: len(stack.emails()) >= OWNERS and Reminder.objects.filter(email_sent_at__isnull=False).count() == OWNERS
    )
    sweep_deadlines.delay()  # one more sweep finds nothing left to do
    time.sleep(2)
    assert_each_reminder_once(stack, lapsed_cases)


def test_a_worker_killed_while_emailing_sends_each_email_once(lapsed_cases, new_stack, tmp_path):
    stack = new_stack(web=False, worker=False)
    faults = tmp_path / "marks"
    worker = stack.start_worker(
        app="tests.faults",
        FAULT_MARKS=str(faults),
        FAULT_SLOW_EMAIL="3",
        EMAIL_BACKEND="tests.faults.SlowEmailBackend",
    )
    wait_for(lambda: marks(faults, "email") == 2, timeout=60)  # one email out, the second being handed over
    kill(worker)

    assert Reminder.objects.count() == OWNERS  # every reminder was recorded before delivery began
    assert Reminder.objects.filter(email_sent_at__isnull=False).count() == 1
    assert len(stack.emails()) == 1

    # A new worker retries the interrupted email once its claim is stale, and sends the rest.
    stack.start_worker(REMINDER_EMAIL_RETRY_SECONDS="1")
    sweep_until(lambda: Reminder.objects.filter(email_sent_at__isnull=False).count() == OWNERS)
    sweep_deadlines.delay()
    time.sleep(2)
    assert_each_reminder_once(stack, lapsed_cases)
