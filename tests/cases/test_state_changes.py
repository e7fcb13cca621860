"""The case's and the step's state changes: what each writes (the state and its timeline line, exactly), what
it leaves alone (other cases, other steps, fields changed meanwhile by someone else), and when it refuses.

Every test freezes the clock. "Meanwhile" is another instance of the same row, changed and saved while ours
was already read: a state change writes only its own fields, so nothing saved by the other one is lost.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from cases.models import Case, Event, Step, at_china_hour
from escalation.clock import Overrides
from escalation.models import Category, Channel, DeadlineRule, Rung
from escalation.routing import CaseFacts
from tests.factories import merchant, open_case, volunteer

pytestmark = pytest.mark.django_db

D = dt.date


def at(day, hour=10):
    return at_china_hour(day, hour)


@pytest.fixture
def clock(time_machine):
    def move(day, hour=10):
        time_machine.move_to(at(day, hour), tick=False)

    move(D(2026, 11, 2))
    return move


@pytest.fixture
def owner(ladder):
    return merchant("owner@example.com")


@pytest.fixture
def case(clock, owner):
    return open_case(owner, harm_known_on=D(2026, 6, 1))


def rung(position):
    return Rung.objects.get(position=position)


def contact(case, started_on=None, **details):
    """A customer-service contact (on 11-02 unless said): 7 calendar days, due soon two days before, weekly repeats."""
    return case.log_step(
        rung=rung(2),
        channel=Channel.objects.get(code="provider-service"),
        actor=case.owner,
        started_on=started_on or D(2026, 11, 2),
        **details,
    )


def last_event(case, kind):
    return case.events.filter(kind=kind).latest("created_at")


def meanwhile(instance, **changes):
    """Another copy of ``instance``'s row, changed and saved now: ``instance`` itself is left stale."""
    other = type(instance).objects.get(pk=instance.pk)
    for name, value in changes.items():
        setattr(other, name, value)
    other.save(update_fields=list(changes))
    return other


# ----- closing and reopening ---------------------------------------------------------------------------------


def test_withdrawing_closes_the_case_with_the_reason_and_loses_nothing_saved_meanwhile(case, owner):
    step = contact(case)
    meanwhile(case, story="商户后来补充的经过")
    case.withdraw("不追了", owner)
    case.refresh_from_db()
    assert (case.status, case.withdrawn_reason, case.closed_at) == (Case.Status.WITHDRAWN, "不追了", at(D(2026, 11, 2)))
    assert case.story == "商户后来补充的经过"
    event = last_event(case, Event.Kind.WITHDRAWN)
    assert (event.actor, event.data) == (owner, {"reason": "不追了"})
    step.refresh_from_db()
    assert step.next_reminder_at is None and case.limitation_reminder_at is None


def test_resolving_records_the_money_back_and_loses_nothing_saved_meanwhile(case, owner):
    meanwhile(case, story="商户后来补充的经过")
    case.resolve(Decimal("299.00"), D(2026, 11, 20), rung(3), owner)
    case.refresh_from_db()
    assert (case.status, case.recovered_amount, case.recovered_on) == (
        Case.Status.RESOLVED,
        Decimal("299.00"),
        D(2026, 11, 20),
    )
    assert (case.recovered_rung.position, case.closed_at, case.story) == (3, at(D(2026, 11, 2)), "商户后来补充的经过")
    event = last_event(case, Event.Kind.RESOLVED)
    assert (event.actor, event.data) == (owner, {"amount": "299.00", "on": "2026-11-20", "rung": 3})


def test_reopening_plans_the_reminders_after_now_and_loses_nothing_saved_meanwhile(case, owner, clock):
    step = contact(case)  # due 11-09: due soon 11-07, lapsed 11-10, repeats 11-16, 11-23...
    case.withdraw("先放一放", owner)
    clock(D(2026, 11, 16), 9)  # exactly the moment of the first repeat
    case.refresh_from_db()
    meanwhile(case, story="商户后来补充的经过")
    case.reopen(owner)
    case.refresh_from_db()
    assert (case.status, case.closed_at, case.purge_notice_sent_at) == (Case.Status.OPEN, None, None)
    assert case.story == "商户后来补充的经过"
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 23))  # the next one after now, not the one due now
    assert case.limitation_reminder_at == at_china_hour(D(2029, 3, 3))  # 90 days before 2029-06-01
    event = last_event(case, Event.Kind.REOPENED)
    assert (event.actor, event.data) == (owner, {})


