"""Bilingual letters: the Chinese text, which counts, each paragraph with its English translation under it.

Every letter family is rendered to PDF and read back with pdftotext: the Chinese
paragraphs of the Chinese letter and the English paragraphs of the English letter
must come in pairs, each English paragraph right after the Chinese one it
translates, under a first line saying which text is the operative one. Then the
defaults (by the owner's language), the choice, issuing, downloading, reviewing,
the file names, the bulk export and the case file.
"""

import datetime as dt
import hashlib
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from lxml import html as lxml_html

from cases.models import Evidence, Step
from documents import letters
from documents.casefile.exporter import export_case
from documents.casefile.schema import validate
from documents.letters import bilingual
from documents.letters.bilingual import compose, letter_html
from documents.models import Document, LetterReview
from escalation.models import Channel, Rung
from tests.documents.test_golden_letters import AGENT_COMPANY, LAKALA, check, pdftotext
from tests.factories import merchant, open_case, volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

OPERATIVE_ZH = "本文书以中文文本为准，英文译文仅供参考。"
OPERATIVE_EN = "The Chinese text is the operative text; the English translation is for reference only."
# What every page adds around the text: the page number at the foot, and 草稿 at the head of a draft.
PAGE_FURNITURE = re.compile(r"第\d+页/共\d+页")
# Every letter a case has, by kind and channel: each family of template at least once.
EVERY_LETTER = [
    ("refund_application", ""),
    ("complaint_financial", "pboc-branch"),
    ("complaint_financial", "nfra-12378"),
    ("complaint_market", "samr-12315"),
    ("complaint_market", "consumer-association"),
    ("complaint_association", "pcac-report"),
    ("civil_complaint", "basic-court"),
]


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


def rich_case(owner, use="personal"):
    """A case with every part a letter can print: two respondents, two sums (one partly refunded), a
    written promise, the merchant's own words, two contacts, two exhibits, a witness and the element table."""
    case = open_case(
        owner,
        promise_form="written",
        promised_by="agent",
        promise_target=Decimal("50000"),
        promise_period_months=3,
        volume_reached=Decimal("62000"),
        promise_details="交易满5万退押金",
        use=use,
    )
    case.record_policy_read(None, {"target_met": "yes", "fees_disclosed": "no", "arbitration_clause": "no"}, owner)
    case.save_party(
        "merchant",
        {
            "id_type": "passport",
            "id_number": "E12345678",
            "address": "成都市武侯区测试路5号",
            "sex": "male",
            "birth_date": dt.date(1980, 1, 2),
            "ethnicity": "汉族",
        },
        owner,
    )
    case.save_party("respondent", LAKALA, owner)
    case.save_party("agent", AGENT_COMPANY, owner)
    case.save_charge(
        None,
        {
            "kind": "flow_fee",
            "called": "流量费",
            "amount": Decimal("49.00"),
            "how": "deducted_from_settlement",
            "refunded_amount": Decimal("10"),
        },
        owner,
    )
    case.save_details(
        {
            "court_name": "成都市武侯区人民法院",
            "witnesses": "张三，成都市武侯区某街1号",
            "element_table": True,
            "story": "The agent said I would get the deposit back after three months.",
        },
        owner,
    )
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
    exhibits = [("商户协议截图", "拉卡拉App", "押金返还条件"), ("结算扣款记录", "银行流水", "押金已被扣除")]
    for title, source, proves in exhibits:
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


@pytest.fixture
def english_case(ladder, media):
    return rich_case(merchant("smith@example.com", full_name="John Smith", language="en"))


@pytest.fixture
def chinese_case(ladder, media):
    return rich_case(merchant("wang@example.com", full_name="王小红"))


def squash(text):
    return re.sub(r"\s+", "", text)


def pieces(html):
    """The text of each paragraph, heading and list item of a one-language letter, in order (its own reading).

    The English letter's note that it is a reference translation is not one of them: a bilingual letter has
    the operative-text line instead.
    """
    sheet = lxml_html.document_fromstring(html).find_class("sheet")[0]
    elements = [element for element in sheet.iter("p", "h1", "h2", "li") if "translation-note" not in element.classes]
    return [squash(element.text_content()) for element in elements]


def read_pdf(pdf, tmp_path):
    return PAGE_FURNITURE.sub("", pdftotext(pdf, tmp_path))


