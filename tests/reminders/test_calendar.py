"""The private ICS feed: parses, every open deadline as an all-day event, stable UIDs, revocable."""

import datetime as dt

import pytest
from icalendar import Calendar

from accounts.models import Profile
from cases.models import Step
from escalation.models import Channel, Rung
from tests.factories import merchant, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(ladder):
    owner = merchant("owner@example.com")
    case = open_case(owner, harm_known_on=dt.date(2026, 6, 1))
    step = case.log_step(
        rung=Rung.objects.get(position=2),
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=dt.date(2026, 11, 20),
    )
    return owner, case, step


def feed(client, owner):
    token = Profile.objects.get(user=owner).calendar_token
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_parses_and_lists_deadlines_as_all_day_events(client, setup):
    owner, case, step = setup
    found = events(feed(client, owner))
    event = found[f"step-{step.pk}@dispute-ladder"]
    assert event.decoded("dtstart") == dt.date(2026, 11, 27)
    assert event.decoded("dtend") == dt.date(2026, 11, 28)
    assert "支付机构客服" in str(event["summary"])
    assert f"/cases/{case.pk}/" in str(event["url"])
    limitation = found[f"limitation-{case.pk}@dispute-ladder"]
    assert limitation.decoded("dtstart") == dt.date(2029, 6, 1)


def test_uids_are_stable_and_a_moved_deadline_is_a_new_sequence(client, setup):
    owner, _case, step = setup
    first = events(feed(client, owner))
    second = events(feed(client, owner))
    assert first.keys() == second.keys()
    uid = f"step-{step.pk}@dispute-ladder"
    Step.objects.filter(pk=step.pk).update(due_on=dt.date(2026, 12, 3))
    moved = events(feed(client, owner))
    assert moved.keys() == first.keys()
    assert moved[uid].decoded("dtstart") == dt.date(2026, 12, 3)
    assert int(moved[uid]["sequence"]) > int(first[uid]["sequence"])


def test_answered_and_closed_deadlines_leave_the_feed(client, setup):
    owner, case, step = setup
    step.record_answer(Step.Outcome.REFUSED, dt.date(2026, 11, 21), "", owner)
    assert f"step-{step.pk}@dispute-ladder" not in events(feed(client, owner))
    case.withdraw("不追了", owner)
    assert events(feed(client, owner)) == {}


def test_the_feed_is_private_and_revocable(client, setup):
    owner, _case, _step = setup
    other = merchant("other@example.com")
    assert events(feed(client, other)) == {}
    old = Profile.objects.get(user=owner).calendar_token
    client.force_login(owner)
    assert old in client.get("/accounts/profile/").content.decode()
    client.post("/accounts/calendar/reset/")
    new = Profile.objects.get(user=owner).calendar_token
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert client.get("/calendar/guess.ics").status_code == 404