def test_reopening_on_the_morning_of_a_limitation_warning_plans_the_next_one(case, owner, clock):
    case.withdraw("先放一放", owner)
    clock(D(2029, 3, 3), 9)  # the 90-day warning's moment: now, so not ahead any more
    case.reopen(owner)
    case.refresh_from_db()
    assert case.limitation_reminder_at == at_china_hour(D(2029, 5, 2))  # the 30-day warning


# ----- the queue -----------------------------------------------------------------------------------------------


def test_taking_and_releasing_a_queued_case(case, owner):
    helper, other = volunteer(), volunteer("other@example.com", full_name="赵二")
    assert case.take(helper) is False  # not in the queue: nothing to take
    assert case.release(helper) is False
    assert not case.events.filter(kind__in=[Event.Kind.ASSIGNED, Event.Kind.RELEASED]).exists()
    assert case.enqueue(Case.QueueReason.HELP_REQUESTED, owner) is True
    assert case.enqueue(Case.QueueReason.LETTER_REVIEW, owner) is False  # once
    queued = last_event(case, Event.Kind.QUEUED)
    assert (queued.actor, queued.data) == (owner, {"reason": "help_requested"})
    bystander = open_case(owner)
    bystander.enqueue(Case.QueueReason.HELP_REQUESTED, owner)

    assert case.take(helper) is True
    assert case.take(other) is False  # already taken
    assert (case.assigned_to, case.assigned_at) == (helper, at(D(2026, 11, 2)))
    assert last_event(case, Event.Kind.ASSIGNED).actor == helper

    assert case.release(helper) is True
    assert (case.queued_at, case.queue_reason, case.assigned_to, case.assigned_at) == (None, "", None, None)
    case.refresh_from_db()
    assert (case.queued_at, case.queue_reason, case.assigned_to, case.assigned_at) == (None, "", None, None)
    released = last_event(case, Event.Kind.RELEASED)
    assert (released.actor, released.data) == (helper, {})
    bystander.refresh_from_db()
    assert bystander.queued_at is not None  # another queued case stays in the queue
    assert case.release(helper) is False


# ----- deliveries and recomputed deadlines ------------------------------------------------------------------


@pytest.fixture
def from_receipt(case):
    """A refund application by EMS on 11-02: 15 days from receipt, estimated 11-05 until the delivery is known."""
    step = case.log_step(rung=rung(3), actor=case.owner, started_on=D(2026, 11, 2), method="post")
    assert (step.counts_from_receipt, step.due_on) == (True, D(2026, 11, 20))
    return step


def test_a_recorded_delivery_moves_the_deadline_and_says_so(from_receipt, owner, clock):
    clock(D(2026, 11, 9))
    meanwhile(from_receipt, notes="挂号信回执已拍照")
    from_receipt.record_delivery(D(2026, 11, 9), Step.DeliveryProof.TRACKING, owner)
    step = Step.objects.get(pk=from_receipt.pk)
    assert (step.delivered_on, step.delivery_proof, step.due_on) == (
        D(2026, 11, 9),
        Step.DeliveryProof.TRACKING,
        D(2026, 11, 24),
    )
    assert step.notes == "挂号信回执已拍照"
    assert step.next_reminder_at is not None
    event = last_event(step.case, Event.Kind.DELIVERY_RECORDED)
    assert event.actor == owner
    assert event.data == {
        "step": str(step.pk),
        "rung": 3,
        "on": "2026-11-09",
        "proof": "tracking",
        "due_before": "2026-11-20",
        "due_on": "2026-11-24",
    }
    # The written demand's delivery restarts the limitation period from that day.
    assert Case.objects.get(pk=step.case_id).limitation_on == D(2029, 11, 9)


