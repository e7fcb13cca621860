"""Deadlines that remind: due soon, lapsed, repeat, snooze, answers; exactly once; catch-up; limitation."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from cases.models import Case, Event, Step, at_china_hour
from escalation.models import Channel, Rung
from reminders import sweep as reminders
from reminders.models import Notification, Reminder, SweepRun
from tests.factories import merchant, open_case

D = dt.date


def at(day, hour=10):
    """A moment on ``day`` in China (after the 09:00 reminders)."""
    return at_china_hour(day, hour)


@pytest.fixture
def case(ladder):
    with time_machine.travel(at(D(2026, 11, 1)), tick=False):
        owner = merchant("owner@example.com")
        owner.email = "owner@example.com"
        owner.save()
        return open_case(owner, harm_known_on=D(2026, 6, 1))


def contact(case, started_on, outcome=Step.Outcome.PENDING):
    """Log a customer-service contact on the day it happened."""
    with time_machine.travel(at(started_on, 8), tick=False):
        return case.log_step(
            rung=Rung.objects.get(position=2),
            channel=Channel.objects.get(code="provider-service"),
            actor=case.owner,
            started_on=started_on,
            outcome=outcome,
        )


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return reminders.sweep()


@pytest.mark.django_db
def test_a_deadline_walks_through_due_soon_lapsed_and_repeat(case):
    step = contact(case, D(2026, 11, 2))  # 7 days: due 11-09, due soon 11-07, lapsed the morning after
    assert step.due_on == D(2026, 11, 9)
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 7))

    assert sweep_at(at(D(2026, 11, 6))).sent == 0
    result = sweep_at(at(D(2026, 11, 7)))
    assert (result.due, result.sent, result.skipped) == (1, 1, 0)
    assert [r.kind for r in Reminder.objects.all()] == ["due_soon"]
    assert len(mail.outbox) == 1
    assert "2026-11-09" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["owner@example.com"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"

    assert sweep_at(at(D(2026, 11, 9))).sent == 0  # the last day is still theirs
    sweep_at(at(D(2026, 11, 10)))
    sweep_at(at(D(2026, 11, 16)))
    sweep_at(at(D(2026, 11, 23)))
    kinds = list(Reminder.objects.order_by("created_at").values_list("kind", "sequence"))
    assert kinds == [("due_soon", 1), ("lapsed", 1), ("repeat", 1), ("repeat", 2)]
    assert len(mail.outbox) == 4
    assert Notification.objects.filter(user=case.owner).count() == 4
    assert case.events.filter(kind=Event.Kind.REMINDER_SENT).count() == 4


@pytest.mark.django_db
def test_a_rerun_sends_nothing_twice(case):
    contact(case, D(2026, 11, 2))
    first = sweep_at(at(D(2026, 11, 7)))
    second = sweep_at(at(D(2026, 11, 7), 11))
    assert first.sent == 1 and second.sent == 0
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_answer_stops_the_reminders(case):
    step = contact(case, D(2026, 11, 2))
    sweep_at(at(D(2026, 11, 7)))
    step.record_answer(Step.Outcome.REFUSED, D(2026, 11, 8), "", case.owner)
    step.refresh_from_db()
    assert step.next_reminder_at is None
    sweep_at(at(D(2026, 11, 9)))
    sweep_at(at(D(2026, 11, 30)))
    assert Reminder.objects.count() == 1


@pytest.mark.django_db
def test_escalating_or_closing_stops_the_reminders(case):
    step = contact(case, D(2026, 11, 2))
    case.enter_rung(Rung.objects.get(position=3), case.owner, reason="客服拒绝")
    step.refresh_from_db()
    assert step.next_reminder_at is None
    other = open_case(case.owner)
    waiting = contact(other, D(2026, 11, 2))
    other.withdraw("不追了", other.owner)
    waiting.refresh_from_db()
    assert waiting.next_reminder_at is None
    assert sweep_at(at(D(2026, 11, 30))).sent == 0


@pytest.mark.django_db
def test_snooze_pushes_the_next_reminder_a_week(case):
    step = contact(case, D(2026, 11, 2))
    sweep_at(at(D(2026, 11, 10)))  # lapsed
    with time_machine.travel(at(D(2026, 11, 10), 12), tick=False):
        assert step.snooze(case.owner)
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 17))
    assert sweep_at(at(D(2026, 11, 16))).sent == 0
    sweep_at(at(D(2026, 11, 17)))
    assert list(Reminder.objects.order_by("created_at").values_list("kind", flat=True)) == ["lapsed", "repeat"]
    assert case.events.filter(kind=Event.Kind.SNOOZED).exists()


@pytest.mark.django_db
def test_catch_up_sends_the_latest_reminder_only(case):
    """Nothing ran for two weeks: one reminder goes out (the latest), stale ones are skipped."""
    step = contact(case, D(2026, 11, 2))
    result = sweep_at(at(D(2026, 11, 20)))
    assert result.sent == 1
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.sequence) == ("repeat", 1)
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 23))


@pytest.mark.django_db
def test_a_crash_while_emailing_is_retried_and_sends_one_email(case, settings):
    contact(case, D(2026, 11, 2))
    settings.EMAIL_BACKEND = "tests.reminders.test_reminders.BrokenBackend"
    sweep_at(at(D(2026, 11, 7)))
    reminder = Reminder.objects.get()
    assert reminder.email_sent_at is None and reminder.email_claimed_at is not None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sweep_at(at(D(2026, 11, 7), 10) + dt.timedelta(minutes=5))  # still claimed by the "crashed" delivery
    assert len(mail.outbox) == 0
    sweep_at(at(D(2026, 11, 7), 10) + dt.timedelta(minutes=11))
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1
    sweep_at(at(D(2026, 11, 7), 12))
    assert len(mail.outbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP went away")


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_send_once(case):
    for started in (D(2026, 11, 2), D(2026, 11, 3)):
        other = open_case(case.owner)
        contact(other, started)
    contact(case, D(2026, 11, 2))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        barrier.wait()
        try:
            results.append(reminders.sweep(now=at(D(2026, 11, 20))))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 2
    assert sum(result.sent for result in results) == 3
    assert Reminder.objects.count() == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_unsubscribed_merchants_keep_the_in_app_notice(case):
    case.owner.profile.email_reminders = False
    case.owner.profile.save()
    contact(case, D(2026, 11, 2))
    sweep_at(at(D(2026, 11, 7)))
    assert len(mail.outbox) == 0
    assert Reminder.objects.get().email_skipped is True
    assert Notification.objects.filter(user=case.owner).count() == 1


@pytest.mark.django_db
def test_reminder_emails_are_in_the_merchants_language(case):
    contact(case, D(2026, 11, 2))
    sweep_at(at(D(2026, 11, 7)))
    assert "答复" in mail.outbox[0].subject
    case.owner.profile.language = "en"
    case.owner.profile.save()
    sweep_at(at(D(2026, 11, 10)))
    assert "may escalate" in mail.outbox[1].subject
    assert "may now go to the next rung" in mail.outbox[1].body


@pytest.mark.django_db
def test_provisional_deadlines_say_so(case):
    contact(case, D(2026, 12, 28))  # CS default is calendar days: not provisional
    step = case.log_step(
        rung=Rung.objects.get(position=4),
        channel=Channel.objects.get(code="samr-12315"),
        actor=case.owner,
        started_on=D(2026, 12, 28),
    )
    assert step.due_provisional
    sweep_at(at(step.due_on))
    body = next(m.body for m in mail.outbox if "12315" in m.subject)
    assert "暂定" in body


@pytest.mark.django_db
def test_two_ignored_lapsed_reminders_put_the_case_in_the_queue(case):
    contact(case, D(2026, 11, 2))
    for day in (D(2026, 11, 10), D(2026, 11, 16)):
        sweep_at(at(day))
    case.refresh_from_db()
    assert case.queued_at is None
    sweep_at(at(D(2026, 11, 23)))
    case.refresh_from_db()
    assert case.queued_at is not None
    assert case.queue_reason == "reminders_unanswered"
    assert case.events.filter(kind=Event.Kind.QUEUED).count() == 1


@pytest.mark.django_db
def test_a_merchant_who_acts_is_not_queued(case):
    step = contact(case, D(2026, 11, 2))
    sweep_at(at(D(2026, 11, 10)))
    with time_machine.travel(at(D(2026, 11, 10), 12), tick=False):
        step.snooze(case.owner, days=1)
    for day in (D(2026, 11, 16), D(2026, 11, 23)):
        sweep_at(at(day))
    case.refresh_from_db()
    assert case.queued_at is None


@pytest.mark.django_db
def test_limitation_warnings_at_90_and_30_days_and_a_new_demand_restarts_them(case):
    assert case.limitation_on == D(2029, 6, 1)
    assert case.limitation_reminder_at == at_china_hour(D(2029, 3, 3))
    sweep_at(at(D(2029, 3, 3)))
    sweep_at(at(D(2029, 5, 2)))
    assert list(
        Reminder.objects.filter(kind="limitation").values_list("sequence", flat=True).order_by("-sequence")
    ) == [
        90,
        30,
    ]
    assert "2029-06-01" in mail.outbox[-1].subject
    case.log_step(rung=Rung.objects.get(position=3), actor=case.owner, started_on=D(2029, 5, 10))
    case.refresh_from_db()
    assert case.limitation_on == D(2032, 5, 10)
    assert case.limitation_reminder_at == at_china_hour(D(2032, 2, 10))


@pytest.mark.django_db
def test_sweep_command_prints_one_summary_line_and_dry_run_changes_nothing(case, capsys):
    step = contact(case, D(2026, 11, 2))
    with time_machine.travel(at(D(2026, 11, 20)), tick=False):
        call_command("sweep_deadlines", "--dry-run")
        assert capsys.readouterr().out.strip() == "due=1 sent=0 skipped=0"
        step.refresh_from_db()
        assert step.next_reminder_at == at_china_hour(D(2026, 11, 7))
        assert not Reminder.objects.exists()
        call_command("sweep_deadlines")
        assert capsys.readouterr().out.strip() == "due=1 sent=1 skipped=0"
        call_command("sweep_deadlines")
        assert capsys.readouterr().out.strip() == "due=0 sent=0 skipped=0"
    assert SweepRun.objects.count() == 2


@pytest.mark.django_db
def test_seeded_demo_has_a_lapsed_deadline_the_sweep_sends_once(capsys):
    call_command("seed_demo", allow_without_debug=True)
    capsys.readouterr()
    call_command("sweep_deadlines")
    out = capsys.readouterr().out.strip()
    sent = int(out.split("sent=")[1].split()[0])
    assert sent >= 1
    call_command("sweep_deadlines")
    assert capsys.readouterr().out.strip().endswith("sent=0 skipped=0")


@pytest.mark.django_db
def test_reminder_plan_is_shown_before_it_happens(client, case):
    contact(case, D(2026, 11, 20))
    client.force_login(case.owner)
    page = client.get(f"/cases/{case.pk}/ladder/customer_service/").content.decode()
    assert "我们将发送的提醒" in page
    assert "2026-11-25" in page  # due soon
    assert "2026-11-27" in page  # lapsed
    assert "2026-12-04" in page  # first repeat
    assert "2029-03-03" in page  # limitation, 90 days before


def email_links(message):
    """(snooze path, unsubscribe path) from a reminder email's text."""
    lines = message.body.splitlines()
    snooze = next(line.split(" ")[-1] for line in lines if "/reminders/snooze/" in line)
    unsubscribe = next(line.split(" ")[-1] for line in lines if "/reminders/unsubscribe/" in line)
    return snooze.split("127.0.0.1:8000")[-1], unsubscribe.split("127.0.0.1:8000")[-1]