def unhyphenated(texts):
    """pdftotext drops a hyphen that ends a line ("Non-" / "bank"): compare without hyphens."""
    return [text.replace("-", "") for text in texts]


def assert_pairs(text, chinese, english):
    """Each Chinese piece is in ``text`` in order, and its English translation comes right after it."""
    assert len(chinese) == len(english)
    [text], chinese, english = unhyphenated([text]), unhyphenated(chinese), unhyphenated(english)
    cursor = 0
    for zh, en in zip(chinese, english, strict=True):
        found = text.find(zh, cursor)
        assert found >= 0, f"missing, or out of order: {zh}"
        cursor = found + len(zh)
        if en != zh:  # a piece that reads the same in both (a name, an amount) is not repeated
            assert text.startswith(en, cursor), f"not right after {zh}: {en} (found {text[cursor : cursor + 400]})"
            cursor += len(en)


# ----- every letter family, read back from the PDF -------------------------------------------------------------


@pytest.mark.parametrize(("kind", "channel"), EVERY_LETTER)
def test_every_letter_is_the_chinese_text_with_each_translated_under_it(english_case, tmp_path, kind, channel):
    case = english_case
    letter = letters.find_letter(case, kind, channel)
    assert letters.checklist(case, letter, "zh+en") == []  # a finished letter: no draft mark in the way
    html, pdf = letters.render_pdf(case, letter, "zh+en")
    text = read_pdf(pdf, tmp_path)
    # The first line says, in both languages, which text counts.
    assert text.startswith(squash(OPERATIVE_ZH + OPERATIVE_EN))
    chinese = pieces(letter_html(case, letter, "zh-hans", for_pdf=True))
    english = pieces(letter_html(case, letter, "en", for_pdf=True))
    assert len(chinese) > 20
    assert_pairs(text[len(squash(OPERATIVE_ZH + OPERATIVE_EN)) :], chinese, english)
    check(text, must=["John Smith", "拉卡拉支付股份有限公司"], never=["Reference translation", "参考译文"])
    # The recipient reads Chinese: the document is Chinese, its English parts say they are English.
    document = lxml_html.document_fromstring(html)
    assert document.get("lang") == "zh-CN"
    translations = document.find_class("en")
    assert len(translations) > 20
    assert all(element.get("lang") == "en" for element in translations)
    assert not any(re.search("[\u4e00-\u9fff]", element.get("lang") or "") for element in translations)
    assert pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "zh-CN"


def test_a_business_reports_to_the_market_regulator_in_both_languages(ladder, media, tmp_path):
    case = rich_case(merchant("shop@example.com", full_name="John Shop", language="en"), use="business")
    letter = letters.find_letter(case, "complaint_market", "samr-12315")
    assert letter.template_for(case) == "letters/report.html"
    _html, pdf = letters.render_pdf(case, letter, "zh+en")
    text = read_pdf(pdf, tmp_path)
    chinese = pieces(letter_html(case, letter, "zh-hans", for_pdf=True))
    english = pieces(letter_html(case, letter, "en", for_pdf=True))
    assert_pairs(text[len(squash(OPERATIVE_ZH + OPERATIVE_EN)) :], chinese, english)
    check(text, must=["举报信", "举报人：JohnShop", "依法调查处理"], never=["组织调解"])


def test_the_pairs_are_right_in_the_letter_itself(english_case, tmp_path):
    """Spot checks by hand, in case both renders were wrong the same way: a sentence and its own translation."""
    letter = letters.find_letter(english_case, "complaint_financial", "pboc-branch")
    _html, pdf = letters.render_pdf(english_case, letter, "zh+en")
    text = read_pdf(pdf, tmp_path)
    for zh, en in [
        ("投诉书", "Complaint"),
        ("投诉人：JohnSmith", "Complainant:JohnSmith"),
        (
            "2026年10月20日，通过邮寄（EMS）寄送书面退款申请（编号：EA123456789CN），至今未获答复。",
            "20October2026:sentawrittenrefundapplicationbypost(EMS)(referenceEA123456789CN);noansweryet.",
        ),
        ("《民法典》第509条：当事人应当按照约定全面履行自己的义务。", "CivilCode,Art.509:Thepartiesshall"),
        ("投诉人（签名）：", "Complainant(signature):"),
        ("2026年12月3日", "3December2026"),
    ]:
        assert text.find(zh) >= 0, zh
        assert text[text.find(zh) + len(zh) :].startswith(en), (zh, en)
    # The PDF's bookmarks name each heading in both languages, apart.
    outline = pypdf.PdfReader(io.BytesIO(pdf)).outline
    assert outline[0].title == "投诉书 / Complaint"
    assert [item.title for item in outline[1]] == [
        "投诉请求 / Requests",
        "事实与理由 / Facts and reasons",
        "附件 / Attachments",
    ]