def test_a_delivery_lies_between_the_sending_date_and_today(from_receipt, owner, clock):
    clock(D(2026, 11, 9))
    for outside in (D(2026, 11, 1), D(2026, 11, 10)):
        with pytest.raises(ValueError, match="between the sending date and today"):
            from_receipt.record_delivery(outside, Step.DeliveryProof.OTHER, owner)
    assert not from_receipt.case.events.filter(kind=Event.Kind.DELIVERY_RECORDED).exists()
    from_receipt.record_delivery(D(2026, 11, 2), Step.DeliveryProof.OTHER, owner)  # handed over the same day
    assert from_receipt.due_on == D(2026, 11, 17)
    from_receipt.record_delivery(D(2026, 11, 9), Step.DeliveryProof.OTHER, owner, today=D(2026, 11, 9))  # today
    assert from_receipt.due_on == D(2026, 11, 24)


def test_a_delivery_changes_no_deadline_once_answered_or_promised_by_a_date(case, owner, clock):
    answered = case.log_step(rung=rung(3), actor=owner, started_on=D(2026, 11, 2), method="post")
    answered.record_answer(Step.Outcome.REFUSED, D(2026, 11, 6), "", owner)
    clock(D(2026, 11, 9))
    answered.record_delivery(D(2026, 11, 9), Step.DeliveryProof.OTHER, owner)
    answered.refresh_from_db()
    assert (answered.due_on, answered.next_reminder_at) == (D(2026, 11, 20), None)

    promised = case.log_step(rung=rung(3), actor=owner, started_on=D(2026, 11, 3), method="post")
    promised.record_answer(Step.Outcome.PROMISED, D(2026, 11, 6), "", owner, promised_on=D(2026, 11, 30))
    promised.record_delivery(D(2026, 11, 9), Step.DeliveryProof.OTHER, owner)
    promised.refresh_from_db()
    assert (promised.due_on, promised.next_reminder_at) == (D(2026, 11, 30), at_china_hour(D(2026, 11, 30)))

    waiting = case.log_step(rung=rung(3), actor=owner, started_on=D(2026, 11, 4), method="post")
    waiting.record_answer(Step.Outcome.PROMISED, D(2026, 11, 6), "", owner)  # a promise without a date
    waiting.record_delivery(D(2026, 11, 9), Step.DeliveryProof.OTHER, owner)
    waiting.refresh_from_db()
    assert waiting.due_on == D(2026, 11, 24)  # the rule's deadline, from the delivery


def test_a_delivery_on_a_closed_case_plans_no_reminder(from_receipt, owner, clock):
    from_receipt.case.withdraw("不追了", owner)
    clock(D(2026, 11, 9))
    step = Step.objects.select_related("case").get(pk=from_receipt.pk)
    step.record_delivery(D(2026, 11, 9), Step.DeliveryProof.OTHER, owner)
    step.refresh_from_db()
    assert (step.due_on, step.next_reminder_at) == (D(2026, 11, 24), None)


def test_rescheduling_moves_a_deadline_only_when_it_changes_and_keeps_a_snooze_otherwise(case, owner):
    step = contact(case)  # due 11-09 (a Monday)
    step.snooze(owner, days=3)  # reminders paused until 11-05
    assert step.reschedule(Overrides(), owner, reason="holidays:2026") is False
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 5))  # nothing moved: the snooze stands
    assert not case.events.filter(kind=Event.Kind.DEADLINE_RECOMPUTED).exists()

    meanwhile(step, notes="客服工号 1234")
    assert step.reschedule(Overrides(days={D(2026, 11, 9): False}), owner, reason="holidays:2026") is True
    step = Step.objects.get(pk=step.pk)
    assert (step.due_on, step.due_extended_from, step.notes) == (D(2026, 11, 10), D(2026, 11, 9), "客服工号 1234")
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 8))  # due soon, two days before the new date
    event = last_event(case, Event.Kind.DEADLINE_RECOMPUTED)
    assert event.actor == owner
    assert event.data == {
        "step": str(step.pk),
        "rung": 2,
        "due_before": "2026-11-09",
        "due_on": "2026-11-10",
        "provisional": False,
        "reason": "holidays:2026",
    }
    step.reschedule(Overrides())  # back, by the system, with no reason given
    event = case.events.get(kind=Event.Kind.DEADLINE_RECOMPUTED, data__due_on="2026-11-09")
    assert (event.actor, event.data["reason"]) == (None, "")


