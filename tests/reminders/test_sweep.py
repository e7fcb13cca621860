"""The sweep's claims, one by one: what one claim takes and leaves, the last day of a period, the counts it
reports, and a claim raced by another database session (a thread with its own connection)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from cases.models import Case, Event, at_china_hour
from escalation.models import Channel, Rung
from reminders import sweep as reminders
from reminders.models import Notification, Reminder
from tests.factories import merchant, open_case

D = dt.date


def at(day, hour=10):
    return at_china_hour(day, hour)


def warned_case(email, harm_known_on):
    with time_machine.travel(at(D(2026, 11, 1)), tick=False):
        owner = merchant(email)
        owner.email = email
        owner.save()
        return open_case(owner, harm_known_on=harm_known_on)


@pytest.fixture
def case(ladder):
    """Harm known on 2026-06-01: the period ends 2029-06-01; warnings on 2029-03-03 (90 days) and 2029-05-02 (30)."""
    case = warned_case("owner@example.com", D(2026, 6, 1))
    assert (case.limitation_on, case.limitation_reminder_at) == (D(2029, 6, 1), at_china_hour(D(2029, 3, 3)))
    return case


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return reminders.sweep()


@pytest.mark.django_db
def test_two_cases_warned_at_the_same_moment_are_both_warned(case):
    twin = warned_case("twin@example.com", D(2026, 6, 1))
    result = sweep_at(at(D(2029, 3, 3)))
    assert (result.sent, result.skipped) == (2, 0)
    assert set(Reminder.objects.values_list("case", flat=True)) == {case.pk, twin.pk}


@pytest.mark.django_db
def test_a_limitation_warning_goes_at_its_moment_and_claims_only_its_case(case):
    later = warned_case("later@example.com", D(2026, 7, 1))  # warned from 2029-04-02
    planned = later.limitation_reminder_at
    assert sweep_at(at_china_hour(D(2029, 3, 3)) - dt.timedelta(seconds=1)).sent == 0
    result = sweep_at(at_china_hour(D(2029, 3, 3)))  # 09:00 exactly
    assert (result.due, result.sent, result.skipped) == (1, 1, 0)
    reminder = Reminder.objects.get()
    assert (reminder.case, reminder.step, reminder.kind, reminder.sequence, reminder.due_on) == (
        case,
        None,
        Reminder.Kind.LIMITATION,
        90,
        D(2029, 6, 1),
    )
    notice = Notification.objects.get()
    assert (notice.user, notice.kind, notice.data) == (
        case.owner,
        Notification.Kind.REMINDER_LIMITATION,
        {"due_on": "2029-06-01", "step": "", "sequence": 90},
    )
    event = case.events.get(kind=Event.Kind.REMINDER_SENT)
    assert (event.actor, event.data) == (
        None,
        {"reminder_kind": "limitation", "sequence": 90, "due_on": "2029-06-01", "step": ""},
    )
    case.refresh_from_db()
    assert case.limitation_reminder_at == at_china_hour(D(2029, 5, 2))  # the 30-day warning is next
    later.refresh_from_db()
    assert later.limitation_reminder_at == planned  # another case's warning stays where it was
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_late_sweep_still_warns_on_the_last_day_of_the_period_but_not_after(case):
    """Nothing ran since March: on 2029-06-01 itself the 30-day warning still goes; a day later none does."""
    with time_machine.travel(at(D(2029, 6, 2)), tick=False):  # the clock is past the period; the sweep's moment is not
        result = reminders.sweep(now=at(D(2029, 6, 1)))
    assert (result.sent, result.skipped) == (1, 0)
    assert list(Reminder.objects.values_list("sequence", flat=True)) == [30]  # the latest due, not the stale one
    case.refresh_from_db()
    assert case.limitation_reminder_at is None  # no warning left to plan

    other = warned_case("other@example.com", D(2026, 6, 1))
    result = sweep_at(at(D(2029, 6, 2)))  # the day after the period ended
    assert (result.due, result.sent, result.skipped) == (1, 0, 1)
    assert not Reminder.objects.filter(case=other).exists()
    other.refresh_from_db()
    assert other.limitation_reminder_at is None


@pytest.mark.django_db
def test_a_stale_warning_time_with_nothing_due_is_skipped_and_planned_again(case):
    """A warning time that no warning matches (written by an older plan) sends nothing and moves to the next one."""
    Case.objects.filter(pk=case.pk).update(limitation_reminder_at=at_china_hour(D(2027, 1, 1)))
    result = sweep_at(at(D(2027, 1, 1)))
    assert (result.due, result.sent, result.skipped) == (1, 0, 1)
    assert not Reminder.objects.exists()
    case.refresh_from_db()
    assert case.limitation_reminder_at == at_china_hour(D(2029, 3, 3))


@pytest.mark.django_db
def test_a_warning_already_recorded_is_not_sent_again(case):
    sweep_at(at(D(2029, 3, 3)))
    Case.objects.filter(pk=case.pk).update(limitation_reminder_at=at_china_hour(D(2029, 3, 3)))  # planned again
    result = sweep_at(at(D(2029, 3, 4)))
    assert (result.sent, result.skipped) == (0, 1)
    assert Reminder.objects.count() == Notification.objects.count() == 1


def in_another_session(work):
    def run():
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


@pytest.mark.django_db
def test_the_result_counts_and_says_so(case):
    with time_machine.travel(at(D(2029, 3, 3)), tick=False):
        dry = reminders.sweep(dry_run=True)
        assert dry.as_dict() == {"due": 1, "sent": 0, "skipped": 0, "dispatched": 0, "full": False}
        assert not Reminder.objects.exists()
        result = reminders.sweep()
    assert result.summary() == "due=1 sent=1 skipped=0"
    assert result.as_dict() == {"due": 1, "sent": 1, "skipped": 0, "dispatched": 2, "full": False}  # email and text


@pytest.mark.django_db
def test_sweeping_batch_after_batch_adds_up_every_count(ladder, monkeypatch):
    """Five warnings due, two a batch: three batches, and the totals are the sums of theirs."""
    monkeypatch.setattr(reminders, "BATCH", 2)
    for number in range(4):
        warned_case(f"merchant{number}@example.com", D(2026, 6, 1))
    warned_case("late@example.com", D(2026, 3, 1))  # its period ended on 2029-03-01: skipped
    with time_machine.travel(at(D(2029, 3, 3)), tick=False):
        total = reminders.sweep_all()
    assert total.as_dict() == {"due": 5, "sent": 4, "skipped": 1, "dispatched": 8, "full": False}


@pytest.mark.django_db
def test_a_sweep_with_no_time_left_stops_after_one_batch_even_in_the_same_instant(ladder, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 1)
    monkeypatch.setattr(reminders.time, "monotonic", lambda: 100.0)  # no time passes at all
    for number in range(2):
        warned_case(f"merchant{number}@example.com", D(2026, 6, 1))
    with time_machine.travel(at(D(2029, 3, 3)), tick=False):
        first = reminders.sweep_all(budget_seconds=0)
    assert (first.sent, first.full) == (1, True)


@pytest.mark.django_db
def test_a_step_planned_before_its_first_reminder_is_skipped_and_planned_again(case):
    """A reminder time no reminder of the rule matches (an older plan) sends nothing and moves to the first one."""
    from cases.models import Step

    with time_machine.travel(at(D(2026, 11, 2), 8), tick=False):
        step = case.log_step(
            rung=Rung.objects.get(position=2),
            channel=Channel.objects.get(code="provider-service"),
            actor=case.owner,
            started_on=D(2026, 11, 2),
        )
    Step.objects.filter(pk=step.pk).update(next_reminder_at=at_china_hour(D(2026, 11, 3)))
    result = sweep_at(at(D(2026, 11, 3)))
    assert (result.sent, result.skipped) == (0, 1)
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 7))  # due soon, the rule's first
    assert not Reminder.objects.exists()


# ----- counting, and what a reminder says -------------------------------------------------------------------------


def due_contact(case):
    """A customer-service contact on 2026-11-02: due 11-09, due soon 11-07, lapsed 11-10."""
    started_on = D(2026, 11, 2)
    with time_machine.travel(at(started_on, 8), tick=False):
        return case.log_step(
            rung=Rung.objects.get(position=2),
            channel=Channel.objects.get(code="provider-service"),
            actor=case.owner,
            started_on=started_on,
        )


@pytest.mark.django_db
def test_one_sweep_counts_every_step_and_case_it_sent_or_skipped(ladder):
    from cases.models import Step

    for number in range(4):
        step = due_contact(warned_case(f"step{number}@example.com", D(2026, 6, 1)))
        if number >= 2:  # planned before any reminder of the rule: nothing to send yet
            Step.objects.filter(pk=step.pk).update(next_reminder_at=at_china_hour(D(2026, 11, 3)))
    for number in range(2):
        late = warned_case(f"late{number}@example.com", D(2023, 6, 1))  # its period ended on 2026-06-01
        Case.objects.filter(pk=late.pk).update(limitation_reminder_at=at_china_hour(D(2026, 11, 1)))
    result = sweep_at(at(D(2026, 11, 3)))
    assert (result.due, result.sent, result.skipped) == (4, 0, 4)  # the two steps planned early, the two late cases
    result = sweep_at(at(D(2026, 11, 7)))
    assert (result.due, result.sent, result.skipped) == (4, 4, 0)  # due soon, for all four steps


@pytest.mark.django_db
def test_a_closed_case_with_a_warning_time_left_is_not_due(case):
    case.withdraw("算了", case.owner)
    Case.objects.filter(pk=case.pk).update(limitation_reminder_at=at_china_hour(D(2029, 3, 3)))
    assert sweep_at(at(D(2029, 3, 3))).due == 0


@pytest.mark.django_db
def test_a_lapsed_reminder_says_whose_time_is_up_and_where_to_go_next(case):
    step = due_contact(case)
    sweep_at(at(D(2026, 11, 10)))
    [message] = mail.outbox
    assert message.to == ["owner@example.com"]
    assert message.subject == "支付机构客服的答复期限已到：您可以进入下一步"
    body = message.body
    assert body.startswith("张三，您好：")
    assert "支付机构客服的答复期限为2026-11-09。如仍未答复，您现在可以进入下一步：书面申请。" in body  # the next rung
    assert f"http://127.0.0.1:8000/cases/{case.pk}/" in body
    assert "/reminders/snooze/" in body and "/reminders/unsubscribe/" in body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/reminders/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    notice = Notification.objects.get()
    assert notice.data == {"due_on": "2026-11-09", "step": str(step.pk), "sequence": 1}
    assert notice.kind == Notification.Kind.REMINDER_LAPSED


@pytest.mark.django_db
def test_an_owner_without_a_profile_gets_a_chinese_email_by_their_account_name(case):
    from accounts.models import Profile

    owner = case.owner
    Profile.objects.filter(user=owner).delete()
    owner.first_name, owner.last_name = "小红", "王"
    owner.save()
    due_contact(case)
    sweep_at(at(D(2026, 11, 7)))
    [message] = mail.outbox
    assert message.body.startswith("小红 王，您好：") and "答复" in message.subject


@pytest.mark.django_db
def test_a_text_reminder_names_the_other_side_in_the_merchants_language_when_no_company_is_known(case, sms_outbox):
    from accounts.models import Profile

    Profile.objects.filter(user=case.owner).update(mobile="13800138000", sms_reminders=True, language="zh-hans")
    case.owner.profile.verify_mobile("13800138000")
    Case.objects.filter(pk=case.pk).update(provider=None)
    case.parties.filter(role="respondent").update(name="")
    sweep_at(at(D(2029, 3, 3)))
    [text] = sms_outbox()
    assert text["params"]["provider"] == "对方"


class FailsFor:
    """An email backend that fails for one address and delivers the others."""

    failing = "fail@example.com"

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.inner = EmailBackend()

    def send_messages(self, messages):
        if any(self.failing in message.to for message in messages):
            raise ConnectionError("the mail server refused")
        return self.inner.send_messages(messages)
