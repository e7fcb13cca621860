"""The whole journey in a real browser: a merchant on a phone, a volunteer and an admin on desktops."""

import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from cases.models import Evidence
from escalation.content import load_ladder
from lib import chinatime
from lib.sms.backends import read_outbox
from reminders.tasks import sweep_deadlines
from tests.conftest import wait_for
from tests.e2e.conftest import DESKTOP
from tests.factories import admin_user, volunteer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Deposit-back-2026"


def screenshot_png():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 640), (240, 240, 240)).save(buffer, "PNG")
    return buffer.getvalue()


def sign_up(tab, base, name, email, sms_dir):
    """Sign up with a password, then type the code the app texted (the stack's file SMS backend)."""
    page = tab.page
    page.goto(f"{base}/accounts/signup/")
    tab.check("signup")
    page.fill("#id_full_name", name)
    page.fill("#id_email", email)
    page.fill("#id_mobile", "13812345678")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("form.step-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/sms/code/$"))
    tab.check("signup-code")
    [message] = read_outbox(sms_dir)
    page.fill("#id_code", message["params"]["code"])
    page.locator("form.step-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/$"))
    tab.check("case-list")


def log_in(tab, base, username, password):
    page = tab.page
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form.step-form button[type=submit]").click()
    page.wait_for_load_state("load")


def save_step(page):
    page.locator("form.step-form button.button").first.click()
    page.wait_for_load_state("load")


def next_part(tab, label):
    """Go on to the intake's next screen (each fits a phone: Visitor.check_phone)."""
    save_step(tab.page)
    tab.check(label)


def unfold(page, selector):
    """Open the folded section (a <details>) whose summary matches, unless it is open already."""
    details = page.locator(selector)
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()


def start_case_and_fill_intake(tab, provider="拉卡拉"):
    page = tab.page
    page.locator("form[action='/cases/new/'] button").click()
    page.wait_for_url(re.compile(r"/ladder/intake/$"))
    tab.check("intake")
    # Going on from an empty screen: a summary of what to fix comes first, and takes the focus.
    save_step(page)
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.locator(".error-summary a[href='#id_intake-provider_other']").count() == 1
    tab.check("intake-errors")
    page.select_option("#id_intake-provider", label=provider)
    page.check("#id_intake-obtained_via_1")
    page.fill("#id_intake-agent_name", "刘经理")
    next_part(tab, "intake-who")
    page.check("#id_intake-merchant_kind_1")  # an individual business, with its trade name and operator
    page.fill("#id_intake-merchant_name", "成都市武侯区小明水果店")
    page.fill("#id_intake-merchant_trade_name", "小明水果店")
    page.fill("#id_intake-merchant_representative", "王小明")
    next_part(tab, "intake-terminal")
    page.fill("#id_intake-merchant_number", "822100058120001")
    page.fill("#id_intake-terminal_sn", "LKL0023391")
    page.fill("#id_intake-activation_date", "2025-03-01")
    page.select_option("#id_intake-province", "sichuan")
    page.check("#id_intake-use_0")
    next_part(tab, "intake-money")
    page.fill("#id_intake-amount", "299")
    page.select_option("#id_intake-charge_kind", "deposit")
    page.select_option("#id_intake-payment_method", "deducted_from_settlement")
    next_part(tab, "intake-promise")
    page.check("#id_intake-promise_form_2")  # orally
    page.select_option("#id_intake-promised_by", "agent")
    page.fill("#id_intake-promise_target", "50000")
    page.fill("#id_intake-promise_period_months", "3")
    page.fill("#id_intake-volume_reached", "68000")
    next_part(tab, "intake-complaint")
    page.select_option("#id_intake-category", "refund")
    save_step(page)
    page.wait_for_url(re.compile(r"/ladder/policy/$"))


def read_policy(tab):
    page = tab.page
    tab.check("policy")
    for field in ("target_met", "unsettled_transactions", "arbitration_clause", "forum_clause", "fees_disclosed"):
        choice = {"target_met": 0, "fees_disclosed": 1}.get(field, 1)
        page.check(f"#id_policy-{field}_{choice}")
    page.check("#id_policy-confirm")
    save_step(page)
    page.wait_for_url(re.compile(r"/ladder/customer_service/$"))