def test_rescheduling_a_step_of_a_closed_case_plans_no_reminder(case, owner):
    step = contact(case)
    case.withdraw("不追了", owner)
    step = Step.objects.select_related("case").get(pk=step.pk)
    assert step.reschedule(Overrides(days={D(2026, 11, 9): False})) is True
    step.refresh_from_db()
    assert (step.due_on, step.next_reminder_at) == (D(2026, 11, 10), None)


def test_a_due_date_under_another_rule_counts_from_the_step_and_under_its_own_from_receipt(from_receipt):
    other = DeadlineRule(amount=7, unit=DeadlineRule.Unit.CALENDAR_DAYS)
    assert from_receipt.due_on_for(other) == D(2026, 11, 9)  # 7 days from the sending date
    assert from_receipt.due_on_for(from_receipt.rule) == D(2026, 11, 20)  # 15 days from the estimated receipt
    holiday = Overrides(days={D(2026, 11, 20): False})
    assert from_receipt.due_on_for(from_receipt.rule, holiday) == D(2026, 11, 23)  # Friday off: Monday


# ----- which steps and which cases have a live deadline ------------------------------------------------------


def test_the_live_conditions_in_queries_agree_with_is_live(case, owner):
    live = contact(case)
    answered = contact(open_case(owner))
    answered.record_answer(Step.Outcome.REFUSED, D(2026, 11, 3), "", owner)
    superseded_case = open_case(owner)
    contact(superseded_case)
    contact(superseded_case, started_on=D(2026, 11, 2))  # the later attempt supersedes the first
    left_behind_case = open_case(owner)
    left_behind = contact(left_behind_case)
    left_behind_case.enter_rung(rung(3), owner, reason="客服不理")
    steps = Step.objects.select_related("case")
    assert {step.pk for step in steps if step.is_live()} == {
        live.pk,
        superseded_case.steps.get(superseded=False).pk,
    }
    assert set(steps.filter(Step.live_condition()).values_list("pk", flat=True)) == {
        step.pk for step in steps if step.is_live()
    }
    assert set(Case.objects.filter(Case.live_steps_condition()).values_list("pk", flat=True)) == {
        case.pk,
        superseded_case.pk,
    }
    assert not left_behind.is_live() and answered.case_id not in set(
        Case.objects.filter(Case.live_steps_condition()).values_list("pk", flat=True)
    )


# ----- the facts routing reads from a case ----------------------------------------------------------------


def test_routing_reads_every_fact_from_the_case(owner, clock):
    clock(D(2026, 11, 21))
    case = open_case(
        owner,
        category="fees",
        obtained_via="official",
        province="beijing",
        use="personal",
        merchant_kind="company",
        harm_known_on=D(2023, 11, 19),
    )
    case.record_policy_read(None, {"arbitration_clause": "yes"}, owner)
    case.log_step(rung=rung(3), actor=owner, started_on=D(2026, 1, 5), method="post")
    facts = Case.objects.get(pk=case.pk).routing_facts()
    assert facts == CaseFacts(
        category="fees",
        obtained_via="official",
        amount=Decimal("299.00"),
        province="beijing",
        personal_consumption=True,
        natural_person=False,
        contacted_institution=True,
        harm_known_on=D(2023, 11, 19),
        last_demand_on=D(2026, 1, 5),
        arbitration_clause=True,
        limitation_on=D(2029, 1, 5),  # three years from the written demand
        harm_limit_on=D(2026, 11, 19),  # three years from the harm alone (a Thursday)
    )


