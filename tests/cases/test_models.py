"""Case and step rules on unsaved instances, where they depend only on fields and the date."""

import datetime as dt

import pytest

from cases.models import Case, Step, at_china_hour
from escalation.models import DeadlineRule, Rung

D = dt.date


def rule(amount=7, unit="calendar_days", **extra):
    return DeadlineRule(amount=amount, unit=unit, **extra)


def step_at(position, case_position=None, **fields):
    """An unsaved step at rung ``position`` of an unsaved case standing at ``case_position``."""
    case = Case(rung=Rung(pk=case_position or position, position=case_position or position))
    return Step(case=case, rung=Rung(pk=position, position=position), **fields)


def test_due_on_for_counts_from_the_start_date():
    step = Step(started_on=D(2026, 9, 18))
    assert step.due_on_for(rule(7, "working_days")) == D(2026, 9, 29)
    assert step.due_on_for(rule(15)) == D(2026, 10, 8)  # 10-03 falls in National Day: extended


def test_schedule_sets_due_maximum_unlock_and_first_reminder():
    step = Step(started_on=D(2026, 11, 1), rule=rule(15, maximum=60, remind_days_before=2))
    step.schedule()
    assert step.due_on == D(2026, 11, 16)
    assert step.maximum_on == D(2026, 12, 31)
    assert step.unlocks_on == D(2026, 11, 17)  # their time runs to the end of the last day
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 14))
    assert step.next_reminder_at.utcoffset() == dt.timedelta(hours=8)
    assert step.due_extended_from is None


def test_schedule_extends_a_deadline_that_ends_on_a_holiday():
    step = Step(started_on=D(2026, 9, 24), rule=rule(7, remind_days_before=2))
    step.schedule()
    assert step.due_on == D(2026, 10, 8)
    assert step.due_extended_from == D(2026, 10, 1)
    assert step.unlocks_on == D(2026, 10, 9)
    assert [moment.date() for _k, _s, moment in step.reminder_plan(limit=2)] == [D(2026, 10, 6), D(2026, 10, 9)]


def test_unlock_at_maximum_or_at_any_time():
    at_max = Step(started_on=D(2026, 11, 1), rule=rule(15, maximum=60, escalation_unlocks="at_maximum"))
    at_max.schedule()
    assert at_max.unlocks_on == D(2027, 1, 1)
    anytime = Step(started_on=D(2026, 11, 1), rule=rule(5, "working_days", escalation_unlocks="anytime"))
    anytime.schedule()
    assert anytime.unlocks_on == D(2026, 11, 1)


def test_a_reminder_never_falls_before_the_start():
    # "Due soon" would fall five days before the start: the first reminder is the morning after the last day.
    step = Step(started_on=D(2026, 11, 2), rule=rule(1, remind_days_before=5))
    step.schedule()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 4))
    assert [kind for kind, _sequence, _moment in step.reminder_plan(limit=2)] == ["lapsed", "repeat"]


def test_a_provisional_due_date_is_flagged():
    step = Step(started_on=D(2026, 12, 28), rule=rule(7, "working_days"))
    step.schedule()
    assert step.due_on == D(2027, 1, 7)
    assert step.due_provisional is True
    step = Step(started_on=D(2026, 12, 28), rule=rule(7))
    step.schedule()
    assert (step.due_on, step.due_provisional) == (D(2027, 1, 4), True)  # 01-04 may still be a holiday


# ----- periods counted from receipt ---------------------------------------------------------------------


def from_receipt(amount=15, **extra):
    return rule(amount, starts_on=DeadlineRule.Start.DELIVERED, **extra)


def test_a_period_from_receipt_is_estimated_until_delivery_is_recorded():
    posted = Step(started_on=D(2026, 11, 16), method=Step.Method.POST, rule=from_receipt())
    assert posted.clock_start() == (D(2026, 11, 19), True)  # EMS: about three days
    posted.schedule()
    assert posted.due_on == D(2026, 12, 4)
    emailed = Step(started_on=D(2026, 11, 16), method=Step.Method.EMAIL, rule=from_receipt())
    assert emailed.clock_start() == (D(2026, 11, 16), True)  # the same day, still an estimate
    handed = Step(started_on=D(2026, 11, 16), method=Step.Method.IN_PERSON, rule=from_receipt())
    assert handed.clock_start() == (D(2026, 11, 16), False)