def test_a_draft_says_so_in_both_languages(ladder, media, tmp_path):
    owner = merchant("jones@example.com", full_name="Ann Jones", language="en")
    case = open_case(owner)  # no respondent's details, no contact: the PBoC complaint is a draft
    letter = letters.find_letter(case, "complaint_financial", "pboc-branch")
    _html, pdf = letters.render_pdf(case, letter, "zh+en")
    text = read_pdf(pdf, tmp_path)
    assert text.startswith("草稿")  # the mark at the head of the page
    zh_draft = text.find("草稿·尚缺：")
    en_draft = text.find("DRAFT·Stillmissing:")
    assert 0 <= zh_draft < en_draft < text.find("投诉书")


def test_a_rate_hike_with_its_trades_table_pairs_too(ladder, media, tmp_path):
    from tests.documents.test_golden_money import rate_hike_case

    case = rate_hike_case(merchant("rate@example.com", full_name="周九", language="en"))
    for letter in letters.available_letters(case):
        _html, pdf = letters.render_pdf(case, letter, "zh+en")
        text = read_pdf(pdf, tmp_path)
        chinese = pieces(letter_html(case, letter, "zh-hans", for_pdf=True))
        english = pieces(letter_html(case, letter, "en", for_pdf=True))
        assert_pairs(text, chinese, english)
        check(text, must=["多收合计1,408.12", "Totalovercharged", "70,000.001,400.00420.00980.00"])


# ----- composing: pairs only what matches ----------------------------------------------------------------------


def page(sheet):
    return f'<!DOCTYPE html><html lang="zh-CN"><head></head><body><div class="sheet">{sheet}</div></body></html>'


def test_compose_pairs_paragraphs_headings_items_and_cells():
    chinese = page(
        "<h1>投诉书</h1><p>申请人：<span class='blank'></span></p><ol><li>第一</li><li>第二</li></ol>"
        "<table><tr><th>金额</th><td>299.00</td></tr></table>"
    )
    english = page(
        "<h1>Complaint</h1><p>Applicant: <span class='blank'></span></p><ol><li>First</li><li>Second</li></ol>"
        "<table><tr><th>Amount</th><td>299.00</td></tr></table>"
    )
    sheet = lxml_html.document_fromstring(compose(chinese, english)).find_class("sheet")[0]
    heading = sheet.find("h1")
    assert heading.text == "投诉书" and heading[0].text == "Complaint" and heading[0].get("lang") == "en"
    assert heading.get("data-bookmark") == "投诉书 / Complaint"
    paragraphs = sheet.findall("p")
    assert [p.text_content() for p in paragraphs] == ["申请人：", "Applicant: "]
    assert paragraphs[1].get("lang") == "en" and paragraphs[1].get("class") == "en"
    assert not paragraphs[1].find_class("blank")  # one line to write on: the Chinese one's
    assert [li.text_content() for li in sheet.iter("li")] == ["第一First", "第二Second"]
    assert sheet.find(".//th").text_content() == "金额Amount"
    assert sheet.find(".//td").text_content() == "299.00"  # the same in both: said once


def test_renders_that_do_not_match_are_never_paired_piece_by_piece():
    chinese = page("<p>甲</p><p>乙</p>")
    english = page("<p>A</p>")
    document = lxml_html.document_fromstring(compose(chinese, english))
    sheet = document.find_class("sheet")[0]
    assert [p.text for p in sheet.findall("p")] == ["甲", "乙"]  # the Chinese text, untouched
    translation_section = sheet.find("section")
    assert translation_section.get("lang") == "en" and translation_section.text_content() == "A"


# ----- defaults, the choice, preview -----------------------------------------------------------------------------