def test_routing_reads_an_arbitration_clause_said_to_be_absent(owner):
    case = open_case(owner)
    case.record_policy_read(None, {"arbitration_clause": "no"}, owner)
    assert Case.objects.get(pk=case.pk).routing_facts().arbitration_clause is False


def test_lists_read_each_cases_own_typed_respondent(owner):
    typed = open_case(owner)
    typed.save_party("respondent", {"name": "某某支付有限公司"}, owner)
    other = open_case(owner)
    other.save_party("respondent", {"name": "另一家支付公司"}, owner)
    plain = open_case(owner)
    names = dict(
        Case.objects.annotate(respondent_name=Case.respondent_name_subquery()).values_list("pk", "respondent_name")
    )
    assert names[typed.pk] == "某某支付有限公司" and names[other.pk] == "另一家支付公司"
    assert names[plain.pk] in {None, ""}  # no respondent typed: the directory's name is used
    assert Case.objects.annotate(respondent_name=Case.respondent_name_subquery()).get(pk=plain.pk).provider_name == (
        "拉卡拉支付股份有限公司"
    )


def test_routing_facts_of_a_case_with_little_said(owner):
    case = Case.open(owner)
    facts = case.routing_facts()
    assert (facts.category, facts.obtained_via, facts.province, facts.arbitration_clause) == (
        Category.REFUND,
        Case.ObtainedVia.OFFICIAL,
        None,
        None,
    )
    assert (facts.personal_consumption, facts.natural_person, facts.contacted_institution) == (False, True, False)
    assert (facts.harm_limit_on, facts.limitation_on, facts.last_demand_on) == (None, None, None)


def test_a_three_year_end_on_a_rest_day_runs_to_the_next_working_day_for_routing_too(owner):
    case = open_case(owner, harm_known_on=D(2023, 11, 21))  # three years end on Saturday 2026-11-21
    assert case.routing_facts().harm_limit_on == D(2026, 11, 23)


def test_only_customer_service_and_the_application_count_as_contacting_the_institution(case, owner):
    assert case.contacted_institution() is False
    case.log_step(rung=rung(4), channel=Channel.objects.get(code="samr-12315"), actor=owner, started_on=D(2026, 11, 2))
    assert Case.objects.get(pk=case.pk).contacted_institution() is False
    other = open_case(owner)
    other.log_step(rung=rung(3), actor=owner, started_on=D(2026, 11, 2))
    assert Case.objects.get(pk=other.pk).contacted_institution() is True
    third = open_case(owner)
    contact(third)
    assert Case.objects.get(pk=third.pk).contacted_institution() is True


# ----- where the merchant picks up again, and the live deadlines in order -------------------------------------


def test_the_wizard_resumes_at_the_latest_unfinished_rung(owner, clock):
    fresh = Case.open(owner)
    assert fresh.resume_step() == "intake"
    case = open_case(owner)
    assert case.resume_step() == "policy"
    case.record_policy_read(None, {}, owner)
    case = Case.objects.get(pk=case.pk)
    assert case.resume_step() == "customer_service"  # on the policy rung: customer service next
    contact(case)
    case = Case.objects.get(pk=case.pk)
    assert case.resume_step(D(2026, 11, 9)) == "customer_service"  # their seven days are not up
    assert case.resume_step(D(2026, 11, 10)) == "application"  # up: the next rung is open
    clock(D(2026, 11, 10))
    assert Case.objects.get(pk=case.pk).resume_step() == "application"  # today by default
    for position, step in ((3, "application"), (4, "third_party"), (5, "litigation")):
        case.enter_rung(rung(position), owner, reason="跳过")
        case = Case.objects.get(pk=case.pk)
        assert case.resume_step(D(2026, 11, 10)) == step, position  # nothing tried there yet
    refunded = open_case(owner)
    refunded.record_policy_read(None, {}, owner)
    contact(refunded).record_answer(Step.Outcome.REFUNDED, D(2026, 11, 3), "", owner)
    assert Case.objects.get(pk=refunded.pk).resume_step() == "outcome"  # the money came back
    case.withdraw("不追了", owner)
    assert case.resume_step() == "outcome"


