"""The sweep in batches: a constant number of statements per batch, the claim that yields to a snooze,
several sweeps taking different steps, and the messages sent in chunks by the message workers."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Event, Step, at_china_hour
from escalation.models import Channel, Rung
from lib.ratelimit import RateLimit
from reminders import delivery, tasks
from reminders import sweep as reminders
from reminders.models import Notification, Reminder
from tests.conftest import point_celery_at
from tests.factories import merchant, open_case

D = dt.date
LAPSED = at_china_hour(D(2026, 11, 10), 10)  # a contact of 11-02 lapsed this morning


def lapsed_steps(count, first=0):
    """``count`` merchants, each with a customer-service contact of 11-02 (seven days: lapsed on 11-10)."""
    steps = []
    for number in range(first, first + count):
        with time_machine.travel(at_china_hour(D(2026, 11, 1), 10), tick=False):
            owner = merchant(f"merchant{number}@example.com")
            owner.email = f"merchant{number}@example.com"
            owner.save()
            case = open_case(owner)
        with time_machine.travel(at_china_hour(D(2026, 11, 2), 8), tick=False):
            steps.append(
                case.log_step(
                    rung=Rung.objects.get(position=2),
                    channel=Channel.objects.get(code="provider-service"),
                    actor=owner,
                    started_on=D(2026, 11, 2),
                )
            )
    return steps


def statements_of_one_batch():
    with time_machine.travel(LAPSED, tick=False), CaptureQueriesContext(connection) as captured:
        result = reminders.SweepResult()
        reminders.remind_steps(LAPSED, result)
    control = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")
    return result, [query["sql"] for query in captured.captured_queries if not query["sql"].startswith(control)]


@pytest.mark.django_db
def test_a_batch_costs_the_same_statements_for_3_or_12_reminders(ladder):
    lapsed_steps(3)
    small, few = statements_of_one_batch()
    lapsed_steps(12, first=3)
    large, many = statements_of_one_batch()
    assert (small.sent, large.sent) == (3, 12)
    assert len(few) == len(many) <= 8, many
    assert Reminder.objects.count() == Notification.objects.count() == 15
    assert Event.objects.filter(kind=Event.Kind.REMINDER_SENT).count() == 15


@pytest.mark.django_db
def test_a_snooze_between_the_read_and_the_claim_stands(ladder):
    """The claim moves a step's next reminder only where it still holds the time the sweep read."""
    snoozed, other = lapsed_steps(2)
    until = at_china_hour(D(2026, 11, 17))

    def snooze_first(execute, sql, params, many, context):
        if sql.startswith("WITH planned"):  # the claim: the merchant's snooze commits just before it
            Step.objects.filter(pk=snoozed.pk).update(next_reminder_at=until)
        return execute(sql, params, many, context)

    with time_machine.travel(LAPSED, tick=False), connection.execute_wrapper(snooze_first):
        result = reminders.sweep()
    assert (result.due, result.sent, result.skipped) == (2, 1, 1)
    assert list(Reminder.objects.values_list("step", flat=True)) == [other.pk]
    assert Step.objects.get(pk=snoozed.pk).next_reminder_at == until  # not overridden by the sweep's plan
    assert Step.objects.get(pk=other.pk).next_reminder_at == at_china_hour(D(2026, 11, 16))  # the first repeat


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: SQLite runs one write transaction at a time")
def test_two_sweeps_take_different_steps_without_waiting(ladder, monkeypatch):
    lapsed_steps(4)
    monkeypatch.setattr(reminders, "BATCH", 2)
    holding, release = threading.Event(), threading.Event()
    original = reminders.notify
    results = {}

    def slow_notify(batch):
        original(batch)
        if threading.current_thread().name == "first":
            holding.set()
            release.wait(30)  # the first sweep keeps its batch locked until the second is done

    monkeypatch.setattr(reminders, "notify", slow_notify)

    def run():
        try:
            results[threading.current_thread().name] = reminders.remind_steps(LAPSED, reminders.SweepResult())
        finally:
            connection.close()

    first = threading.Thread(target=run, name="first")
    first.start()
    assert holding.wait(30)
    second = threading.Thread(target=run, name="second")
    second.start()
    second.join(30)
    assert not second.is_alive()  # it skipped the locked steps instead of waiting for them
    release.set()
    first.join(30)
    assert results == {"first": 2, "second": 2}
    assert Reminder.objects.count() == 4
    assert sorted(Reminder.objects.values_list("step", flat=True)) == sorted(Step.objects.values_list("pk", flat=True))


# ----- the messages --------------------------------------------------------------------------------------------


class CountingBackend(EmailBackend):
    """Django's test backend, counting the connections opened."""

    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return super().open()


