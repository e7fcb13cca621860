"""Letters and filings as PDFs: every required element, both languages, embedded font subsets, safe fetching."""

import datetime as dt
import hashlib
import http.server
import io
import threading
from decimal import Decimal

import pypdf
import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cases.models import Evidence, Step
from documents import letters
from documents.letters.render import RefusedURL, html_to_pdf, resolve_asset
from documents.models import Document
from escalation.models import Channel, Rung
from lib.written import chinese_date, english_date, rmb_upper
from tests.factories import merchant, open_case

VALID_ID = "11010519491231002X"  # a woman born 1949-12-31


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1200", "人民币壹仟贰佰元整"),
        ("299", "人民币贰佰玖拾玖元整"),
        ("10", "人民币壹拾元整"),
        ("1005", "人民币壹仟零伍元整"),
        ("1050", "人民币壹仟零伍拾元整"),
        ("10000", "人民币壹万元整"),
        ("100100", "人民币壹拾万零壹佰元整"),
        ("100000005", "人民币壹亿零伍元整"),
        ("12345678.90", "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整"),
        ("1.05", "人民币壹元零伍分"),
        ("0.50", "人民币伍角整"),
        ("0.05", "人民币伍分"),
        ("0", "人民币零元整"),
    ],
)
def test_amounts_in_chinese_capitals(amount, text):
    assert rmb_upper(Decimal(amount)) == text


def test_dates_as_letters_write_them():
    assert chinese_date(dt.date(2026, 3, 1)) == "2026年3月1日"
    assert english_date(dt.date(2026, 3, 1)) == "1 March 2026"


LAKALA = {
    "credit_code": "91110000TE0000001M",  # made up for the tests (valid check character), not Lakala's
    "address": "北京市海淀区测试路1号",
    "representative": "某某",
}


@pytest.fixture
def full_case(ladder, media):
    """A case at rung 5 with evidence, a contact, an application, a filing and a court filing."""
    owner = merchant(
        "owner@example.com", full_name="王小红", id_number=VALID_ID, ethnicity="汉族", occupation="个体经营者"
    )
    case = open_case(
        owner,
        promise_form="written",
        promised_by="agent",
        promise_target=Decimal("50000"),
        promise_period_months=3,
        volume_reached=Decimal("62000"),
        promise_details="交易满5万退押金",
        terminal_model="Q1",
        charged_on=dt.date(2025, 3, 2),
        use="personal",
    )
    case.record_policy_read(None, {"target_met": "yes", "fees_disclosed": "no", "arbitration_clause": "no"}, owner)
    case.save_party("merchant", {"sex": "female", "birth_date": dt.date(1949, 12, 31)}, owner)
    case.save_party("respondent", LAKALA, owner)
    case.save_details({"court_name": "成都市武侯区人民法院"}, owner)
    rungs = {rung.position: rung for rung in Rung.objects.all()}
    case.log_step(
        rung=rungs[2],
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=dt.date(2026, 10, 10),
        method=Step.Method.PHONE,
        reference="T-778",
        outcome=Step.Outcome.REFUSED,
    )
    case.log_step(
        rung=rungs[3], actor=owner, started_on=dt.date(2026, 10, 20), method=Step.Method.POST, reference="EA123456789CN"
    )
    case.log_step(
        rung=rungs[5],
        channel=Channel.objects.get(code="basic-court"),
        actor=owner,
        started_on=dt.date(2026, 11, 20),
        recipient="成都市武侯区人民法院",
        method=Step.Method.ONLINE,
    )
    for title, source, proves in [
        ("商户协议截图", "拉卡拉App", "押金返还条件"),
        ("结算扣款记录", "银行流水", "押金已被扣除"),
    ]:
        Evidence.add(
            case,
            SimpleUploadedFile("a.txt", title.encode()),
            "text/plain",
            owner,
            title=title,
            source=source,
            proves=proves,
        )
    case.refresh_from_db()
    return case