@pytest.mark.django_db
def test_snooze_and_unsubscribe_links_from_the_email(client, case):
    contact(case, D(2026, 11, 2))
    sweep_at(at(D(2026, 11, 9)))
    snooze_path, unsubscribe_path = email_links(mail.outbox[0])
    with time_machine.travel(at(D(2026, 11, 9), 12), tick=False):
        assert client.get(snooze_path).status_code == 200
        assert Step.objects.get().next_reminder_at == at_china_hour(D(2026, 11, 10))  # GET only asks
        response = client.post(snooze_path)
    assert response.status_code == 200
    assert Step.objects.get().next_reminder_at == at_china_hour(D(2026, 11, 16))
    assert client.get(unsubscribe_path).status_code == 200
    case.owner.profile.refresh_from_db()
    assert case.owner.profile.email_reminders is True  # GET only asks
    assert client.post(unsubscribe_path).status_code == 200
    case.owner.profile.refresh_from_db()
    assert case.owner.profile.email_reminders is False
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.get("/reminders/snooze/forged-token/").status_code == 404
    assert client.get("/reminders/unsubscribe/forged-token/").status_code == 404


@pytest.mark.django_db
def test_a_mail_scanner_opening_the_snooze_link_snoozes_nothing(client, case):
    """GET and HEAD show a page with a button; only the button's POST pauses the reminders."""
    step = contact(case, D(2026, 11, 2))
    sweep_at(at(D(2026, 11, 9)))
    snooze_path, _unsubscribe = email_links(mail.outbox[0])
    with time_machine.travel(at(D(2026, 11, 9), 12), tick=False):
        page = client.get(snooze_path)
        assert client.head(snooze_path).status_code == 200
    step.refresh_from_db()
    assert step.next_reminder_at == at_china_hour(D(2026, 11, 10))
    assert not case.events.filter(kind=Event.Kind.SNOOZED).exists()
    html = page.content.decode()
    assert '<form method="post">' in html and "拉卡拉" in html and "2026-11-09" in html  # what it would pause
    assert page["Cache-Control"] == "private, no-store"

    with time_machine.travel(at(D(2026, 11, 9), 12), tick=False):
        done = client.post(snooze_path)  # no CSRF token: the signed link is the authority
    assert "2026-11-16" in done.content.decode() and "<form" not in done.content.decode().split("<main")[-1]
    assert case.events.filter(kind=Event.Kind.SNOOZED).count() == 1
    assert client.put(snooze_path).status_code == 405