def test_an_english_speaking_merchant_gets_bilingual_letters_by_default(client, english_case):
    case = english_case
    assert bilingual.default_language(case) == "zh+en"
    client.force_login(case.owner)
    page = client.get(f"/cases/{case.pk}/ladder/third_party/").content.decode()
    assert '<option value="zh+en" selected>' in page
    assert "?language=zh%2Ben" in page  # the preview of the bilingual letter
    preview = client.get(f"/cases/{case.pk}/letters/complaint_financial/pboc-branch/preview/").content.decode()
    assert OPERATIVE_ZH in preview and OPERATIVE_EN in preview
    assert '<html lang="zh-CN">' in preview
    # The merchant reads the preview bar; the recipient reads the letter.
    assert "This is the text of your PDF" in preview
    assert '<input type="hidden" name="language" value="zh+en">' in preview
    client.post(f"/cases/{case.pk}/letters/complaint_financial/pboc-branch/issue/")  # no language sent
    assert Document.objects.get().language == "zh+en"


def test_the_english_reference_translation_stays_available(client, english_case):
    client.force_login(english_case.owner)
    url = f"/cases/{english_case.pk}/letters/complaint_financial/pboc-branch/preview/?language=en"
    preview = client.get(url).content.decode()
    assert "Reference translation: the Chinese text is the one to file." in preview
    assert OPERATIVE_ZH not in preview and '<html lang="en">' in preview


def test_a_chinese_merchant_gets_chinese_and_may_ask_for_english_beside_it(client, chinese_case, media, tmp_path):
    case = chinese_case
    assert bilingual.default_language(case) == "zh-hans"
    client.force_login(case.owner)
    page = client.get(f"/cases/{case.pk}/ladder/application/").content.decode()
    assert '<option value="zh-hans" selected>' in page and '<option value="zh+en">' in page
    preview = client.get(f"/cases/{case.pk}/letters/refund_application/preview/").content.decode()
    assert OPERATIVE_ZH not in preview and "Application for the return" not in preview
    preview = client.get(f"/cases/{case.pk}/letters/refund_application/preview/?language=zh%2Ben").content.decode()
    assert OPERATIVE_ZH in preview and "Application for the return of money taken" in preview
    assert "这就是您的PDF内容" in preview  # the preview bar in the merchant's Chinese
    response = client.post(f"/cases/{case.pk}/letters/refund_application/issue/", {"language": "zh+en"})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.language == Document.Language.BILINGUAL
    assert document.filename == "refund_application-v1.zh+en.pdf"
    assert case.events.filter(kind="document_issued", data__language="zh+en").exists()
    download = client.get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert 'filename="refund_application-v1.zh+en.pdf"' in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == document.sha256
    text = read_pdf(body, tmp_path)
    check(text, must=[OPERATIVE_ZH, OPERATIVE_EN, "退款申请书", "Applicationforthereturnofmoneytaken", "王小红"])
    # The documents list says which language it is in.
    page = client.get(f"/cases/{case.pk}/ladder/application/").content.decode()
    with translation.override("zh-hans"):
        assert str(Document.Language.BILINGUAL.label) in page
    # Issuing it again unchanged is the same version; the Chinese letter is a version series of its own.
    client.post(f"/cases/{case.pk}/letters/refund_application/issue/", {"language": "zh+en"})
    client.post(f"/cases/{case.pk}/letters/refund_application/issue/", {"language": "zh-hans"})
    assert sorted(Document.objects.values_list("language", "version")) == [("zh+en", 1), ("zh-hans", 1)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fr", "zh-hans"),
        ("zh-en", "zh-hans"),
        ("<script>", "zh-hans"),
        ("zh+en" * 20, "zh-hans"),
        ("zh en", "zh+en"),  # a hand-typed ?language=zh+en: the plus arrives as a space
        (" en ", "en"),
    ],
)
def test_a_language_that_is_not_a_letter_language_falls_back_to_the_default(client, chinese_case, value, expected):
    case = chinese_case
    client.force_login(case.owner)
    preview = client.get(f"/cases/{case.pk}/letters/refund_application/preview/", {"language": value})
    assert preview.status_code == 200
    assert (OPERATIVE_ZH in preview.content.decode()) == (expected == "zh+en")
    response = client.post(f"/cases/{case.pk}/letters/refund_application/issue/", {"language": value})
    assert response.status_code == 302
    assert Document.objects.get().language == expected


