"""The message checker page: the alarm for a scam, a calm line otherwise, the admin's rules, saving to a case."""

import logging

import pytest
from django.urls import reverse

from cases.models import Event, Evidence
from checker.marks import load_marks
from checker.models import ScamMark
from tests.checker.test_marks import ORDINARY, SCAM
from tests.factories import admin_user, merchant, open_case

pytestmark = pytest.mark.django_db

URL = "/check-message/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SCAM_EN = (
    "Your POS deposit refund is ready. Click http://refund-pos.top and enter your card number and the "
    "verification code within 24 hours."
)
DELIVERY_CHAT = "师傅您好，我的快递今天下午能送到吗？放门口就行，谢谢！"


@pytest.fixture(autouse=True)
def marks(db):
    """The seeded marks (a test that flushes the tables would lose the data migration's rows)."""
    load_marks()


def codes(response):
    return [finding.mark.code for finding in response.context["findings"]]


def test_the_page_is_a_form_with_one_text_field(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("checker:check") == URL
    assert '<textarea name="text"' in html and 'maxlength="2000"' in html
    assert "check-answer" not in html and "96110" not in html
    assert "no-store" in response["Cache-Control"]


def test_a_refund_scam_shows_each_mark_with_its_explanation_and_source_and_the_hotline(client):
    response = client.post(URL, {"text": SCAM})
    html = response.content.decode()
    assert codes(response) == ["link", "verification-code", "card-details", "urgency"]
    for code in codes(response):
        rule = ScamMark.objects.get(code=code)
        assert rule.name_zh in html and rule.explanation_zh in html
        assert rule.legal_basis_zh in html
    assert "要您先交钱" not in html  # a mark the message does not show
    assert "<q>http://lkl-refund.cc</q>" in html  # the words that show it, never a live link
    assert 'href="http://lkl-refund.cc"' not in html
    assert 'href="https://gaj.changzhou.gov.cn/' in html  # the link mark's source
    assert "结算账户" in html  # what a real refund looks like (an existing translation)
    assert 'href="tel:96110"' in html and 'href="tel:110"' in html
    assert "check-scam" in html


def test_the_answer_comes_by_get_too(client):
    response = client.get(URL, {"text": SCAM})
    assert codes(response) == ["link", "verification-code", "card-details", "urgency"]
    assert 'href="tel:96110"' in response.content.decode()


@pytest.mark.parametrize("text", [ORDINARY[0], DELIVERY_CHAT, ORDINARY[-1]])
def test_an_ordinary_message_gets_no_alarm_and_no_hotline(client, text):
    response = client.post(URL, {"text": text}, **EN)
    html = response.content.decode()
    assert response.context["checked"] and codes(response) == []
    assert "No known scam marks found" in html and "Still, a real refund" in html
    assert "96110" not in html and "check-scam" not in html


def test_the_page_in_english(client):
    response = client.post(URL, {"text": SCAM_EN}, **EN)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert codes(response) == ["link", "verification-code", "card-details", "urgency"]
    assert "This message shows 4 marks of a refund scam" in html
    assert "A link or a QR code" in html and "Asks for your card number, password or ID number" in html
    assert "Public anti-fraud warnings by the police and banks" in html
    assert "What a real refund looks like" in html and 'href="tel:96110"' in html
    one = client.post(URL, {"text": "Please send us the verification code."}, **EN).content.decode()
    assert "This message shows a mark of a refund scam" in one


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Paste the message you want to check."),
        ("  \n ", "Paste the message you want to check."),
        ("退" * 2001, "The message is 2001 characters long; paste at most 2000."),
    ],
)
def test_bad_input_is_refused_in_plain_words(client, text, error):
    response = client.post(URL, {"text": text}, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html and "error-summary" in html
    assert not response.context["checked"] and "check-answer" not in html


def test_line_breaks_count_as_one_character_each(client):
    text = "验证码\r\n" * 400  # 2000 characters once the browser's CRLF are single line breaks
    response = client.post(URL, {"text": text}, **EN)
    assert response.context["checked"]


def test_an_empty_query_is_an_error_and_no_query_is_the_form(client):
    assert "Paste the message you want to check." in client.get(URL, {"text": ""}, **EN).content.decode()
    assert "Paste the message you want to check." not in client.get(URL, **EN).content.decode()


def test_a_rule_added_in_the_admin_changes_the_answer(client):
    text = "押金退还前，请先购买一张礼品卡作为凭证。"
    assert codes(client.post(URL, {"text": text})) == []
    staff = admin_user()
    client.force_login(staff)
    response = client.post(
        reverse("admin:checker_scammark_add"),
        {
            "code": "gift-card",
            "kind": ScamMark.Kind.OTHER,
            "position": 5,
            "is_active": "on",
            "name_zh": "要你买礼品卡",
            "name_en": "Asks you to buy a gift card",
            "explanation_zh": "退款不需要你买任何东西。",
            "explanation_en": "A refund never needs you to buy anything.",
            "matching": ScamMark.Matching.KEYWORDS,
            "patterns": "礼品卡\ngift card",
            "legal_basis_zh": "",
            "legal_basis_en": "",
            "sources": "",
            "verification": "unverified",
        },
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()
    response = client.post(URL, {"text": text})
    assert codes(response) == ["gift-card"]
    assert "要你买礼品卡" in response.content.decode() and 'href="tel:96110"' in response.content.decode()
    ScamMark.objects.filter(code="gift-card").update(is_active=False)
    assert codes(client.post(URL, {"text": text})) == []


def test_switching_a_seeded_rule_off_takes_its_mark_away(client):
    ScamMark.objects.filter(code="urgency").update(is_active=False)
    assert codes(client.post(URL, {"text": SCAM})) == ["link", "verification-code", "card-details"]


@pytest.mark.parametrize(
    ("patterns", "error"),
    [
        ("验证码\n(unclosed", "Line 2 is not a valid regular expression: (unclosed"),
        ("a|", "Line 1 matches an empty message, so it would mark every message: a|"),
    ],
)
def test_the_admin_refuses_an_invalid_regular_expression(client, patterns, error):
    client.force_login(admin_user())
    response = client.post(
        reverse("admin:checker_scammark_add"),
        {
            "code": "broken",
            "kind": ScamMark.Kind.OTHER,
            "position": 0,
            "name_zh": "坏规则",
            "name_en": "Broken",
            "explanation_zh": "说明",
            "explanation_en": "",
            "matching": ScamMark.Matching.REGEX,
            "patterns": patterns,
            "verification": "unverified",
        },
        **EN,
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ScamMark.objects.filter(code="broken").exists()


def test_the_admin_lists_and_opens_the_marks_in_chinese(client):
    client.force_login(admin_user())
    response = client.get(reverse("admin:checker_scammark_changelist"), {"q": "验证码"})
    assert response.status_code == 200 and 'lang="zh-hans"' in response.content.decode()
    link = ScamMark.objects.get(code="link")
    response = client.get(reverse("admin:checker_scammark_change", args=[link.pk]))
    assert response.status_code == 200 and "有链接或二维码" in response.content.decode()


# ----- links to the page -----


def test_the_home_page_and_every_case_page_link_to_the_checker(client, ladder):
    assert f'href="{URL}"' in client.get("/").content.decode()
    owner = merchant("owner@example.com", language="en")
    case = open_case(owner)
    client.force_login(owner)
    for url in [f"/cases/{case.pk}/ladder/customer_service/", f"/cases/{case.pk}/facts/"]:
        html = client.get(url, **EN).content.decode()
        assert f'href="{URL}">Check a message</a>' in html, url


# ----- saving a message to a case -----


@pytest.fixture
def owner(ladder):
    """A merchant whose pages are in English (a signed-in user's pages follow the profile)."""
    return merchant("owner@example.com", language="en")


@pytest.fixture
def case(owner):
    return open_case(owner)


def test_a_merchant_saves_a_checked_message_to_an_open_case(client, owner, case):
    client.force_login(owner)
    html = client.post(URL, {"text": SCAM}, **EN).content.decode()
    save = reverse("checker:save", args=[case.pk])
    assert f'formaction="{save}"' in html and 'name="csrfmiddlewaretoken"' in html
    response = client.post(save, {"text": SCAM}, **EN)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#evidence"
    (item,) = Evidence.objects.filter(case=case)
    assert item.title == "Suspicious message" and item.content_type == "text/plain"
    assert item.file.read().decode("utf-8") == SCAM
    assert item.proves.startswith("Message checker: 4 marks of a refund scam (A link or a QR code; ")
    assert item.uploaded_by == owner and item.download_name == "Suspicious message.txt"
    assert case.events.filter(kind=Event.Kind.EVIDENCE_ADDED).count() == 1
    page = client.get(response["Location"], follow=True, **EN).content.decode()
    assert "Saved as Exhibit 1." in page and "Suspicious message" in page
    again = client.post(save, {"text": SCAM}, follow=True, **EN)
    assert "This file is already saved as Exhibit 1." in again.content.decode()
    assert Evidence.objects.filter(case=case).count() == 1


def test_a_calm_answer_can_be_saved_too_with_its_verdict(client, owner, case):
    client.force_login(owner)
    client.post(reverse("checker:save", args=[case.pk]), {"text": ORDINARY[0]}, **EN)
    assert Evidence.objects.get(case=case).proves == "Message checker: no known scam marks found."


def test_only_open_cases_of_ones_own_are_offered(client, owner, case):
    other = open_case(merchant("other@example.com"))
    closed = open_case(owner)
    closed.withdraw("不追了", owner)
    client.force_login(owner)
    response = client.post(URL, {"text": SCAM})
    assert [item.pk for item in response.context["open_cases"]] == [case.pk]
    html = response.content.decode()
    assert str(other.pk) not in html and str(closed.pk) not in html


def test_another_merchants_case_or_a_closed_one_is_404(client, owner, case):
    client.force_login(merchant("stranger@example.com"))
    assert client.post(reverse("checker:save", args=[case.pk]), {"text": SCAM}).status_code == 404
    client.force_login(owner)
    case.withdraw("不追了", owner)
    assert client.post(reverse("checker:save", args=[case.pk]), {"text": SCAM}).status_code == 404
    assert not Evidence.objects.exists()


def test_saving_needs_a_login_and_the_page_says_so(client, case):
    response = client.post(reverse("checker:save", args=[case.pk]), {"text": SCAM})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    html = client.post(URL, {"text": SCAM}, **EN).content.decode()
    assert "Log in to save it to a case" in html and f'href="/accounts/login/?next={URL}"' in html
    assert "formaction" not in html
    assert not Evidence.objects.exists()


def test_a_merchant_without_an_open_case_is_told_so(client, owner):
    client.force_login(owner)
    assert "You have no open case to save it to." in client.post(URL, {"text": SCAM}, **EN).content.decode()


def test_an_empty_message_is_not_saved(client, owner, case):
    client.force_login(owner)
    response = client.post(reverse("checker:save", args=[case.pk]), {"text": " "}, follow=True, **EN)
    assert "Paste the message you want to check." in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_case_over_its_evidence_limit_keeps_the_answer_on_the_page(client, owner, case, settings):
    settings.EVIDENCE_MAX_CASE_BYTES = 10
    client.force_login(owner)
    response = client.post(reverse("checker:save", args=[case.pk]), {"text": SCAM}, **EN)
    html = response.content.decode()
    assert response.status_code == 200 and "the limit per case is" in html
    assert codes(response) == ["link", "verification-code", "card-details", "urgency"]
    assert not Evidence.objects.exists()


# ----- nothing kept, nothing logged -----


def test_the_message_is_never_logged_nor_kept(client, owner, case, caplog):
    secret = "【某支付】退押金专员小王 http://secret-refund.cc 验证码发我 13812345678"
    caplog.set_level(logging.DEBUG)
    client.post(URL, {"text": secret})
    client.get(URL, {"text": secret})
    client.post(URL, {"text": "x" * 3000})
    assert not Evidence.objects.exists()
    client.force_login(merchant("stranger@example.com"))
    client.post(reverse("checker:save", args=[case.pk]), {"text": secret})  # a 404, logged as one
    client.force_login(owner)
    client.post(reverse("checker:save", args=[case.pk]), {"text": secret})
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert "Not Found: /check-message/save/" in logged  # the log was listening
    for piece in ("secret-refund", "验证码发我", "13812345678", "退押金专员", "xxxxxxxx"):
        assert piece not in logged
    (item,) = Evidence.objects.filter(case=case)  # kept only because the owner asked
    assert all("secret" not in str(event.data) for event in case.events.all())
    assert "secret" not in item.proves and "secret" not in item.title
