"""Phone-first pages (issue 17): a way in, no silent defaults, errors that help, honest progress, confirmations."""

import datetime as dt
import gzip
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from escalation import cache as ladder
from escalation.models import Channel, Verification, public_source
from tests.cases.test_evidence import png_bytes, upload
from tests.factories import merchant, open_case
from tests.wizard_steps import INTAKE, Wizard

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def owner(ladder, frozen, client):
    user = merchant("owner@example.com")
    client.force_login(user)
    return user


def test_the_home_page_starts_a_case_and_continues_the_latest_one(client, ladder, frozen):
    html = client.get("/").content.decode()
    assert 'href="/accounts/signup/">开始我的案件</a>' in html
    assert "继续我的案件" not in html
    for position in range(1, 6):
        assert f'href="/ladder/#rung-{position}"' in html  # each rung card says what the rung means
    user = merchant("owner@example.com")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'action="/cases/new/"' in html and "开始我的案件" in html
    older, newer = open_case(user), open_case(user)
    Case.objects.filter(pk=older.pk).update(updated_at=newer.updated_at + dt.timedelta(hours=1))
    html = client.get("/").content.decode()
    assert f'href="/cases/{older.pk}/">继续我的案件</a>' in html
    assert "查看我的全部案件" in html


def test_the_fraud_warning_is_on_the_home_page_the_ladder_and_every_case_page(client, owner):
    case = open_case(owner)
    pages = ["/", "/ladder/", f"/cases/{case.pk}/ladder/customer_service/", f"/cases/{case.pk}/facts/"]
    for url in pages:
        html = client.get(url).content.decode()
        assert "谨防冒充退款的电话和短信" in html, url
        assert "96110" in html and "结算账户" in html, url