def test_a_hand_typed_plus_in_the_address_means_bilingual(client, chinese_case):
    client.force_login(chinese_case.owner)
    preview = client.get(f"/cases/{chinese_case.pk}/letters/refund_application/preview/?language=zh+en")
    assert OPERATIVE_EN in preview.content.decode()


# ----- review -------------------------------------------------------------------------------------------------


def test_a_bilingual_letter_is_reviewed_and_issued_as_reviewed(client, english_case):
    case = english_case
    letter = letters.find_letter(case, "refund_application")
    client.force_login(case.owner)
    client.post(f"/cases/{case.pk}/letters/refund_application/review/", {"language": "zh+en"})
    review = LetterReview.objects.get()
    assert review.language == "zh+en"
    assert OPERATIVE_ZH in review.html and "Application for the return of money taken" in review.html
    assert "13812345678" in letters.preview_html(case, letter, "zh+en")
    assert "13812345678" not in review.html  # masked for the volunteers, in both languages
    assert review.content_hash == letters.content_hash(case, letter, "zh+en")
    assert review.content_hash != letters.content_hash(case, letter, "zh-hans")
    assert letters.issue_blocker(case, letter) == letters.Blocker.PENDING
    review.decide(volunteer(), approve=True)
    assert letters.issue_blocker(case, letter) is None
    response = client.post(f"/cases/{case.pk}/letters/refund_application/issue/", {"language": "zh+en"})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.review == review and document.language == "zh+en"
    # The case changes the letter: the approval no longer covers it.
    case.save_details({"story": "The agent changed his story."}, case.owner)
    assert letters.issue_blocker(case, letter) == letters.Blocker.CHANGED


def test_the_content_hash_of_a_bilingual_letter_does_not_depend_on_who_reads_it(english_case, time_machine):
    letter = letters.find_letter(english_case, "refund_application")
    with translation.override("en"):
        english_reader = letters.content_hash(english_case, letter, "zh+en")
    with translation.override("zh-hans"):
        chinese_reader = letters.content_hash(english_case, letter, "zh+en")
    time_machine.move_to(dt.datetime(2027, 1, 20, 10, tzinfo=dt.UTC), tick=False)  # nor on the day it is read
    assert english_reader == chinese_reader == letters.content_hash(english_case, letter, "zh+en")


# ----- the bulk export and the case file --------------------------------------------------------------------------


def test_render_documents_writes_bilingual_letters_for_an_english_owner(english_case, tmp_path):
    case = english_case
    document = letters.issue(case, letters.find_letter(case, "refund_application"), "zh+en", case.owner)
    out = tmp_path / "out"
    call_command("render_documents", str(case.pk), "--out", str(out))
    files = sorted(path.name for path in out.iterdir())
    assert "refund_application-v1.zh+en.pdf" in files
    assert "civil_complaint-basic-court-draft.zh+en.pdf" in files
    assert len(files) == len(letters.available_letters(case)) + 1  # and the handoff packet
    assert "packet.pdf" in files
    written = (out / "refund_application-v1.zh+en.pdf").read_bytes()
    assert hashlib.sha256(written).hexdigest() == document.sha256
    draft = read_pdf((out / "complaint_market-samr-12315-draft.zh+en.pdf").read_bytes(), tmp_path)
    assert draft.startswith(squash(OPERATIVE_ZH + OPERATIVE_EN))
    chinese = tmp_path / "zh"
    call_command("render_documents", str(case.pk), "--out", str(chinese), "--language", "zh-hans")
    assert "refund_application-draft.zh-hans.pdf" in {path.name for path in chinese.iterdir()}


def test_the_case_file_lists_a_bilingual_document_with_its_language(ladder, media):
    case = open_case(merchant("brown@example.com", full_name="Bob Brown", language="en"))
    case.save_party("respondent", {"credit_code": LAKALA["credit_code"], "address": LAKALA["address"]}, case.owner)
    letters.issue(case, letters.find_letter(case, "complaint_market", "samr-12315"), "zh+en", case.owner)
    exported = export_case(case)
    validate(exported)
    assert exported["derived"]["documents"] == [
        {
            "kind": "complaint_market",
            "version": 1,
            "language": "zh+en",
            "sha256": Document.objects.get().sha256,
        }
    ]
    assert exported["language"] == "en"  # the merchant's language, not the letter's