def test_a_recorded_delivery_date_replaces_the_estimate():
    posted = Step(
        started_on=D(2026, 11, 16), method=Step.Method.POST, rule=from_receipt(), delivered_on=D(2026, 11, 23)
    )
    assert posted.clock_start() == (D(2026, 11, 23), False)
    posted.schedule()
    assert posted.due_on == D(2026, 12, 8)


def test_a_period_from_sending_ignores_delivery():
    sent = Step(started_on=D(2026, 11, 16), method=Step.Method.POST, rule=rule(15), delivered_on=D(2026, 11, 23))
    assert sent.clock_start() == (D(2026, 11, 16), False)
    assert sent.counts_from_receipt is False


# ----- promises ------------------------------------------------------------------------------------------


def test_a_promised_date_becomes_the_deadline_and_reminds_on_that_day():
    step = Step(started_on=D(2026, 11, 10), rule=rule(7), outcome=Step.Outcome.PROMISED, promised_on=D(2026, 11, 30))
    step.schedule()
    assert step.due_on == D(2026, 11, 30)
    assert step.unlocks_on == D(2026, 12, 1)  # a promise not yet broken is not a refusal
    assert step.reminder_plan(limit=3) == [
        ("promise", 1, at_china_hour(D(2026, 11, 30))),
        ("promise", 2, at_china_hour(D(2026, 12, 7))),
        ("promise", 3, at_china_hour(D(2026, 12, 14))),
    ]


def test_promise_reminders_repeat_as_the_rule_says_or_weekly_without_a_rule():
    fortnightly = Step(
        started_on=D(2026, 11, 10),
        rule=rule(7, repeat_every_days=14),
        outcome=Step.Outcome.PROMISED,
        promised_on=D(2026, 11, 30),
    )
    fortnightly.schedule()
    assert [moment.date() for _kind, _sequence, moment in fortnightly.reminder_plan(limit=2)] == [
        D(2026, 11, 30),
        D(2026, 12, 14),
    ]
    no_rule = Step(started_on=D(2026, 11, 10), outcome=Step.Outcome.PROMISED, promised_on=D(2026, 11, 30))
    no_rule.schedule()
    assert [moment.date() for _kind, _sequence, moment in no_rule.reminder_plan(limit=2)] == [
        D(2026, 11, 30),
        D(2026, 12, 7),
    ]
    once = Step(
        started_on=D(2026, 11, 10), rule=rule(7, repeat_every_days=0), outcome="promised", promised_on=D(2026, 11, 30)
    )
    once.schedule()
    assert [(kind, sequence) for kind, sequence, _moment in once.reminder_moments()] == [("promise", 1)]


def test_a_promise_replaces_a_provisional_deadline_with_a_sure_one():
    step = Step(started_on=D(2026, 12, 28), rule=rule(7, "working_days"))
    step.schedule()
    assert step.due_provisional is True
    step.outcome, step.promised_on = Step.Outcome.PROMISED, D(2027, 1, 20)
    step.schedule()
    assert (step.due_on, step.due_provisional, step.due_extended_from, step.maximum_on) == (
        D(2027, 1, 20),
        False,
        None,
        None,
    )
    step.rule, step.outcome, step.promised_on = None, Step.Outcome.PENDING, None
    step.due_provisional = True
    step.schedule()
    assert (step.due_on, step.due_provisional) == (None, False)


def test_an_old_promised_date_after_another_answer_plans_no_promise_reminder():
    step = Step(
        started_on=D(2026, 11, 10),
        rule=rule(7, remind_days_before=0, remind_on_due_date=True),
        outcome=Step.Outcome.REFUSED,
        promised_on=D(2026, 11, 30),
        due_on=D(2026, 11, 17),
    )
    assert next(step.reminder_moments())[0] == "lapsed"  # the rule's reminders, from its own due date


def test_due_soon_may_fall_on_the_first_day_itself():
    step = Step(started_on=D(2026, 11, 10), rule=rule(2, remind_days_before=2))  # due 11-12, due soon 11-10
    step.schedule()
    assert step.reminder_plan(limit=1) == [("due_soon", 1, at_china_hour(D(2026, 11, 10)))]


