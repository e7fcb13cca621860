"""Short pages on a phone (issue 17): the one thing to do shows, the rest folds behind its heading."""

import datetime as dt
import re

import pytest

from cases.models import Evidence
from escalation import cache as ladder
from escalation.models import Channel
from escalation.routing import Recommendation
from tests.cases.test_evidence import png_bytes, upload
from tests.factories import merchant, open_case
from wizard.views.panels import first_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(ladder, time_machine, client):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)
    user = merchant("owner@example.com")
    client.force_login(user)
    return user


def open_boxes(html):
    """The titles of the letters shown unfolded."""
    return re.findall(r'<details class="document box" open>\s*<summary><h3>(.*?)</h3>', html)


def test_the_first_choice_is_the_first_place_ready_and_likely_to_take_the_case():
    bank, bureau, court = Channel(code="a"), Channel(code="b"), Channel(code="c")
    not_yet = Recommendation(bank, ready=False)
    ready = Recommendation(bureau)
    refuses = Recommendation(court, eligible=False)
    assert first_choice([refuses, not_yet, ready]) is ready
    assert first_choice([refuses, not_yet]) is not_yet  # nothing ready: the first that may take it
    assert first_choice([refuses]) is None
    assert first_choice(None) is None


def test_rung_four_shows_one_place_and_its_letter_and_folds_the_others(client, owner):
    case = open_case(owner)
    case.log_step(rung=ladder.rung(2), actor=owner, started_on=dt.date(2026, 11, 2), method="phone", outcome="refused")
    response = client.get(f"/cases/{case.pk}/ladder/third_party/")
    recommendations = response.context["third_party_recommendations"]
    letters = response.context["step_letters"]
    assert recommendations[0] is first_choice(recommendations)
    assert letters[0]["letter"].channel == recommendations[0].channel
    html = response.content.decode()
    shown = re.search(r'<ol class="recommendations">(.*?)</ol>', html, re.S).group(1)
    assert shown.count('<li class="recommendation') == 1
    others = re.search(r'<details class="fold others">\s*<summary>另外(\d+)个可以去的地方</summary>', html)
    assert int(others.group(1)) == len(recommendations) - 1
    assert open_boxes(html) == [str(letters[0]["letter"].title)]
    assert f"另外{len(letters) - 1}份文书" in html
    # Recording a complaint waits behind its heading.
    assert re.search(r'<details class="fold record">\s*<summary>\s*<h2>记录一次投诉</h2>', html)


def test_a_form_with_errors_or_a_draft_opens_its_fold(client, owner):
    case = open_case(owner)
    html = client.post(
        f"/cases/{case.pk}/ladder/application/",
        {"ladder_wizard-current_step": "application", "application-method": "post"},
    ).content.decode()
    assert '<details class="fold record" open>' in html
    assert 'class="error-summary"' in html


def test_a_letter_folds_once_it_is_sent(client, owner):
    case = open_case(owner)
    url = f"/cases/{case.pk}/ladder/application/"
    assert len(open_boxes(client.get(url).content.decode())) == 1
    case.log_step(rung=ladder.rung(3), actor=owner, started_on=dt.date(2026, 12, 1), method="email")
    html = client.get(url).content.decode()
    assert open_boxes(html) == []
    assert '<details class="document box">' in html  # still there, one tap away


def test_what_a_letter_lacks_links_to_the_section_where_it_is_filled_in(client, owner):
    case = open_case(owner)
    html = client.get(f"/cases/{case.pk}/ladder/application/").content.decode()
    missing = re.search(r'<details class="notice missing">.*?</details>', html, re.S).group(0)
    assert f'href="/cases/{case.pk}/facts/?open=respondent#respondent"' in missing


def test_parties_and_money_folds_each_section_and_says_what_it_lacks(client, owner):
    case = open_case(owner)
    url = f"/cases/{case.pk}/facts/"
    html = client.get(url).content.decode()
    sections = re.findall(r'<details class="box section" id="(\w+)"( open)?>', html)
    assert [name for name, _ in sections] == ["person", "respondent", "agent", "money", "deception", "details"]
    assert all(not opened for _, opened in sections)
    respondent = re.search(r'<details class="box section" id="respondent">.*?</summary>', html, re.S).group(0)
    assert re.search(r"还缺\d+项", respondent)  # the credit code and address are not known yet
    html = client.get(url + "?open=respondent").content.decode()
    assert '<details class="box section" id="respondent" open>' in html
    assert '<details class="box section" id="person">' in html
    html = client.post(
        f"/cases/{case.pk}/facts/charges/", {"charge-kind": "activation", "charge-amount": "-3", "charge-how": "frozen"}
    ).content.decode()
    assert '<details class="box section" id="money" open>' in html


def test_older_records_at_a_rung_fold(client, owner):
    case = open_case(owner)
    rung = ladder.rung(2)
    for day, outcome in ((1, "refused"), (2, "refused"), (3, "pending")):
        case.log_step(rung=rung, actor=owner, started_on=dt.date(2026, 11, day), method="phone", outcome=outcome)
    response = client.get(f"/cases/{case.pk}/ladder/customer_service/")
    shown = [item.started_on.day for item, *_ in response.context["rung_steps"]]
    folded = [item.started_on.day for item, *_ in response.context["earlier_steps"]]
    assert shown == [3] and folded == [2, 1]
    assert "更早的2条记录" in response.content.decode()


def test_evidence_beyond_three_folds_and_the_upload_form_is_one_tap_away(client, owner):
    case = open_case(owner)
    for number in range(4):
        upload(client, case, f"photo{number}.png", png_bytes((40 + number, 30)))  # four different photos
    assert Evidence.objects.filter(case=case).count() == 4
    html = client.get(f"/cases/{case.pk}/ladder/customer_service/").content.decode()
    first = re.search(r'<ul class="evidence-list">(.*?)</ul>', html, re.S).group(1)
    assert first.count("<li>") == 3
    assert "另外1份证据" in html
    assert '<details class="upload">' in html  # folded, whether or not there is evidence


def test_the_pdf_language_follows_the_page(client, owner):
    case = open_case(owner)
    url = f"/cases/{case.pk}/ladder/application/"
    assert re.search(r'<option value="zh-hans" selected>', client.get(url).content.decode())
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    html = client.get(url).content.decode()
    # A merchant who reads English files the Chinese text with its English translation beside it.
    assert re.search(r'<option value="zh\+en" selected>中文 \+ English</option>', html)
    assert '<option value="en">English</option>' in html