def log_refused_contact(tab):
    page = tab.page
    tab.check("customer-service")
    page.select_option("#id_customer_service-method", "phone")
    page.fill("#id_customer_service-reference", "LKL-0093")
    page.fill("#id_customer_service-notes", "客服说押金归代理商管，拒绝退还。")
    # The promised date is asked only for a promise.
    promised_on = page.locator("#id_customer_service-promised_on")
    assert not promised_on.is_visible()
    page.check("#id_customer_service-outcome_1")
    assert promised_on.is_visible()
    page.check("#id_customer_service-outcome_2")
    assert not promised_on.is_visible()
    save_step(page)
    page.wait_for_url(re.compile(r"/ladder/application/$"))


def upload_screenshot(tab, title):
    page = tab.page
    upload = {"name": "wechat.png", "mimeType": "image/png", "buffer": screenshot_png()}
    unfold(page, "details.upload")
    page.set_input_files("#id_file", files=[upload])
    page.fill("#id_title", title)
    page.locator("details.upload form button").click()
    page.locator(".evidence-list").get_by_text(title).wait_for()  # the upload script goes to the page when done
    assert page.locator(".evidence-list").get_by_text(title).count() == 1


def upload_large_photo(tab, media_root):
    """A 12-megapixel phone photo is made smaller in the browser before it is sent."""
    page = tab.page
    photo = io.BytesIO()
    noise = Image.effect_noise((4000, 3000), 60).convert("RGB")
    noise.save(photo, "JPEG", quality=95)
    original = photo.getvalue()
    assert len(original) > 2 * 1024 * 1024
    unfold(page, "details.upload")
    page.set_input_files("#id_file", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": original}])
    page.fill("#id_title", "结算记录照片")
    page.locator("details.upload form button").click()
    page.locator(".evidence-list").get_by_text("结算记录照片").wait_for()
    stored = Evidence.objects.get(title="结算记录照片")
    assert stored.size < len(original) / 2
    with Image.open(Path(media_root) / stored.file.name) as image:  # the file as the web server stored it
        assert max(image.size) == 2000


def issue_refund_application(tab, base, language, expected):
    """Preview the letter, issue it, download the PDF and check its text."""
    page = tab.page
    box = page.locator(".document").first
    box.locator(f"a[href$='language={language}']").click()
    page.wait_for_load_state("load")
    tab.check(f"preview-{language}")
    assert expected in page.content()
    page.locator(".preview-bar button").click()  # issue it straight from the preview
    page.wait_for_load_state("load")
    assert "/preview/" not in page.url
    tab.check("issued")
    link = page.locator(".document").first.locator(".issued a").first
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.body()))
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "".join(expected.split()) in text
    return text