def test_the_live_deadlines_soonest_first_and_the_ones_without_a_date_last(case, owner):
    case.enter_rung(rung(4), owner, reason="直接投诉")
    for code, started in (("pcac-report", D(2026, 11, 2)), ("samr-12315", D(2026, 11, 2)), ("heimao", D(2026, 11, 2))):
        case.log_step(rung=rung(4), channel=Channel.objects.get(code=code), actor=owner, started_on=started)
    case.log_step(rung=rung(4), channel=Channel.objects.get(code="pboc-branch"), actor=owner, started_on=D(2026, 10, 1))
    Step.objects.create(case=case, rung=rung(4), started_on=D(2026, 9, 1))  # no rule: a step without a deadline
    case = Case.objects.get(pk=case.pk)
    assert case.step_list[0].due_on is None
    dates = [step.due_on for step in case.live_steps()]
    assert dates == [D(2026, 10, 19), D(2026, 11, 9), D(2026, 11, 9), D(2026, 11, 16), None]
    assert case.live_deadline().due_on == D(2026, 10, 19)


def test_a_case_is_named_by_its_company_and_amount(owner):
    case = open_case(owner)
    assert str(case) == "拉卡拉支付股份有限公司 · 299.00"
    with translation.override("en"):
        assert str(Case.open(owner)) == "Case · "


# ----- the queue, the rungs and the limitation warnings -----------------------------------------------------------


def test_enqueuing_marks_only_this_case_once_with_the_reason(case, owner):
    other = open_case(owner)
    assert case.enqueue(Case.QueueReason.REMINDERS_UNANSWERED) is True
    assert (case.queued_at, case.queue_reason) == (at(D(2026, 11, 2)), "reminders_unanswered")  # read back
    event = last_event(case, Event.Kind.QUEUED)
    assert (event.actor, event.data) == (None, {"reason": "reminders_unanswered"})
    assert case.enqueue(Case.QueueReason.HELP_REQUESTED, owner) is False
    assert case.events.filter(kind=Event.Kind.QUEUED).count() == 1
    assert Case.objects.get(pk=case.pk).queue_reason == "reminders_unanswered"
    other.refresh_from_db()
    assert (other.queued_at, other.queue_reason) == (None, "")


def test_the_queue_changes_read_back_their_own_fields_only(case, owner):
    """enqueue, take and release refresh what they changed, and leave what the caller holds unsaved."""
    helper = volunteer()
    case.story = "还没保存的经过"
    case.enqueue(Case.QueueReason.HELP_REQUESTED, owner)
    case.take(helper)
    assert (case.story, case.assigned_to) == ("还没保存的经过", helper)
    case.release(helper)
    assert (case.story, case.queued_at) == ("还没保存的经过", None)


def test_closing_a_queued_case_takes_it_out_of_the_queue_and_leaves_others(case, owner):
    helper = volunteer()
    other = open_case(owner)
    other.enqueue(Case.QueueReason.HELP_REQUESTED, owner)
    case.enqueue(Case.QueueReason.HELP_REQUESTED, owner)
    case.take(helper)
    case.withdraw("不追了", owner)
    assert (case.queued_at, case.queue_reason, case.assigned_to, case.assigned_at) == (None, "", None, None)
    case.refresh_from_db()
    assert (case.queued_at, case.queue_reason, case.assigned_to, case.assigned_at) == (None, "", None, None)
    other.refresh_from_db()
    assert (other.queued_at, other.queue_reason) == (at(D(2026, 11, 2)), "help_requested")