def test_a_skipped_routing_choice_is_asked_for_never_defaulted(client, owner):
    case = Case.open(owner)
    wizard = Wizard(client, case)
    page = client.get(wizard.url("intake")).content.decode()
    province = re.search(r'<select name="intake-province".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>请选择…</option>' in province
    category = re.search(r'<select name="intake-category".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>请选择…</option>' in category
    answers = {**INTAKE, "province": "", "category": "", "promised_by": ""}
    response = wizard.post("intake", answers)
    html = response.content.decode()
    case.refresh_from_db()
    assert case.intake_completed_at is None and case.province == ""
    assert "请选择您经营所在的省份：它决定投诉交给哪里。" in html
    assert "请选择您投诉的是什么问题。" in html
    assert "请选择是谁承诺的；不知道就选“我不知道”。" in html
    assert "这个字段是必填项" not in html


def test_the_error_summary_comes_first_and_links_each_problem_to_its_field(client, owner):
    case = Case.open(owner)
    wizard = Wizard(client, case)
    html = wizard.post("intake", {**INTAKE, "province": "", "amount": "-5"}).content.decode()  # and no company
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert html.index('class="error-summary"') < html.index('<form method="post" class="step-form"')
    assert "data-focus-on-load" in summary and 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert "还有 3 处需要改正才能保存" in summary
    assert "被扣金额（元）：金额要大于0元。" in summary
    assert 'href="#id_intake-province"' in summary and 'href="#id_intake-amount"' in summary
    assert 'id="id_intake-province"' in html  # the link lands on the field


def test_a_valid_page_has_no_error_summary(client, owner):
    case = open_case(owner)
    assert "error-summary" not in client.get(Wizard(client, case).url("customer_service")).content.decode()


def test_the_progress_shows_the_rung_worked_on_and_skipped_rungs_as_skipped(client, owner):
    case = open_case(owner)
    case.record_policy_read(None, {}, owner)  # rules read, nothing recorded at rung 2 yet
    html = client.get(f"/cases/{case.pk}/ladder/customer_service/").content.decode()
    items = re.findall(r'<li class="progress-item progress-(\w+)"', html)
    assert items == ["done", "current", "ahead", "ahead", "ahead"]
    assert "（您在这一步）" in html
    case.log_step(rung=ladder.rung(3), actor=owner, started_on=dt.date(2026, 12, 1), early_reason="they hung up")
    html = client.get(f"/cases/{case.pk}/ladder/application/").content.decode()
    items = re.findall(r'<li class="progress-item progress-(\w+)"', html)
    assert items[:3] == ["done", "skipped", "current"]
    assert "（已跳过）" in html


def test_removing_evidence_and_discarding_a_draft_ask_first(client, owner):
    case = open_case(owner)
    upload(client, case, "receipt.png", png_bytes())
    html = client.get(f"/cases/{case.pk}/ladder/customer_service/").content.decode()
    confirm = re.search(r'<details class="confirm">.*?</details>', html, re.S).group(0)
    assert "<summary>删除</summary>" in confirm
    assert "删除后无法恢复" in confirm and "确定删除" in confirm


def test_sources_shown_to_merchants_carry_no_internal_references(client, ladder, frozen):
    channel = Channel.objects.filter(verification__in=[Verification.PRIMARY, Verification.SECONDARY]).first()
    channel.sources = "domain.md §6 (rung 3)\nLawRefBook (github.com/LawRefBook/Laws @ 2f4c5c2): 民法典/合同编.md"
    channel.save()
    html = client.get("/ladder/").content.decode()
    assert "domain.md" not in html and "LawRefBook" not in html and ".md<" not in html
    assert "民法典合同编" in html


def test_a_mirrored_law_reads_by_its_name_and_internal_notes_are_dropped():
    mirror = "LawRefBook (github.com/LawRefBook/Laws @ 2f4c5c2): 行政法规/非银行支付机构监督管理条例(2023-12-09).md"
    assert public_source(mirror) == "非银行支付机构监督管理条例(2023-12-09)"
    assert public_source("domain.md §1.7") == ""
    assert (
        public_source("《办法》总局令第121号, in force 2026-04-15 (domain.md §8.1)")
        == "《办法》总局令第121号, in force 2026-04-15"
    )
    assert public_source("https://www.pbc.gov.cn/a.html") == "https://www.pbc.gov.cn/a.html"


def test_pages_are_compressed_and_downloads_are_not(client, ladder):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "开始我的案件" in gzip.decompress(response.content).decode()
    assert client.get("/", HTTP_ACCEPT_ENCODING="identity").get("Content-Encoding") is None


def test_the_head_has_a_description_an_icon_and_the_script(client, ladder):
    html = client.get("/").content.decode()
    assert '<meta name="description" content="' in html
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert '<script src="/static/js/app.js" defer></script>' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"


def test_the_calendar_is_a_subscribe_link_with_a_copy_button(client, owner):
    html = client.get("/accounts/profile/").content.decode()
    assert re.search(r'<a class="button" href="webcal://testserver/calendar/[\w-]+\.ics">添加到我的日历</a>', html)
    assert 'data-copy="calendar-url"' in html and 'id="calendar-url"' in html


def test_the_upload_script_gets_where_to_go_and_the_message_waits_for_that_page(client, owner):
    case = open_case(owner)
    response = client.post(
        f"/cases/{case.pk}/evidence/",
        {"file": SimpleUploadedFile("receipt.png", png_bytes()), "title": "收据", "next": f"/cases/{case.pk}/facts/"},
        headers={"X-Upload": "progress"},
    )
    assert response.status_code == 200 and response.json() == {"next": f"/cases/{case.pk}/facts/"}
    assert "已保存为证据1" in client.get(f"/cases/{case.pk}/facts/").content.decode()


def test_the_reminder_plan_says_how_reminders_really_come(client, owner):
    case = open_case(owner)
    case.record_policy_read(None, {}, owner)
    case.log_step(rung=ladder.rung(2), actor=owner, started_on=dt.date(2026, 12, 2))
    url = f"/cases/{case.pk}/ladder/application/"
    owner.email = "owner@example.com"
    owner.save()
    assert "通过短信、邮件和站内通知提醒" in client.get(url).content.decode()
    owner.email = ""
    owner.save()
    assert "通过短信和站内通知提醒" in client.get(url).content.decode()
    owner.profile.sms_reminders = False
    owner.profile.save()
    assert "仅通过站内通知提醒" in client.get(url).content.decode()


def shown_parts(html):
    """The indexes of the intake's parts that are not hidden."""
    fieldsets = re.findall(r'<fieldset class="group"( hidden)?>', html)
    return [index for index, hidden in enumerate(fieldsets) if not hidden]


def test_the_intake_asks_a_few_questions_per_screen(client, owner):
    case = Case.open(owner)
    wizard = Wizard(client, case)
    html = client.get(wizard.url("intake")).content.decode()
    assert shown_parts(html) == [0] and "第 1 部分，共 6 部分" in html
    assert 'name="goto_part" value="1">下一步</button>' in html
    assert 'name="intake-agreed_rate"' in html and 'name="intake-charged_rate"' in html  # a rate hike can be told

    # Next with nothing chosen: the same screen, with this screen's mistakes only.
    html = wizard.post("intake", {"province": ""}, goto_part="1", shown_part="0").content.decode()
    assert shown_parts(html) == [0]
    assert "请选择支付机构，或填写其名称" in html and "请选择您经营所在的省份" not in html

    # Next with this screen right: the following screen, no mistakes shown yet, nothing saved.
    answers = {**INTAKE, "provider_other": "某某支付有限公司"}
    html = wizard.post("intake", {**answers, "province": ""}, goto_part="1", shown_part="0").content.decode()
    assert shown_parts(html) == [1] and "第 2 部分" in html and "error-summary" not in html
    case.refresh_from_db()
    assert case.intake_completed_at is None

    # Back never checks; the last screen saves everything, checking every answer again.
    html = wizard.post("intake", answers, goto_part="0", shown_part="1").content.decode()
    assert shown_parts(html) == [0]
    html = wizard.post("intake", answers, goto_part="5", shown_part="4").content.decode()
    assert shown_parts(html) == [5] and "保存并继续" in html
    response = wizard.post("intake", answers, shown_part="5")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.intake_completed_at is not None and case.province == "sichuan"


def test_a_refused_form_on_parties_and_money_is_summed_up_at_the_top(client, owner):
    case = open_case(owner)
    response = client.post(
        f"/cases/{case.pk}/facts/charges/", {"charge-kind": "activation", "charge-amount": "-3", "charge-how": "frozen"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert html.index('class="error-summary"') < html.index('<form method="post"')
    assert 'href="#id_charge-amount"' in summary