def pdf_text(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader, "".join(page.extract_text() for page in reader.pages)


def render(case, kind, language, channel=""):
    _html, pdf = letters.render_pdf(case, letters.find_letter(case, kind, channel), language)
    return pdf


def squash(text):
    return "".join(text.split())


def assert_contains(text, *needles):
    flat = squash(text)
    for needle in needles:
        assert squash(needle) in flat, needle


def assert_lacks(text, *needles):
    flat = squash(text)
    for needle in needles:
        assert squash(needle) not in flat, needle


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_refund_application_in_chinese_has_every_element_of_domain_4_4(full_case):
    reader, text = pdf_text(render(full_case, "refund_application", "zh-hans"))
    assert_contains(
        text,
        "退还押金申请书",
        "申请人：王小红",
        "1101**********002X",
        "13812345678",
        "四川省成都市武侯区人民南路四段1号",
        "被申请人：拉卡拉支付股份有限公司",
        "统一社会信用代码：91110000TE0000001M",
        "住所地：北京市海淀区测试路1号",
        "代理商李代理",
        "商户号822100058120001",
        "终端SN号N3000123",
        "2025年3月1日",
        "299.00元（人民币贰佰玖拾玖元整）",
        "以“押金”名义扣除",
        "代理商曾书面承诺退还上述款项",
        "3个月内交易额达到50,000.00元",
        "交易额达到62,000.00元，已满足返还条件",
        "《民法典》第509条",
        "《民法典》第577条",
        "自收到本申请之日起15日内",
        "将向中国人民银行四川省分行等监管部门投诉",
        "2026年10月10日，通过电话联系支付机构客服（编号：T-778），结果：拒绝",
        "附件",
        "证据1：商户协议截图",
        "证据2：结算扣款记录",
        "此致",
        "申请人（签名）",
        "第 1 页 / 共 2 页",
    )
    # Not a draft; the earlier application is listed, the later court filing is not; no argument without its fact.
    assert_contains(text, "2026年10月20日，通过邮寄（EMS）寄送书面退款申请")
    assert_lacks(text, "草稿", "提交起诉材料", "格式条款", "第34条")
    assert VALID_ID not in text  # the application shows the ID masked
    metadata = reader.metadata
    assert metadata.title.startswith("退还押金申请书")
    assert metadata.author == "王小红"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_refund_application_in_english(full_case):
    reader, text = pdf_text(render(full_case, "refund_application", "en"))
    assert_contains(
        text,
        "Application for the return of a deposit",
        "Applicant: 王小红",
        "拉卡拉支付股份有限公司",
        "CNY 299.00",
        "1 March 2025",
        "contacted the customer service of the payment institution by phone",
        "Civil Code, Art. 509",
        "within 15 days of receiving this application",
        "Page 1 of 3",
    )
    assert_lacks(text, "通过电话", "DRAFT", "Reference translation")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_a_fee_not_a_deposit_gets_a_plain_title_and_its_own_name(full_case):
    full_case.save_charge(full_case.first_charge(), {"kind": "activation_fee", "called": ""}, full_case.owner)
    _reader, text = pdf_text(render(full_case, "refund_application", "zh-hans"))
    assert_contains(text, "退款申请书", "以“激活费”名义")
    assert_lacks(text, "退还押金申请书")


def test_pboc_complaint_lists_the_contacts_made_and_names_the_branch(full_case):
    _reader, text = pdf_text(render(full_case, "complaint_financial", "zh-hans", "pboc-branch"))
    assert_contains(
        text,
        "投诉书",
        "中国人民银行四川省分行：",
        "投诉人：王小红",
        "被投诉人：拉卡拉支付股份有限公司",
        "投诉请求",
        "督促被投诉人退还299.00元",
        "此前，投诉人曾通过以下方式要求退还上述款项",
        "2026年10月10日",
        "2026年10月20日，通过邮寄（EMS）寄送书面退款申请（编号：EA123456789CN）",
        "《非银行支付机构监督管理条例》第4条",
        "投诉人（签名）",
    )
    _reader, english = pdf_text(render(full_case, "complaint_financial", "en", "nfra-12378"))
    assert_contains(english, "Complaint", "国家金融监督管理总局", "20 October 2026", "Reference translation")
    # NFRA is not told that PBoC supervises the institution.
    assert_lacks(english, "People's Bank of China and its branches supervise", "Art. 4:")


def test_samr_complaint_for_personal_consumption_and_a_report_for_a_business(full_case):
    _reader, text = pdf_text(render(full_case, "complaint_market", "zh-hans", "samr-12315"))
    assert_contains(
        text,
        "投诉书",
        "投诉人：王小红",
        "电话：13812345678",
        "住址：四川省成都市",
        "被投诉人：拉卡拉支付股份有限公司",
        "住所地：北京市海淀区",
        "组织调解",
        "投诉人系为生活消费需要使用该服务",
        "《消费者权益保护法》第2条",
    )
    assert_lacks(text, "暂行办法", "第20号")
    full_case.use = "business"
    full_case.save()
    _reader, report = pdf_text(render(full_case, "complaint_market", "zh-hans", "samr-12315"))
    assert_contains(
        report,
        "举报信",
        "举报人：王小红",
        "被举报人",
        "《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号）第3条",
    )
    assert_contains(report, "依法调查处理")
    assert_lacks(report, "生活消费需要使用", "组织调解", "暂行办法")


def test_the_pcac_report_is_addressed_to_the_association_by_its_name(full_case):
    _reader, text = pdf_text(render(full_case, "complaint_association", "zh-hans", "pcac-report"))
    assert_contains(text, "举报信", "中国支付清算协会：", "被举报机构", "中支协发〔2023〕81号", "依据自律规范进行调查")
    assert_lacks(text, "中国支付清算协会举报：")


def test_civil_complaint_has_the_article_124_elements_and_an_evidence_list(full_case):
    _reader, text = pdf_text(render(full_case, "civil_complaint", "zh-hans", "basic-court"))
    assert_contains(
        text,
        "民事起诉状",
        "原告：王小红",
        "性别：女",
        "出生日期：1949年12月31日",
        "民族：汉族",
        "职业：个体经营者",
        "公民身份号码：11010519491231002X",
        "被告：拉卡拉支付股份有限公司",
        "法定代表人：某某",
        "诉讼请求",
        "判令被告向原告支付299.00元（人民币贰佰玖拾玖元整）",
        "判令被告承担本案诉讼费用",
        "事实与理由",
        "证据和证据来源",
        "成都市武侯区人民法院",
        "原告（签名）",
        "本起诉状副本1份",
        "证据清单及证据材料2份",
        "原告身份证明复印件",
        "证据清单",
        "商户协议截图",
        "拉卡拉App",
        "押金返还条件",
        "结算扣款记录",
    )
    # The lawsuit is not one of the attempts before it, no witness is invented, no draft mark.
    assert_lacks(text, "提交起诉材料", "证人", "草稿", "利息")


def test_civil_complaint_in_english(full_case):
    _reader, text = pdf_text(render(full_case, "civil_complaint", "en", "basic-court"))
    assert_contains(text, "Civil complaint", "Plaintiff", "Female", "Defendant", "Claims", "Evidence list", "Page 1 of")


def test_only_subsets_of_the_pinned_letter_font_are_embedded(full_case):
    reader, _text = pdf_text(render(full_case, "civil_complaint", "zh-hans", "basic-court"))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded TrueType
            names.add(str(font["/BaseFont"]))
    assert names
    for name in names:
        prefix, _, family = name.lstrip("/").partition("+")
        assert len(prefix) == 6 and prefix.isupper(), name  # a subset
        assert family.startswith("LXGW-WenKai"), name
    assert any(name.endswith("Bold") for name in names)


# ----- fetching ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/healthz",
        "https://example.com/x.png",
        "https://letter.assets.invalid/../../etc/passwd",
        "https://letter.assets.invalid/fonts/../../../../etc/passwd",
        "https://letter.assets.invalid/fonts/DejaVuSans.ttf",
        "https://letter.assets.invalid/static/css/app.css",
        "https://letter.assets.invalid/static/letters/../../config/settings.py",
        "data:text/plain;base64,aGVsbG8=",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_everything_but_letter_assets(url):
    with pytest.raises(RefusedURL):
        resolve_asset(url)


def test_the_fetcher_serves_the_letter_font():
    path = resolve_asset("https://letter.assets.invalid/fonts/LXGWWenKai-Regular.ttf")
    assert path.name == "LXGWWenKai-Regular.ttf"


class CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802 - http.server's name
        CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_no_template_markup_reaches_the_disk_or_the_network(local_server):
    html = f"""<html lang="zh-CN"><head>
      <link rel="stylesheet" href="{local_server}/evil.css">
      <style>@import url("file:///etc/passwd"); body {{ background: url("{local_server}/bg.png"); }}</style>
      </head><body><p>正文</p>
      <img src="file:///etc/passwd"><img src="{local_server}/pixel.png"><img src="/etc/passwd">
      <iframe src="file:///etc/passwd"></iframe><object data="{local_server}/o"></object>
      </body></html>"""
    pdf = html_to_pdf(html)
    assert CountingHandler.hits == []
    assert b"root:x:0:0" not in pdf
    _reader, text = pdf_text(pdf)
    assert "root:" not in text


def test_hostile_case_fields_print_as_text(full_case, local_server):
    full_case.promise_details = (
        f'<img src="file:///etc/passwd"><img src="{local_server}/x.png"><script>alert(1)</script>'
    )
    full_case.save()
    full_case.save_party("agent", {"name": "<b>代理</b>"}, full_case.owner)
    pdf = render(full_case, "refund_application", "zh-hans")
    assert CountingHandler.hits == []
    _reader, text = pdf_text(pdf)
    assert_contains(text, '<img src="file:///etc/passwd">', "<script>alert(1)</script>", "<b>代理</b>")
    assert "root:x:0:0" not in text


# ----- preview, issue, versions, download -------------------------------------------------------------


def test_preview_and_pdf_come_from_the_same_template(client, full_case):
    client.force_login(full_case.owner)
    preview = client.get(f"/cases/{full_case.pk}/letters/refund_application/preview/")
    assert preview.status_code == 200
    assert preview["Content-Type"] == "text/html; charset=utf-8"
    html = preview.content.decode()
    assert "人民币贰佰玖拾玖元整" in html and "《民法典》第509条" in html
    assert "@font-face" not in html  # the screen uses the reader's own fonts
    english = client.get(f"/cases/{full_case.pk}/letters/refund_application/preview/?language=en").content.decode()
    assert "Application for the return of a deposit" in english
    filing = client.get(f"/cases/{full_case.pk}/letters/complaint_financial/pboc-branch/preview/")
    assert "中国人民银行四川省分行" in filing.content.decode()
    assert client.get(f"/cases/{full_case.pk}/letters/complaint_financial/no-such-channel/preview/").status_code == 404
    assert client.get(f"/cases/{full_case.pk}/letters/nonsense/preview/").status_code == 404


def test_issuing_freezes_a_version_and_reissuing_keeps_the_first(client, full_case, media):
    client.force_login(full_case.owner)
    url = f"/cases/{full_case.pk}/letters/refund_application/issue/"
    response = client.post(url, {"language": "zh-hans"})
    assert response.status_code == 302
    first = Document.objects.get()
    assert first.version == 1
    with first.pdf.open("rb") as handle:
        stored = handle.read()
    assert hashlib.sha256(stored).hexdigest() == first.sha256
    assert first.size == len(stored)
    assert "人民币贰佰玖拾玖元整" in first.html
    assert len(first.template_version) == 12
    assert full_case.events.filter(kind="document_issued", data__version=1).exists()

    full_case.save_charge(full_case.first_charge(), {"amount": Decimal("399")}, full_case.owner)
    client.post(url, {"language": "zh-hans"})
    second = Document.objects.get(version=2)
    assert "人民币叁佰玖拾玖元整" in second.html
    first.refresh_from_db()
    assert "人民币贰佰玖拾玖元整" in first.html
    with first.pdf.open("rb") as handle:
        assert handle.read() == stored  # version 1 is untouched

    client.post(url, {"language": "en"})
    english = Document.objects.get(language="en")
    assert english.version == 1


def test_a_double_click_issues_one_version(client, full_case, media, frozen):
    """Red-team F13: a double click on "Issue the PDF" issued the same letter as several versions."""
    client.force_login(full_case.owner)
    url = f"/cases/{full_case.pk}/letters/refund_application/issue/"
    first = client.post(url, {"language": "zh-hans"})
    second = client.post(url, {"language": "zh-hans"})
    document = Document.objects.get()
    assert document.version == 1
    assert full_case.events.filter(kind="document_issued").count() == 1
    assert len(list(media.rglob("*.pdf"))) == 1  # the second render was not stored
    # The second click gets the ordinary answer: back to the letters, where version 1 is.
    assert second.status_code == 302 and second["Location"] == first["Location"]
    note = list(second.wsgi_request._messages)[-1]  # the first request's note is still unread
    assert note.level == messages.INFO

    # Something changed: issuing again is a new version, as before.
    full_case.save_charge(full_case.first_charge(), {"amount": Decimal("399")}, full_case.owner)
    client.post(url, {"language": "zh-hans"})
    assert sorted(Document.objects.values_list("version", flat=True)) == [1, 2]


def test_downloads_check_access(client, full_case, media):
    client.force_login(full_case.owner)
    client.post(f"/cases/{full_case.pk}/letters/complaint_market/samr-12315/issue/", {"language": "zh-hans"})
    document = Document.objects.get()
    url = f"/cases/{full_case.pk}/documents/{document.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == document.sha256
    assert "complaint_market-samr-12315-v1.zh-hans.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"  # the letter names the merchant: never cached

    # Downloading again: the browser shows its ETag and gets "not modified", without the file.
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content
    assert again["ETag"] == f'"{document.sha256}"'

    client.force_login(merchant("stranger@example.com"))
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 404  # access first, always
    assert client.post(f"/cases/{full_case.pk}/letters/refund_application/issue/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_wizard_lists_letters_and_issued_versions(client, full_case, media):
    client.force_login(full_case.owner)
    client.post(f"/cases/{full_case.pk}/letters/civil_complaint/basic-court/issue/", {"language": "zh-hans"})
    page = client.get(f"/cases/{full_case.pk}/ladder/litigation/").content.decode()
    assert "民事起诉状及证据清单" in page
    assert "第1版" in page
    page = client.get(f"/cases/{full_case.pk}/ladder/third_party/").content.decode()
    assert "/letters/complaint_financial/pboc-branch/preview/" in page
    assert "/letters/complaint_market/samr-12315/issue/" in page


def test_render_documents_writes_every_document(full_case, media, tmp_path):
    letters.issue(full_case, letters.find_letter(full_case, "refund_application"), "zh-hans", full_case.owner)
    out = tmp_path / "out"
    call_command("render_documents", str(full_case.pk), "--out", str(out))
    files = sorted(path.name for path in out.iterdir())
    assert "refund_application-v1.zh-hans.pdf" in files
    assert "civil_complaint-basic-court-draft.zh-hans.pdf" in files
    assert "packet.pdf" in files  # the handoff packet, beside every letter
    assert len(files) == len(letters.available_letters(full_case)) + 1
    issued = Document.objects.get()
    assert hashlib.sha256((out / "refund_application-v1.zh-hans.pdf").read_bytes()).hexdigest() == issued.sha256
    for name in files:
        assert (out / name).read_bytes().startswith(b"%PDF-")


def test_render_documents_refuses_an_unknown_case(tmp_path):
    with pytest.raises(CommandError):
        call_command("render_documents", "not-a-uuid", "--out", str(tmp_path))


def test_a_letter_names_an_untitled_exhibit_by_its_file_never_by_words_read_from_it(ladder):
    owner = merchant("untitled@example.com")
    case = open_case(owner)
    text = "王经理（代理）\n押金299元"
    Evidence.add(case, SimpleUploadedFile("微信截图.png", b"x"), "image/png", owner, title="", text=text)
    html, _pdf = letters.render_pdf(case, letters.find_letter(case, "refund_application"), "zh-hans")
    assert "微信截图.png" in html
    assert "王经理（代理）" not in html
