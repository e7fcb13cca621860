"""Case and step rules on unsaved instances, where they depend only on fields and the date."""

import datetime as dt

import pytest

from disputes.models import Case, Step, at_china_hour
from escalation.models import DeadlineRule, Rung

D = dt.date


def rule(amount=7, unit="calendar_days", **extra):
    return DeadlineRule(amount=amount, unit=unit, **extra)


def test_due_on_for_counts_from_the_start_date():
    step = Step(started_on=D(2026, 9, 18))
    assert step.due_on_for(rule(7, "working_days")) == D(2026, 9, 29)
    assert step.due_on_for(rule(15)) == D(2026, 10, 3)


def test_schedule_sets_due_maximum_unlock_and_first_reminder():
    step = Step(started_on=D(2026, 11, 1), rule=rule(15, maximum=60, remind_days_before=2))
    step.schedule()
    assert step.due_on == D(2026, 11, 16)
    assert step.maximum_on == D(2026, 12, 31)
    assert step.unlocks_on == D(2026, 11, 16)
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 14))
    assert step.next_reminder_at.utcoffset() == dt.timedelta(hours=8)


def test_unlock_at_maximum_or_at_any_time():
    at_max = Step(started_on=D(2026, 11, 1), rule=rule(15, maximum=60, escalation_unlocks="at_maximum"))
    at_max.schedule()
    assert at_max.unlocks_on == D(2026, 12, 31)
    anytime = Step(started_on=D(2026, 11, 1), rule=rule(5, "working_days", escalation_unlocks="anytime"))
    anytime.schedule()
    assert anytime.unlocks_on == D(2026, 11, 1)


def test_a_reminder_never_falls_before_the_start():
    # "Due soon" would fall five days before the start: the first reminder is on the due date.
    step = Step(started_on=D(2026, 11, 1), rule=rule(1, remind_days_before=5))
    step.schedule()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 2))
    assert [kind for kind, _sequence, _moment in step.reminder_plan(limit=2)] == ["lapsed", "repeat"]


def test_a_provisional_due_date_is_flagged():
    step = Step(started_on=D(2026, 12, 28), rule=rule(7, "working_days"))
    step.schedule()
    assert step.due_on == D(2027, 1, 7)
    assert step.due_provisional is True


def test_overdue_only_while_waiting():
    step = Step(started_on=D(2026, 11, 1), due_on=D(2026, 11, 8), outcome=Step.Outcome.PENDING)
    assert not step.is_overdue(D(2026, 11, 8))
    assert step.is_overdue(D(2026, 11, 9))
    step.outcome = Step.Outcome.REFUSED
    assert not step.is_overdue(D(2026, 11, 9))
    step.outcome = Step.Outcome.PROMISED
    step.superseded = True
    assert not step.is_overdue(D(2026, 11, 9))


def test_days_left():
    step = Step(due_on=D(2026, 11, 30))
    assert step.days_left(D(2026, 11, 21)) == 9
    assert step.days_left(D(2026, 12, 2)) == -2


def test_no_rule_means_no_deadline():
    step = Step(started_on=D(2026, 11, 1))
    step.schedule()
    assert step.due_on is None and step.next_reminder_at is None


def test_masked_merchant_number():
    assert Case(merchant_number="822100058120001").masked_merchant_number == "822*********001"
    assert Case(merchant_number="12345").masked_merchant_number == "12345"


@pytest.mark.django_db
def test_entry_rules(ladder, owner, time_machine):
    from tests.factories import open_case

    time_machine.move_to(at_china_hour(D(2026, 11, 21)), tick=False)

    case = open_case(owner)
    rungs = {rung.position: rung for rung in Rung.objects.all()}
    today = D(2026, 11, 21)
    assert case.entry_blocker(rungs[1], today) is None
    assert case.entry_blocker(rungs[2], today) == "not_tried"  # the policy is not read yet
    assert case.entry_blocker(rungs[3], today) == "skips"
    case.record_policy_read(None, {}, owner)
    assert case.entry_blocker(rungs[2], today) is None
    case.log_step(rung=rungs[2], actor=owner, started_on=D(2026, 11, 20), outcome=Step.Outcome.PENDING)
    assert case.entry_blocker(rungs[3], today) == "waiting"
    assert case.entry_blocker(rungs[3], D(2026, 11, 27)) is None  # 7 days are up
    with pytest.raises(ValueError):
        case.enter_rung(rungs[3], owner)
    case.enter_rung(rungs[3], owner, reason="代理商失联")
    assert case.rung == rungs[3]
