"""One live deadline, the same everywhere; periods from receipt; promises; rest days; next year's holidays.

The merchant stories here are the ones that went wrong (issue: deadlines that are right on any date).
Every test freezes the clock.
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from icalendar import Calendar

from accounts.models import Profile
from cases.models import Case, Event, Step, at_china_hour
from escalation.models import Channel, DeadlineRule, HolidayCalendar, HolidayDate, Rung
from reminders import sweep as reminders
from reminders.models import Reminder
from tests.factories import admin_user, merchant, open_case, volunteer
from tests.wizard_steps import CHECKLIST, INTAKE, Wizard

pytestmark = pytest.mark.django_db

D = dt.date


def at(day, hour=10):
    """A moment on ``day`` in China (after the 09:00 reminders)."""
    return at_china_hour(day, hour)


@pytest.fixture
def clock(time_machine):
    """Move the frozen clock: ``clock(date)`` puts it at 10:00 China time that day."""

    def move(day, hour=10):
        time_machine.move_to(at(day, hour), tick=False)

    move(D(2026, 12, 3))
    return move


def rung(position):
    return Rung.objects.get(position=position)


def page_text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# ----- one live deadline ---------------------------------------------------------------------------------


@pytest.fixture
def posted_case(clock, owner_client, owner, provider):
    """The story from the report: customer service in July never answered; the application went by EMS yesterday."""
    wizard = Wizard(owner_client, Case.open(owner))
    wizard.post("intake", {**INTAKE, "provider": provider.pk})
    wizard.post("policy", CHECKLIST)
    wizard.post("customer_service", {"started_on": "2026-07-08", "method": "phone", "outcome": "pending"})
    response = wizard.post(
        "application", {"started_on": "2026-12-02", "method": "post", "reference": "EA123456789CN", "recipient": "北京"}
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=wizard.case.pk)
    return case, case.steps.get(rung__position=2), case.steps.get(rung__position=3)


def test_after_the_application_is_posted_its_deadline_is_the_live_one(posted_case, owner_client):
    case, contact, application = posted_case
    # EMS: received about 12-05; 15 days end on Sunday 12-20, extended to Monday 12-21.
    assert application.due_on == D(2026, 12, 21)
    assert application.due_extended_from == D(2026, 12, 20)
    assert case.live_deadline() == application
    assert not contact.is_live()
    contact.refresh_from_db()
    assert contact.next_reminder_at is None  # the rung left behind stops reminding
    response = owner_client.get(f"/cases/{case.pk}/", follow=True)
    assert response.context["deadline"] == application
    assert response.context["days_left"] == 18
    assert "2026-12-21" in response.context["next_action"]
    header = page_text(response).split('<section class="step-panel"')[0]
    assert "2026-12-21" in header
    assert "2026-07-15" not in header  # the old customer-service deadline
    assert "超期" not in header and "已到" not in header
    assert "遇节假日顺延至2026-12-21" in header


def test_the_next_step_banner_never_repeats_its_label_nor_contradicts_the_page(posted_case, owner_client):
    case, _contact, _application = posted_case
    for step in ("application", "third_party", "litigation"):
        response = owner_client.get(f"/cases/{case.pk}/ladder/{step}/")
        page = page_text(response)
        assert "下一步： 下一步" not in page and "下一步：下一步" not in page
        # The early notice says their time is not up; the banner above it must not say it is.
        assert response.context["early"] == (
            "waiting" if step == "third_party" else (None if step == "application" else "skips")
        )
        assert "届满" not in response.context["next_action"] and "2026-12-21" in response.context["next_action"]


def test_the_case_list_and_the_queue_do_not_flag_a_case_whose_live_deadline_is_ahead(posted_case, client):
    case, _contact, _application = posted_case
    client.force_login(case.owner)
    listing = page_text(client.get("/cases/"))
    assert "2026-12-21" in listing
    assert "overdue" not in listing.split('class="case-list"')[1]
    case.enqueue("help_requested", case.owner)
    client.force_login(volunteer())
    assert str(case.pk) not in page_text(client.get("/review/?overdue=on"))
    queue = page_text(client.get("/review/"))
    assert str(case.pk) in queue and "2026-12-21" in queue and "2026-07-15" not in queue


def test_the_calendar_feed_holds_only_live_deadlines(posted_case, client):
    case, contact, application = posted_case
    token = Profile.objects.get(user=case.owner).calendar_token
    calendar = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content)
    uids = {str(event["uid"]) for event in calendar.walk("VEVENT")}
    assert f"step-{application.pk}@dispute-ladder" in uids
    assert f"step-{contact.pk}@dispute-ladder" not in uids


def test_the_sweep_never_reminds_of_a_rung_left_behind(posted_case, clock):
    case, contact, _application = posted_case
    Step.objects.filter(pk=contact.pk).update(next_reminder_at=at_china_hour(D(2026, 12, 1)))  # a stale plan
    clock(D(2026, 12, 3), 11)
    reminders.sweep()
    assert not Reminder.objects.filter(step=contact).exists()


def test_recording_at_a_lower_rung_plans_no_reminder(clock, owner):
    case = open_case(owner)
    case.log_step(rung=rung(3), actor=owner, started_on=D(2026, 12, 1), method="email")
    late_call = case.log_step(rung=rung(2), actor=owner, started_on=D(2026, 12, 2), method="phone")
    assert late_call.due_on == D(2026, 12, 9)
    assert late_call.next_reminder_at is None
    assert case.rung.position == 3


# ----- promises ------------------------------------------------------------------------------------------


@pytest.fixture
def waiting_contact(clock, owner):
    owner.email = "owner@example.com"
    owner.save()
    case = open_case(owner)
    clock(D(2026, 11, 20), 8)
    step = case.log_step(
        rung=rung(2),
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=D(2026, 11, 20),
        method="phone",
    )
    return case, step


def answer(client, case, step, **data):
    payload = {f"answer-{step.pk}-{name}": value for name, value in data.items()}
    return client.post(f"/cases/{case.pk}/steps/{step.pk}/answer/", payload, follow=True)


def test_a_promised_refund_reminds_on_the_promised_date(waiting_contact, client, clock):
    case, step = waiting_contact
    clock(D(2026, 11, 25))
    client.force_login(case.owner)
    page = page_text(answer(client, case, step, outcome="promised", answered_on="2026-11-25", promised_on="2026-12-10"))
    assert "2026-12-10" in page
    step.refresh_from_db()
    assert (step.outcome, step.promised_on, step.due_on) == ("promised", D(2026, 12, 10), D(2026, 12, 10))
    assert step.next_reminder_at == at_china_hour(D(2026, 12, 10))
    assert case.events.filter(kind=Event.Kind.ANSWER_RECORDED, data__promised_on="2026-12-10").exists()
    # Not a refusal before the promised date has passed.
    case.refresh_from_db()
    assert case.entry_blocker(rung(3), D(2026, 12, 10)) == "waiting"
    assert case.entry_blocker(rung(3), D(2026, 12, 11)) is None
    clock(D(2026, 12, 9))
    assert reminders.sweep().sent == 0
    clock(D(2026, 12, 10))
    assert reminders.sweep().sent == 1
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.due_on) == ("promise", D(2026, 12, 10))
    assert "2026-12-10" in mail.outbox[-1].subject
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 12, 17))  # then weekly until they answer


def test_a_promise_without_a_date_keeps_the_reminders(waiting_contact, client, clock):
    case, step = waiting_contact
    clock(D(2026, 11, 25))
    client.force_login(case.owner)
    answer(client, case, step, outcome="promised", answered_on="2026-11-25")
    step.refresh_from_db()
    assert step.outcome == "promised" and step.due_on == D(2026, 11, 27)
    assert step.next_reminder_at is not None


def test_a_refusal_still_ends_the_reminders(waiting_contact, client, clock):
    case, step = waiting_contact
    clock(D(2026, 11, 25))
    client.force_login(case.owner)
    answer(client, case, step, outcome="refused", answered_on="2026-11-25", promised_on="2026-12-10")
    step.refresh_from_db()
    assert step.outcome == "refused" and step.promised_on is None and step.next_reminder_at is None


@pytest.mark.parametrize(
    ("promised_on", "message"),
    [("2026-11-24", "不能早于"), ("2028-01-01", "一年")],
)
def test_a_bad_promised_date_is_refused_and_nothing_changes(waiting_contact, client, clock, promised_on, message):
    case, step = waiting_contact
    clock(D(2026, 11, 25))
    client.force_login(case.owner)
    page = page_text(answer(client, case, step, outcome="promised", answered_on="2026-11-25", promised_on=promised_on))
    assert message in page
    step.refresh_from_db()
    assert step.outcome == "pending" and step.promised_on is None and step.due_on == D(2026, 11, 27)


def test_a_promise_recorded_at_first_contact_sets_the_deadline(clock, wizard, provider):
    wizard.post("intake", {**INTAKE, "provider": provider.pk})
    wizard.post("policy", CHECKLIST)
    wizard.post(
        "customer_service",
        {"started_on": "2026-12-01", "method": "phone", "outcome": "promised", "promised_on": "2026-12-15"},
    )
    step = wizard.case.steps.get()
    assert (step.due_on, step.next_reminder_at) == (D(2026, 12, 15), at_china_hour(D(2026, 12, 15)))


# ----- periods from receipt -----------------------------------------------------------------------------


@pytest.fixture
def posted_application(clock, owner):
    owner.email = "owner@example.com"
    owner.save()
    case = open_case(owner, harm_known_on=D(2026, 6, 1))
    clock(D(2026, 11, 16), 8)
    step = case.log_step(
        rung=rung(3), actor=owner, started_on=D(2026, 11, 16), method="post", reference="EA000000001CN"
    )
    case.refresh_from_db()
    return case, step


def deliver(client, case, step, **data):
    payload = {f"delivery-{step.pk}-{name}": value for name, value in data.items()}
    return client.post(f"/cases/{case.pk}/steps/{step.pk}/delivery/", payload, follow=True)


def test_a_recorded_delivery_moves_the_deadline_and_its_reminders(posted_application, client, clock):
    case, step = posted_application
    assert step.rule.starts_on == DeadlineRule.Start.DELIVERED
    assert step.clock_start() == (D(2026, 11, 19), True)  # EMS, estimated
    assert step.due_on == D(2026, 12, 4)
    clock(D(2026, 12, 2))
    client.force_login(case.owner)
    page = page_text(client.get(f"/cases/{case.pk}/ladder/application/"))
    assert "预计" in page or "estimated" in page  # the page says the start is an estimate
    reminders.sweep()  # "due soon" for 12-04
    assert Reminder.objects.get().due_on == D(2026, 12, 4)
    clock(D(2026, 12, 3))
    page = page_text(deliver(client, case, step, delivered_on="2026-11-23", delivery_proof="tracking"))
    assert "2026-12-08" in page
    step.refresh_from_db()
    assert (step.delivered_on, step.delivery_proof, step.due_on) == (D(2026, 11, 23), "tracking", D(2026, 12, 8))
    assert step.clock_start() == (D(2026, 11, 23), False)
    assert step.next_reminder_at == at_china_hour(D(2026, 12, 6))
    event = case.events.get(kind=Event.Kind.DELIVERY_RECORDED)
    assert (event.data["due_before"], event.data["due_on"]) == ("2026-12-04", "2026-12-08")
    # The written demand took effect on delivery: the limitation period restarts from 11-23 (2029-11-23, a Friday).
    case.refresh_from_db()
    assert case.limitation_on == D(2029, 11, 23)
    clock(D(2026, 12, 5))
    assert reminders.sweep().sent == 0  # the old "lapsed" moment is gone
    clock(D(2026, 12, 6))
    assert reminders.sweep().sent == 1
    assert Reminder.objects.filter(kind="due_soon", due_on=D(2026, 12, 8)).exists()
    clock(D(2026, 12, 9))
    assert reminders.sweep().sent == 1
    assert Reminder.objects.filter(kind="lapsed", due_on=D(2026, 12, 8)).exists()


@pytest.mark.parametrize(
    ("delivered_on", "message"),
    [("2026-11-15", "寄出"), ("2026-12-04", "将来"), ("not a date", "有效")],
)
def test_a_bad_delivery_date_is_refused_and_nothing_changes(posted_application, client, clock, delivered_on, message):
    case, step = posted_application
    clock(D(2026, 12, 3))
    client.force_login(case.owner)
    page = page_text(deliver(client, case, step, delivered_on=delivered_on, delivery_proof="tracking"))
    assert message in page
    step.refresh_from_db()
    assert step.delivered_on is None and step.due_on == D(2026, 12, 4)
    assert not case.events.filter(kind=Event.Kind.DELIVERY_RECORDED).exists()


def test_someone_elses_step_cannot_be_marked_delivered(posted_application, client, clock):
    case, step = posted_application
    client.force_login(merchant("stranger@example.com"))
    response = client.post(
        f"/cases/{case.pk}/steps/{step.pk}/delivery/",
        {f"delivery-{step.pk}-delivered_on": "2026-11-20", f"delivery-{step.pk}-delivery_proof": "tracking"},
    )
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.delivered_on is None


# ----- rest days on the page -----------------------------------------------------------------------------


def test_the_page_says_when_a_deadline_was_extended_past_a_holiday(time_machine, owner_client, owner):
    time_machine.move_to(at(D(2026, 9, 24)), tick=False)
    case = open_case(owner)
    case.record_policy_read(None, {}, owner)
    step = case.log_step(
        rung=rung(2), channel=Channel.objects.get(code="provider-service"), actor=owner, started_on=D(2026, 9, 24)
    )
    assert (step.due_on, step.due_extended_from) == (D(2026, 10, 8), D(2026, 10, 1))
    page = page_text(owner_client.get(f"/cases/{case.pk}/ladder/customer_service/"))
    assert "遇节假日顺延至2026-10-08" in page


# ----- next year's holidays ------------------------------------------------------------------------------

# A made-up schedule for an unknown year (the test does not claim what the real 2027 notice says).
HOLIDAYS_2027 = "一、元旦：1月1日（周五）至4日（周一）放假，共4天。\n二、春节：2月6日至12日放假调休，共7天。"
WORKDAYS_2027 = "1月9日（周六）、2月20日（周六）上班。"


@pytest.fixture
def admin_client(client, ladder):
    client.force_login(admin_user())
    return client


@pytest.fixture
def provisional_case(clock, owner):
    """A 12315 complaint filed 2026-12-28: 7 working days run into 2027, which nobody has entered."""
    clock(D(2026, 12, 28), 8)
    case = open_case(owner, harm_known_on=D(2024, 1, 4))
    step = case.log_step(
        rung=rung(4),
        channel=Channel.objects.get(code="samr-12315"),
        actor=owner,
        started_on=D(2026, 12, 28),
        method="online",
    )
    case.refresh_from_db()
    return case, step


def enter_url():
    return "/admin/escalation/holidaycalendar/enter/"


def test_entering_next_years_holidays_recomputes_provisional_deadlines(provisional_case, admin_client):
    case, step = provisional_case
    assert (step.due_on, step.due_provisional) == (D(2027, 1, 7), True)
    assert case.limitation_on == D(2027, 1, 4)
    response = admin_client.post(
        enter_url(),
        {"year": "2027", "source": "测试用通知", "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027},
    )
    assert response.status_code == 302, page_text(response)[:3000]
    calendar = HolidayCalendar.objects.get(year=2027)
    assert calendar.complete and calendar.source == "测试用通知"
    assert calendar.dates.filter(kind=HolidayDate.Kind.HOLIDAY).count() == 11
    assert list(calendar.dates.filter(kind=HolidayDate.Kind.WORKDAY).values_list("date", flat=True)) == [
        D(2027, 1, 9),
        D(2027, 2, 20),
    ]
    step.refresh_from_db()
    # Dec 29, 30, 31, then Jan 5, 6, 7, 8: 1-4 January entered as holidays.
    assert (step.due_on, step.due_provisional) == (D(2027, 1, 8), False)
    assert step.next_reminder_at is not None
    case.refresh_from_db()
    assert case.limitation_on == D(2027, 1, 5)  # three years end on a holiday: extended
    moved = case.events.filter(kind=Event.Kind.DEADLINE_RECOMPUTED)
    assert {(e.data["due_before"], e.data["due_on"]) for e in moved} == {
        ("2027-01-07", "2027-01-08"),
        ("2027-01-04", "2027-01-05"),
    }
    assert all(e.data["reason"] == "holidays:2027" for e in moved)


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        (HOLIDAYS_2027, "2月6日（周六）上班", "2027-02-06"),  # a day both off and worked
        ("春节：2月6日至12日\n2月10日", "", "2027-02-10"),  # overlapping lines
        ("春节：2月6号到12号", "", "春节"),  # unreadable
        ("元旦：2月30日", "", "2月30日"),  # not a real date
        ("元旦：2026-12-31..2027-01-02", "", "2026-12-31"),  # outside the year
    ],
)
def test_a_bad_schedule_is_refused_whole(provisional_case, admin_client, holidays, workdays, message):
    _case, step = provisional_case
    response = admin_client.post(
        enter_url(), {"year": "2027", "source": "测试用通知", "holidays": holidays, "workdays": workdays}
    )
    assert response.status_code == 200
    assert message in page_text(response)
    assert not HolidayCalendar.objects.filter(year=2027).exists()
    assert not HolidayDate.objects.exists()
    step.refresh_from_db()
    assert (step.due_on, step.due_provisional) == (D(2027, 1, 7), True)


def test_re_entering_a_year_replaces_its_dates(provisional_case, admin_client):
    data = {"year": "2027", "source": "测试用通知", "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027}
    admin_client.post(enter_url(), data)
    form = page_text(admin_client.get(enter_url() + "?year=2027"))
    assert "2027-02-06..2027-02-12" in form  # the saved dates come back to be edited
    admin_client.post(enter_url(), {**data, "holidays": "元旦：1月1日至3日", "workdays": ""})
    assert HolidayDate.objects.count() == 3
    _case, step = provisional_case
    step.refresh_from_db()
    assert step.due_on == D(2027, 1, 7) and not step.due_provisional


def test_volunteers_cannot_enter_holidays(provisional_case, client):
    client.force_login(volunteer())
    response = client.get(enter_url())
    assert response.status_code in {302, 403}
    assert not HolidayCalendar.objects.exists()


def test_the_check_and_the_admin_index_warn_from_november(clock, admin_client):
    from escalation.checks import holidays_known

    clock(D(2026, 10, 31))
    assert holidays_known(None, databases=["default"]) == []
    assert "2027" not in page_text(admin_client.get("/admin/"))
    clock(D(2026, 11, 1))
    warnings = holidays_known(None, databases=["default"])
    assert [warning.id for warning in warnings] == ["escalation.W001"]
    assert "2027" in warnings[0].msg
    index = page_text(admin_client.get("/admin/"))
    assert "2027" in index and "holidaycalendar/enter/?year=2027" in index
    HolidayCalendar.objects.create(year=2027, complete=True, source="测试用通知")
    assert holidays_known(None, databases=["default"]) == []
    # In January the year itself is unknown: every new deadline would be provisional.
    clock(D(2028, 1, 10))
    assert [w.id for w in holidays_known(None, databases=["default"])] == ["escalation.W001"]


def test_manage_py_check_with_the_database_shows_the_warning(clock, ladder, capsys):
    clock(D(2026, 11, 2))
    call_command("check", "--database", "default")
    output = capsys.readouterr()
    assert "escalation.W001" in output.out + output.err


# ----- the limitation period in one place ------------------------------------------------------------------


def test_the_limitation_rule_edited_by_an_admin_is_used_everywhere(clock, owner_client, owner, provider, ladder):
    wizard = Wizard(owner_client, Case.open(owner))
    wizard.post("intake", {**INTAKE, "provider": provider.pk, "harm_known_on": "2025-07-01"})
    case = Case.objects.get(pk=wizard.case.pk)
    assert case.limitation_on == D(2028, 7, 3)  # 2028-07-01 is a Saturday
    rule = DeadlineRule.objects.get(code="limitation")
    rule.amount = 2
    rule.save()
    case.refresh_from_db()
    assert case.limitation_on == D(2027, 7, 1)
    assert case.routing_facts().limitation_on == D(2027, 7, 1)
    assert case.events.filter(kind=Event.Kind.DEADLINE_RECOMPUTED, data__reason="limitation_rule").exists()
    wizard.post("policy", CHECKLIST)
    page = page_text(owner_client.get(f"/cases/{case.pk}/ladder/litigation/"))
    limitation = page.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "2027-07-01" in limitation and "2028-07-03" not in limitation
    assert "2年" in limitation  # the rule's length, not a hard-coded "three years"