def test_the_latest_date_counts_entered_holidays():
    from escalation.clock import Overrides

    step = Step(started_on=D(2026, 11, 1), rule=rule(15, maximum=60))
    step.schedule(Overrides(days={D(2026, 12, 31): False}))
    assert step.maximum_on == D(2027, 1, 4)


def test_a_promise_without_a_date_keeps_the_rules_deadline():
    step = Step(started_on=D(2026, 11, 10), rule=rule(7), outcome=Step.Outcome.PROMISED)
    step.schedule()
    assert step.due_on == D(2026, 11, 17)
    assert step.next_reminder_at is not None


# ----- the live deadline ---------------------------------------------------------------------------------


def test_only_a_waiting_step_at_the_cases_rung_is_live():
    assert step_at(3).is_live()
    assert not step_at(2, case_position=3).is_live()  # a rung left behind
    assert not step_at(3, outcome=Step.Outcome.REFUSED).is_live()
    assert not step_at(3, superseded=True).is_live()
    assert step_at(3, outcome=Step.Outcome.PROMISED).is_live()


def test_overdue_only_while_live():
    step = step_at(2, started_on=D(2026, 11, 1), due_on=D(2026, 11, 8), outcome=Step.Outcome.PENDING)
    assert not step.is_overdue(D(2026, 11, 8))
    assert step.is_overdue(D(2026, 11, 9))
    step.outcome = Step.Outcome.REFUSED
    assert not step.is_overdue(D(2026, 11, 9))
    step.outcome = Step.Outcome.PROMISED
    step.superseded = True
    assert not step.is_overdue(D(2026, 11, 9))
    behind = step_at(2, case_position=3, started_on=D(2026, 11, 1), due_on=D(2026, 11, 8))
    assert not behind.is_overdue(D(2026, 11, 9))


def test_remind_false_computes_the_dates_without_a_reminder():
    step = Step(started_on=D(2026, 11, 1), rule=rule(7))
    step.schedule(remind=False)
    assert step.due_on == D(2026, 11, 9)  # 11-08 is a Sunday
    assert step.next_reminder_at is None


def test_days_left():
    step = Step(due_on=D(2026, 11, 30))
    assert step.days_left(D(2026, 11, 21)) == 9
    assert step.days_left(D(2026, 12, 2)) == -2
    assert Step(due_on=None).days_left(D(2026, 11, 21)) is None


def test_the_reminder_plan_shows_four_from_the_next_one():
    step = Step(
        started_on=D(2026, 11, 2), rule=rule(7, remind_days_before=2, remind_on_due_date=True, repeat_every_days=7)
    )
    step.schedule()
    assert [(kind, sequence, moment.date()) for kind, sequence, moment in step.reminder_plan()] == [
        ("due_soon", 1, D(2026, 11, 7)),
        ("lapsed", 1, D(2026, 11, 10)),
        ("repeat", 1, D(2026, 11, 16)),
        ("repeat", 2, D(2026, 11, 23)),
    ]
    step.next_reminder_at = at_china_hour(D(2026, 11, 12))  # snoozed: the latest due then goes at that moment
    assert [(kind, moment.date()) for kind, _sequence, moment in step.reminder_plan(limit=2)] == [
        ("lapsed", D(2026, 11, 12)),
        ("repeat", D(2026, 11, 16)),
    ]
    step.next_reminder_at = at_china_hour(D(2026, 11, 3))  # planned before the first reminder of the rule
    assert [kind for kind, _sequence, _moment in step.reminder_plan(limit=2)] == ["due_soon", "lapsed"]
    step.next_reminder_at = None
    assert step.reminder_plan() == []


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
    assert case.entry_blocker(rungs[3], D(2026, 11, 27)) == "waiting"  # the seventh day is still theirs
    assert case.entry_blocker(rungs[3], D(2026, 11, 28)) is None  # 7 days are up
    with pytest.raises(ValueError):
        case.enter_rung(rungs[3], owner)
    case.enter_rung(rungs[3], owner, reason="代理商失联")
    assert case.rung == rungs[3]
