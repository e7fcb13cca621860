"""Snoozes against the sweep: a snooze made while a sweep runs stands, and a short one never repeats a reminder.

The race tests run the snooze in a database session of its own (another thread, another connection),
committed while the sweep is between reading a step and claiming it.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from cases.models import Event, Step, at_china_hour
from escalation.models import Channel, Rung
from reminders import sweep as reminders
from reminders.models import Notification, Reminder
from tests.factories import merchant, open_case

D = dt.date


def at(day, hour=10):
    return at_china_hour(day, hour)


@pytest.fixture
def step(ladder):
    """A customer-service contact on 2026-11-02: due 11-09, "due soon" on 11-07, lapsed on 11-10, repeats weekly."""
    with time_machine.travel(at(D(2026, 11, 2), 8), tick=False):
        owner = merchant("owner@example.com")
        owner.email = "owner@example.com"
        owner.save()
        case = open_case(owner)
        return case.log_step(
            rung=Rung.objects.get(position=2),
            channel=Channel.objects.get(code="provider-service"),
            actor=owner,
            started_on=D(2026, 11, 2),
        )


@pytest.mark.django_db
def test_a_short_snooze_that_comes_back_to_the_same_deadline_sends_nothing_twice(step):
    """Lapsed reminder sent on 11-10; a one-day snooze brings the step back on 11-11, when the latest reminder
    due is still that lapsed one: nothing goes out again, and the weekly repeat follows on 11-16."""
    with time_machine.travel(at(D(2026, 11, 10)), tick=False):
        assert reminders.sweep().sent == 1
        assert step.snooze(step.case.owner, days=1)
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 11))

    with time_machine.travel(at(D(2026, 11, 11)), tick=False):
        result = reminders.sweep()
    assert (result.due, result.sent, result.skipped) == (1, 0, 1)
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 16))  # the next planned reminder, not 11-11 again
    assert list(Reminder.objects.values_list("kind", "sequence", "due_on")) == [("lapsed", 1, D(2026, 11, 9))]
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1
    assert step.case.events.filter(kind=Event.Kind.REMINDER_SENT).count() == 1

    with time_machine.travel(at(D(2026, 11, 16)), tick=False):
        assert reminders.sweep().sent == 1
    assert list(Reminder.objects.order_by("created_at").values_list("kind", "sequence")) == [
        ("lapsed", 1),
        ("repeat", 1),
    ]
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_moved_deadline_reminds_again_for_the_new_date(step):
    """The same kind and sequence for another deadline is a new reminder (one per deadline): a recorded delivery
    that moves the due date brings its own "due soon"."""
    with time_machine.travel(at(D(2026, 11, 7)), tick=False):
        assert reminders.sweep().sent == 1  # due soon, for 11-09
    rule = step.rule
    rule.starts_on = rule.Start.DELIVERED
    rule.save()
    with time_machine.travel(at(D(2026, 11, 7), 12), tick=False):
        step.record_delivery(D(2026, 11, 6), Step.DeliveryProof.OTHER, step.case.owner)
    step.refresh_from_db()
    assert step.due_on == D(2026, 11, 13)
    with time_machine.travel(at(D(2026, 11, 11)), tick=False):
        assert reminders.sweep().sent == 1
    assert list(Reminder.objects.order_by("created_at").values_list("kind", "sequence", "due_on")) == [
        ("due_soon", 1, D(2026, 11, 9)),
        ("due_soon", 1, D(2026, 11, 13)),
    ]


@pytest.mark.django_db
def test_a_snooze_pauses_only_its_own_step_counted_from_the_moment_given(step, other_step):
    other = other_step
    moment = at(D(2026, 11, 10), 15)
    with time_machine.travel(at(D(2026, 11, 3)), tick=False):  # the clock says otherwise: the moment given counts
        assert step.snooze(step.case.owner, days=2, now=moment) is True
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 12))
    other.refresh_from_db()
    assert other.next_reminder_at == at_china_hour(D(2026, 11, 7))  # another case's step: untouched
    event = step.case.events.get(kind=Event.Kind.SNOOZED)
    assert (event.actor, event.data) == (step.case.owner, {"step": str(step.pk), "until": "2026-11-12"})


@pytest.mark.django_db
def test_a_step_with_nothing_planned_is_not_snoozed(step):
    with time_machine.travel(at(D(2026, 11, 3)), tick=False):
        step.record_answer(Step.Outcome.REFUSED, D(2026, 11, 3), "", step.case.owner)
        assert step.snooze(step.case.owner) is False
    step.refresh_from_db()
    assert step.next_reminder_at is None  # an answered step gets no reminder back by a snooze
    assert not step.case.events.filter(kind=Event.Kind.SNOOZED).exists()


@pytest.fixture
def other_step(step):
    """Another merchant's case with a contact on the same day: due soon on 11-07."""
    with time_machine.travel(at(D(2026, 11, 2), 8), tick=False):
        case = open_case(merchant("other@example.com"))
        return case.log_step(
            rung=Rung.objects.get(position=2),
            channel=Channel.objects.get(code="provider-service"),
            actor=case.owner,
            started_on=D(2026, 11, 2),
        )