@pytest.mark.django_db
def test_emails_go_out_in_chunks_one_connection_each(ladder, settings, message_queue):
    settings.REMINDER_MESSAGES_PER_TASK = 2
    settings.EMAIL_BACKEND = "tests.reminders.test_sweep_batches.CountingBackend"
    CountingBackend.opened = 0
    lapsed_steps(5)
    with time_machine.travel(LAPSED, tick=False):
        result = reminders.sweep()
    assert result.sent == 5
    assert [len(ids) for channel, ids in message_queue if channel == "email"] == [2, 2, 1]
    assert CountingBackend.opened == 3
    assert sorted(message.to[0] for message in mail.outbox) == [f"merchant{n}@example.com" for n in range(5)]
    assert Reminder.objects.filter(email_sent_at__isnull=False).count() == 5


@pytest.mark.django_db
def test_a_chunk_sends_only_what_is_still_its_own(ladder, settings):
    """A chunk that waited too long: a later sweep claimed its messages again, so the later chunk sends them."""
    lapsed_steps(2)
    with time_machine.travel(LAPSED, tick=False):
        reminders.remind_steps(LAPSED, reminders.SweepResult())
        first = delivery.claim("email", LAPSED, 100)
    later = LAPSED + dt.timedelta(seconds=settings.REMINDER_EMAIL_RETRY_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        again = delivery.claim("email", later, 100)
        assert sorted(again) == sorted(first)
        assert delivery.deliver("email", first, LAPSED) == 0
        assert delivery.deliver("email", again, later) == 2
        assert delivery.deliver("email", again, later) == 0  # sent: a second delivery of the chunk sends nothing
    assert len(mail.outbox) == 2


class RecordingLimit:
    def __init__(self):
        self.waits = 0

    def wait(self):
        self.waits += 1


@pytest.mark.django_db
def test_the_rate_limit_is_asked_before_each_email_and_not_for_a_skipped_one(ladder):
    steps = lapsed_steps(3)
    steps[0].case.owner.profile.email_reminders = False
    steps[0].case.owner.profile.save()
    with time_machine.travel(LAPSED, tick=False):
        reminders.remind_steps(LAPSED, reminders.SweepResult())
        limit = RecordingLimit()
        assert delivery.deliver("email", delivery.claim("email", LAPSED, 100), LAPSED, limit) == 2
    assert limit.waits == 2
    assert Reminder.objects.get(step=steps[0]).email_skipped


@pytest.mark.django_db
def test_when_the_broker_is_down_the_sweep_sends_the_messages_itself(ladder, settings, sms_outbox, real_message_queue):
    from config.devstack import free_port

    lapsed_steps(2)
    point_celery_at(f"redis://127.0.0.1:{free_port()}/0")  # nothing answers there
    try:
        with time_machine.travel(LAPSED, tick=False):
            result = reminders.sweep()
    finally:
        point_celery_at(settings.CELERY_BROKER_URL)
    assert (result.sent, result.dispatched) == (2, 4)  # two emails, two text messages
    assert len(mail.outbox) == 2 and len(sms_outbox()) == 2
    assert Reminder.objects.filter(email_sent_at__isnull=False, sms_sent_at__isnull=False).count() == 2


class Clock:
    """A clock that moves only when the code sleeps."""

    def __init__(self, now):
        self.now = now
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_a_rate_limit_lets_n_a_second_through_then_waits_for_the_next_second():
    clock = Clock(1000.25)
    limit = RateLimit("test", 3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limit.wait()
    assert clock.slept == []
    limit.wait()
    assert clock.slept == [0.75]  # into second 1001, where it is the first
    for _ in range(2):
        limit.wait()
    assert clock.slept == [0.75]
    RateLimit("off", 0, clock=clock, sleep=clock.sleep).wait()


@pytest.mark.redis
def test_a_rate_limit_is_shared_by_every_process_on_the_same_redis(redis_url):
    import uuid

    clock = Clock(2000.5)
    name = f"test-{uuid.uuid4().hex}"
    one, two = (RateLimit(name, 3, redis_url=redis_url, clock=clock, sleep=clock.sleep) for _ in range(2))
    one.wait()
    two.wait()
    one.wait()
    assert clock.slept == []
    two.wait()  # the fourth this second, whichever process asks
    assert clock.slept == [0.5]


# ----- more sweeps for the 09:00 wave -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_full_batch_asks_for_helper_sweeps_and_helpers_ask_for_none(ladder, settings, monkeypatch):
    settings.SWEEP_WORKERS = 3
    monkeypatch.setattr(reminders, "BATCH", 2)
    lapsed_steps(5)
    queued = []
    monkeypatch.setattr(tasks.sweep_deadlines, "apply_async", lambda **options: queued.append(options))
    with time_machine.travel(LAPSED, tick=False):
        assert tasks.sweep_deadlines()["sent"] == 5
        assert [options["kwargs"] for options in queued] == [{"helper": True}, {"helper": True}]
        queued.clear()
        lapsed_steps(5, first=5)
        assert tasks.sweep_deadlines(helper=True)["sent"] == 5
    assert queued == []
    assert Reminder.objects.count() == 10