@pytest.mark.django_db
def test_opening_the_unsubscribe_link_changes_nothing_and_one_click_still_works(case):
    """GET and HEAD ask and write nothing; a mail app's RFC 8058 one-click POST unsubscribes, without CSRF token."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from accounts.models import Profile
    from lib import emails

    client = Client(enforce_csrf_checks=True)
    no_profile = get_user_model().objects.create_user("noprofile@example.com", "noprofile@example.com")
    path = emails.unsubscribe_url(no_profile).removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    assert page.status_code == 200 and client.head(path).status_code == 200
    assert '<form method="post">' in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert not Profile.objects.filter(user=no_profile).exists()  # opening the link wrote nothing

    owner_path = emails.unsubscribe_url(case.owner).removeprefix("http://127.0.0.1:8000")
    response = client.post(owner_path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    case.owner.profile.refresh_from_db()
    assert case.owner.profile.email_reminders is False
    assert client.post(path).status_code == 200  # a user without a profile yet gets one, emails off
    assert Profile.objects.get(user=no_profile).email_reminders is False
    assert client.put(path).status_code == 405


@pytest.mark.django_db
def test_in_app_notices_with_unread_count(client, case):
    contact(case, D(2026, 11, 2))
    sweep_at(at(D(2026, 11, 10)))
    client.force_login(case.owner)
    page = client.get("/cases/").content.decode()
    assert 'class="count"' in page
    page = client.get("/notifications/").content.decode()
    assert "2026-11-09" in page and "对方期限已到" in page or "答复期限" in page
    client.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert 'class="count"' not in client.get("/cases/").content.decode()


@pytest.mark.django_db
def test_notices_are_private(client, case):
    contact(case, D(2026, 11, 2))
    sweep_at(at(D(2026, 11, 9)))
    client.force_login(merchant("stranger@example.com"))
    assert "2026-11-09" not in client.get("/notifications/").content.decode()
    client.post("/notifications/read/")
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_closed_case_stops_its_limitation_warnings_and_reopening_resumes(case):
    case.withdraw("先放一放", case.owner)
    case.refresh_from_db()
    assert case.limitation_reminder_at is None
    with time_machine.travel(at(D(2026, 12, 1)), tick=False):
        case.reopen(case.owner)
    case.refresh_from_db()
    assert case.limitation_reminder_at == at_china_hour(D(2029, 3, 3))
    assert Case.objects.filter(limitation_reminder_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_one_sweep_takes_batch_after_batch_until_nothing_is_due(ladder, monkeypatch):
    # At 09:00 every reminder of the day falls due at once: one sweep sends them all, within its time budget.
    monkeypatch.setattr(reminders, "BATCH", 2)
    with time_machine.travel(at(D(2026, 11, 1)), tick=False):
        cases = [open_case(merchant(f"merchant{number}@example.com")) for number in range(5)]
    for each in cases:
        contact(each, D(2026, 11, 2))
    with time_machine.travel(at(D(2026, 11, 20)), tick=False):
        first = reminders.sweep_all(budget_seconds=0)  # no time left after one batch
        assert (first.sent, first.full) == (2, True)
        rest = reminders.sweep_all()
        assert (rest.sent, rest.full) == (3, False)
    assert Reminder.objects.count() == 5
    assert SweepRun.objects.count() == 3  # one row per batch: the first call 1, the second 2 (2 + 1 reminders)