def test_entering_a_rung_moves_this_case_up_once_and_says_how(case, owner, clock):
    case.record_policy_read(None, {}, owner)
    other = open_case(owner)
    clock(D(2026, 11, 5))
    with pytest.raises(ValueError, match=r"^entering rung 3 early needs a reason \(skips\)$"):
        case.enter_rung(rung(3), owner, reason="  ")
    assert case.enter_rung(rung(3), owner, reason="  客服电话打不通  ") is True
    stored = Case.objects.get(pk=case.pk)
    assert (stored.rung.position, stored.updated_at) == (3, at(D(2026, 11, 5)))
    early = last_event(case, Event.Kind.RUNG_ENTERED_EARLY)
    assert (early.actor, early.data) == (owner, {"rung": 3, "reason": "客服电话打不通"})
    assert case.enter_rung(rung(3), owner) is False  # already there
    assert case.enter_rung(rung(2), owner) is False  # never down
    assert case.events.filter(kind__in=[Event.Kind.RUNG_ENTERED, Event.Kind.RUNG_ENTERED_EARLY]).count() == 1
    case.log_step(rung=rung(3), actor=owner, started_on=D(2026, 11, 5), outcome=Step.Outcome.REFUSED)
    case = Case.objects.get(pk=case.pk)
    assert case.enter_rung(rung(4), None) is True  # refused at rung 3: in order, no reason needed
    entered = last_event(case, Event.Kind.RUNG_ENTERED)
    assert (entered.actor, entered.data) == (None, {"rung": 4})
    assert Case.objects.get(pk=other.pk).rung.position == 1


def test_the_latest_attempt_here_decides_whether_the_next_rung_is_open(case, owner, clock):
    case.record_policy_read(None, {}, owner)
    case = Case.objects.get(pk=case.pk)
    case.enter_rung(rung(2), owner)
    case = Case.objects.get(pk=case.pk)
    assert case.latest_step_here() is None
    assert case.entry_blocker(rung(3), D(2026, 11, 20)) == "not_tried"  # nothing tried at customer service
    refused = contact(case, D(2026, 11, 3), outcome=Step.Outcome.REFUSED)
    case = Case.objects.get(pk=case.pk)
    assert case.latest_step_here() == refused
    assert case.entry_blocker(rung(3), D(2026, 11, 4)) is None  # refused: go on
    waiting = case.log_step(rung=rung(2), actor=owner, started_on=D(2026, 11, 4))  # a later attempt, waiting
    case = Case.objects.get(pk=case.pk)
    assert case.latest_step_here() == waiting
    assert case.entry_blocker(rung(3), D(2026, 11, 5)) == "waiting"
    case.log_step(rung=rung(1), actor=owner, started_on=D(2026, 11, 10))  # history at a lower rung, later
    case = Case.objects.get(pk=case.pk)
    assert case.latest_step_here() == waiting


def test_limitation_warnings_follow_the_admins_rule(case):
    def moments():
        return [(kind, days, moment.date()) for kind, days, moment in Case.objects.get(pk=case.pk).limitation_moments()]

    assert moments() == [("limitation", 90, D(2029, 3, 3)), ("limitation", 30, D(2029, 5, 2))]
    rule = case.limitation_rule()
    rule.remind_days_before = 60
    rule.save()  # the ladder's cache forgets the rule when it is saved
    assert moments() == [("limitation", 60, D(2029, 4, 2)), ("limitation", 30, D(2029, 5, 2))]
    rule.remind_days_before = 0  # no first warning entered: 90 days, as the law's default
    rule.save()
    assert moments() == [("limitation", 90, D(2029, 3, 3)), ("limitation", 30, D(2029, 5, 2))]
    rule.delete()
    assert moments() == [("limitation", 90, D(2029, 3, 3)), ("limitation", 30, D(2029, 5, 2))]


def test_the_application_asks_for_the_application_rungs_reply_days(case):
    rule = case.application_rule()
    assert (rule.rung.position, rule.amount, rule.unit) == (3, 15, "calendar_days")


# ----- answers -----------------------------------------------------------------------------------------------------


