"""Facts read from a case's evidence are offered, never applied: the owner confirms or sets each aside."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Event, Evidence, Party
from reading import reader
from reading.models import OfferedFact
from tests.factories import merchant, open_case, volunteer
from tests.reading import images

pytestmark = pytest.mark.django_db

CHAT = [
    "代理 王经理",
    "您好，机器是免费的，只收押金299元",
    "商户号 822290053990123",
    "刷满10万就退押金",
    "签约公司：拉卡拉支付股份有限公司",
    "开通日期 2025年3月1日",
]


@pytest.fixture
def case(owner):
    return open_case(owner, merchant_number="")


def exhibit(case, lines=CHAT):
    """A text exhibit whose words are already read (as an imported case file's are)."""
    text = "\n".join(lines)
    upload = SimpleUploadedFile("聊天.txt", text.encode())
    return Evidence.add(case, upload, "text/plain", case.owner, title="", text=text)


def offered(case, kind):
    return OfferedFact.objects.get(case=case, kind=kind)


def test_the_facts_of_a_text_are_offered_once_each_with_their_line(case):
    item = exhibit(case)
    added = OfferedFact.offer_from(item)
    facts = {(fact.kind, fact.value) for fact in OfferedFact.objects.filter(evidence=item)}
    assert added == len(facts) >= 4
    assert ("amount", "299.00") in facts
    assert ("merchant_number", "822290053990123") in facts
    assert ("company", "拉卡拉支付股份有限公司") in facts
    assert ("date", "2025-03-01") in facts
    deposit = OfferedFact.objects.get(case=case, kind="amount", value="299.00")
    assert (deposit.label, deposit.line, deposit.line_text) == ("deposit", 1, CHAT[1])
    assert all(fact.is_offered for fact in OfferedFact.objects.filter(evidence=item))
    assert OfferedFact.offer_from(item) == 0  # read again: nothing offered twice
    assert case.events.filter(kind=Event.Kind.FACTS_OFFERED).count() == 1
    # Nothing is applied until the owner says so.
    case.refresh_from_db()
    assert case.merchant_number == ""


def test_confirming_fills_an_empty_field_and_the_timeline_says_where_from(case, owner):
    item = exhibit(case)
    OfferedFact.offer_from(item)
    fact = offered(case, "merchant_number")
    assert fact.confirm(owner) == "merchant_number"
    case.refresh_from_db()
    assert case.merchant_number == "822290053990123"
    fact.refresh_from_db()
    assert fact.is_confirmed and fact.decided_by == owner
    event = case.events.get(kind=Event.Kind.FACT_CONFIRMED)
    assert event.data["exhibit"] == item.exhibit_number and event.data["line"] == 3
    assert fact.confirm(owner) == "merchant_number"  # a second click changes nothing
    assert case.events.filter(kind=Event.Kind.FACT_CONFIRMED).count() == 1


def test_confirming_never_overwrites_what_the_merchant_typed(case, owner):
    case.fill_from_evidence({"merchant_number": "TYPED-BY-HAND"}, owner)
    item = exhibit(case)
    OfferedFact.offer_from(item)
    assert offered(case, "merchant_number").confirm(owner) == ""
    case.refresh_from_db()
    assert case.merchant_number == "TYPED-BY-HAND"
    assert offered(case, "merchant_number").is_confirmed


def test_a_confirmed_credit_code_goes_to_the_respondent(case, owner):
    item = exhibit(case, ["统一社会信用代码：91310000MA1FL3LU0R"])
    OfferedFact.offer_from(item)
    fact = offered(case, "credit_code")
    respondent = case.party(Party.Role.RESPONDENT)
    if respondent is not None and respondent.credit_code:
        pytest.skip("the test case's respondent already has a credit code")
    assert fact.confirm(owner) == "respondent.credit_code"
    case.refresh_from_db()
    case.forget_facts()
    assert case.party(Party.Role.RESPONDENT).credit_code == "91310000MA1FL3LU0R"


def test_setting_a_fact_aside_changes_nothing_in_the_case(case, owner):
    item = exhibit(case)
    OfferedFact.offer_from(item)
    fact = offered(case, "merchant_number")
    assert fact.dismiss(owner)
    assert not fact.dismiss(owner)
    fact.refresh_from_db()
    assert fact.is_dismissed
    case.refresh_from_db()
    assert case.merchant_number == ""
    assert case.events.filter(kind=Event.Kind.FACT_DISMISSED).count() == 1


def test_the_owner_answers_on_the_page_and_nobody_else_can(client, case, owner):
    item = exhibit(case)
    OfferedFact.offer_from(item)
    fact = offered(case, "merchant_number")
    url = f"/cases/{case.pk}/facts-read/{fact.pk}/"
    assert client.post(url, {"answer": "confirm"}).status_code == 302  # to the login page
    assert client.get(url).status_code in {302, 405}
    client.force_login(merchant("other@example.com"))
    assert client.post(url, {"answer": "confirm"}).status_code == 404
    client.force_login(volunteer())
    assert client.post(url, {"answer": "confirm"}).status_code == 404
    client.force_login(owner)
    page = f"/cases/{case.pk}/evidence/list/"
    response = client.post(url, {"answer": "confirm", "next": page})
    assert response.status_code == 302 and response.url == page
    fact.refresh_from_db()
    assert fact.is_confirmed


def test_the_evidence_list_offers_the_facts_with_their_line(client, case, owner):
    item = exhibit(case)
    OfferedFact.offer_from(item)
    client.force_login(owner)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/cases/{case.pk}/evidence/list/").content.decode()
    assert "Found in this file" in page
    assert "822290053990123" in page and "line 3" in page
    assert page.count('value="confirm"') == OfferedFact.objects.filter(case=case).count()


def test_a_picture_read_by_the_worker_offers_its_facts(case):
    data = images.png(["押金299元", "拉卡拉支付股份有限公司"], size=(640, 180))
    item = Evidence.add(case, SimpleUploadedFile("截图.png", data), "image/png", case.owner, title="")
    assert reader.read_evidence(item.pk) == reader.Outcome.READ
    facts = {(fact.kind, fact.value) for fact in OfferedFact.objects.filter(evidence=item)}
    assert ("amount", "299.00") in facts and ("company", "拉卡拉支付股份有限公司") in facts


def test_the_words_are_kept_when_finding_facts_breaks(case, monkeypatch):
    def broken(evidence, today=None):
        raise RuntimeError("a bug in the finding of facts")

    monkeypatch.setattr(OfferedFact, "offer_from", broken)
    item = Evidence.add(case, SimpleUploadedFile("截图.png", images.png()), "image/png", case.owner, title="")
    assert reader.read_evidence(item.pk) == reader.Outcome.READ
    item.refresh_from_db()
    assert item.is_read and "拉卡拉" in item.text


def test_a_fact_too_long_for_its_field_is_refused_with_a_reason_and_nothing_changes(client, case, owner):
    case.fill_from_evidence({"terminal_sn": ""}, owner)  # an empty field, so the fact would fill it
    item = exhibit(case)
    fact = OfferedFact.objects.create(
        case=case, evidence=item, kind=OfferedFact.Kind.TERMINAL_SERIAL, value="S" * 80, line=0, line_text="SN"
    )
    client.force_login(owner)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(f"/cases/{case.pk}/facts-read/{fact.pk}/", {"answer": "confirm"}, follow=True)
    assert "cannot go into your case" in response.content.decode()
    fact.refresh_from_db()
    case.refresh_from_db()
    assert fact.is_offered and case.terminal_sn != "S" * 80