def test_the_merchant_journey_with_a_volunteer_and_an_admin(stack, open_tab, redis_url):
    load_ladder()
    helper = volunteer("volunteer@example.com", full_name="李志愿")
    helper.set_password(PASSWORD)
    helper.save()
    root = admin_user("root@example.com")
    root.set_password(PASSWORD)
    root.save()
    base = stack.url

    # 1. A new merchant on a phone: sign up, start a case, intake, policy, a contact, a screenshot.
    merchant = open_tab("merchant")
    merchant.page.goto(base + "/")
    merchant.check("home")
    assert "一步一步，要回POS机被收的钱" in merchant.page.content()
    start = merchant.page.get_by_role("link", name="开始我的案件").bounding_box()
    assert start is not None and start["y"] + start["height"] <= 844  # above the fold of a phone
    merchant.page.get_by_role("link", name="维权阶梯", exact=True).click()
    merchant.page.wait_for_url(re.compile(r"/ladder/$"))
    merchant.check("ladder")
    sign_up(merchant, base, "王小明", "xiaoming@example.com", stack.env["SMS_FILE_PATH"])
    start_case_and_fill_intake(merchant)
    read_policy(merchant)
    log_refused_contact(merchant)
    upload_screenshot(merchant, "客服拒绝退款的聊天截图")
    upload_large_photo(merchant, stack.env["MEDIA_ROOT"])
    merchant.check("application")

    # 2. Preview and issue the refund application; the PDF says what it must.
    text = issue_refund_application(merchant, base, "zh-hans", "退还押金申请书")
    for needle in ("王小明", "拉卡拉支付股份有限公司", "822100058120001", "人民币贰佰玖拾玖元整", "证据1"):
        assert needle in text
    page = merchant.page
    # What the letter still lacks links to the section of "Parties and money" where it is filled in, open.
    box = page.locator(".document").first
    unfold(page, ".document details.missing")
    box.locator("details.missing a").first.click()
    page.wait_for_load_state("load")
    merchant.check("facts")
    section = re.search(r"#(\w+)$", page.url).group(1)
    assert page.locator(f"details#{section}").get_attribute("open") is not None
    page.go_back()
    page.wait_for_load_state("load")
    unfold(page, "details.record")  # recording that it was sent waits behind its heading
    page.select_option("#id_application-method", "post")
    page.fill("#id_application-reference", "EA123456789CN")
    page.fill("#id_application-recipient", "拉卡拉支付股份有限公司注册地址")
    save_step(page)
    merchant.check("application-sent")
    due = dt.date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", page.locator(".deadline-line").inner_text()).group())
    # 15 days from receipt (EMS, estimated three days), moved past any weekend or holiday.
    assert due >= chinatime.today() + dt.timedelta(days=18)

    # 3. The morning after the last day the institution has not answered: the sweep reminds, by email and in app.
    morning_after = chinatime.at_hour(due + dt.timedelta(days=1), 10)
    stack.move_clock((morning_after - chinatime.now()).total_seconds() / 86400)
    sweep_deadlines.delay()
    wait_for(lambda: stack.emails(), timeout=30)
    message = stack.emails()[0]
    assert message["To"] == "xiaoming@example.com"
    body = message.get_payload()[0].get_payload(decode=True).decode()
    assert "书面申请" in body and "下一步" in body
    page.goto(base + "/notifications/")
    merchant.check("notices")
    assert "对方答复期限已到" in page.content()

    # 4. Escalate to a third party and ask a volunteer to review the PBoC complaint.
    page.goto(base + "/cases/")
    page.locator(".case-card a").first.click()
    page.wait_for_url(re.compile(r"/ladder/third_party/$"))
    merchant.check("third-party")
    pboc = page.locator(".document", has_text="中国人民银行分行")
    pboc.get_by_role("button", name="请志愿者审核").click()
    page.wait_for_load_state("load")
    assert "等待志愿者审核" in page.content()

    desk = open_tab("volunteer", viewport=DESKTOP)
    log_in(desk, base, "volunteer@example.com", PASSWORD)
    desk.page.goto(base + "/review/")
    desk.check("queue")
    desk.page.locator(".case-card a").first.click()
    desk.page.wait_for_load_state("load")
    desk.check("review-case")
    desk.page.get_by_role("button", name="接手这个案件").click()
    desk.page.wait_for_load_state("load")
    desk.page.get_by_role("button", name="通过").click()
    desk.page.wait_for_load_state("load")
    desk.check("approved")

    page.reload()
    pboc = page.locator(".document", has_text="中国人民银行分行")
    assert "已由李志愿于" in pboc.inner_text()
    pboc.locator(".issue-form button.button:not(.button-secondary)").click()
    page.wait_for_load_state("load")
    merchant.check("complaint-issued")
    assert page.locator(".document", has_text="中国人民银行分行").locator(".issued a").count() == 1

    # 5. An admin edits the rung-1 policy text; a new case shows the new revision.
    admin = open_tab("admin", viewport=DESKTOP)
    log_in(admin, base, "root@example.com", PASSWORD)
    admin.page.goto(base + "/admin/escalation/policytext/")
    admin.check("admin-policies")
    admin.page.get_by_role("link", name="第一步：读懂协议和收费规则").click()
    admin.page.wait_for_load_state("load")
    admin.check("admin-policy")
    body = admin.page.locator("#id_body")
    body.fill(body.input_value() + "\n\n## 管理员更新\n\n请先在App里导出近三个月的交易流水。\n")
    admin.page.locator("input[name=_save]").click()
    admin.page.wait_for_load_state("load")
    assert "成功" in admin.page.content()

    page.goto(base + "/cases/")
    start_case_and_fill_intake(merchant)
    merchant.check("policy-revised")
    assert "请先在App里导出近三个月的交易流水" in page.content()
    assert "修订版 2" in page.content()


def test_the_first_steps_in_english(stack, open_tab):
    load_ladder()
    base = stack.url
    tab = open_tab("english", locale="en-US")
    tab.page.goto(base + "/")
    tab.check("home")
    assert "Get your POS money back, one step at a time" in tab.page.content()
    sign_up(tab, base, "Wang Xiaoming", "wang@example.com", stack.env["SMS_FILE_PATH"])
    assert "My cases" in tab.page.content()
    start_case_and_fill_intake(tab, provider="Lakala")
    assert "Check your agreement" in tab.page.content()
    read_policy(tab)
    log_refused_contact(tab)
    upload_screenshot(tab, "Chat where customer service refused")
    tab.check("application")
    text = issue_refund_application(tab, base, "en", "Application for the return of a deposit")
    assert "CivilCode,Art.509" in text and "CNY299.00" in text