def test_an_accepted_complaint_starts_the_channels_follow_up_period(case, owner, clock):
    samr = Channel.objects.get(code="samr-12315")
    case.enter_rung(rung(4), owner, reason="直接投诉")
    complaint = case.log_step(
        rung=rung(4), channel=samr, actor=owner, started_on=D(2026, 11, 2), method="online", reference="T-1"
    )
    meanwhile(complaint, notes="登记号已记下")
    clock(D(2026, 11, 9))
    follow_up = complaint.record_answer(Step.Outcome.ACCEPTED, D(2026, 11, 9), "已受理", owner)
    mediation = DeadlineRule.objects.get(code="samr-mediation")
    assert (follow_up.rule, follow_up.channel, follow_up.rung.position) == (mediation, samr, 4)
    assert (follow_up.started_on, follow_up.method, follow_up.reference) == (D(2026, 11, 9), "online", "T-1")
    assert (follow_up.notes, follow_up.created_by) == (mediation.name_zh, owner)
    assert follow_up.due_on == D(2027, 1, 12)  # 45 working days from the acceptance (provisional past 2026)
    stored = Step.objects.get(pk=complaint.pk)
    assert (stored.outcome, stored.answered_on, stored.answer_notes, stored.next_reminder_at) == (
        Step.Outcome.ACCEPTED,
        D(2026, 11, 9),
        "已受理",
        None,
    )
    assert stored.notes == "登记号已记下"  # saved meanwhile, kept
    event = case.events.get(kind=Event.Kind.ANSWER_RECORDED)
    assert event.actor == owner
    assert event.data == {
        "step": str(complaint.pk),
        "rung": 4,
        "outcome": "accepted",
        "on": "2026-11-09",
        "promised_on": None,
    }


def test_other_answers_and_channels_without_a_follow_up_start_nothing(case, owner):
    case.enter_rung(rung(4), owner, reason="直接投诉")
    pboc = case.log_step(
        rung=rung(4), channel=Channel.objects.get(code="pboc-branch"), actor=owner, started_on=D(2026, 11, 2)
    )
    assert pboc.record_answer(Step.Outcome.ACCEPTED, D(2026, 11, 5), "", owner) is None  # PBoC has no follow-up rule
    samr = case.log_step(
        rung=rung(4), channel=Channel.objects.get(code="samr-12315"), actor=owner, started_on=D(2026, 11, 2)
    )
    assert samr.record_answer(Step.Outcome.REFUSED, D(2026, 11, 5), "不予受理", owner) is None
    no_channel = case.log_step(rung=rung(4), actor=owner, started_on=D(2026, 11, 2))
    assert no_channel.record_answer(Step.Outcome.ACCEPTED, D(2026, 11, 5), "", owner) is None
    assert case.steps.count() == 3


def test_a_promise_by_a_date_on_a_closed_case_or_a_left_rung_plans_no_reminder(case, owner):
    step = contact(case)
    case.enter_rung(rung(3), owner, reason="客服拖延")
    step = Step.objects.select_related("case").get(pk=step.pk)
    step.record_answer(Step.Outcome.PROMISED, D(2026, 11, 5), "月底前退", owner, promised_on=D(2026, 11, 30))
    step.refresh_from_db()
    assert (step.due_on, step.next_reminder_at) == (D(2026, 11, 30), None)  # a rung left behind does not remind
    event = case.events.get(kind=Event.Kind.ANSWER_RECORDED)
    assert event.data["promised_on"] == "2026-11-30" and event.data["outcome"] == "promised"


def test_a_recorded_delivery_counts_the_holidays_an_admin_entered(from_receipt, owner, clock):
    from escalation.models import HolidayCalendar, HolidayDate

    calendar = HolidayCalendar.objects.create(year=2026, complete=True, source="测试")
    HolidayDate.objects.create(calendar=calendar, date=D(2026, 11, 24), kind=HolidayDate.Kind.HOLIDAY)
    clock(D(2026, 11, 9))
    from_receipt.record_delivery(D(2026, 11, 9), Step.DeliveryProof.TRACKING, owner)
    assert (from_receipt.due_on, from_receipt.due_extended_from) == (D(2026, 11, 25), D(2026, 11, 24))
