"""The handoff packet: cover, timeline, evidence list, the latest issued letters, the exhibits, the case file."""

import io
import json
from decimal import Decimal

import pikepdf
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from cases.models import Evidence
from documents.casefile.exporter import export_case
from documents.letters import CASE_FILE_NAME
from documents.models import Document
from documents.packet import PICTURE_PIXELS
from tests.documents import test_letters
from tests.factories import merchant, volunteer

frozen = test_letters.frozen
full_case = test_letters.full_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def photo(width, height, colour):
    """A phone photo: a JPEG larger than the packet prints."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=90)
    return out.getvalue()


def two_page_pdf():
    writer = pypdf.PdfWriter()
    for _page in range(2):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def packed_case(client, full_case, media):
    """The full case with a refund application issued twice, an English one, two photos and a PDF exhibit."""
    owner = full_case.owner
    client.force_login(owner)
    url = f"/cases/{full_case.pk}/letters/refund_application/issue/"
    assert client.post(url, {"language": "zh-hans"}).status_code == 302
    full_case.save_charge(full_case.first_charge(), {"amount": Decimal("399")}, owner)
    assert client.post(url, {"language": "zh-hans"}).status_code == 302
    assert client.post(url, {"language": "en"}).status_code == 302
    for name, data, kind, title in [
        ("IMG_0001.jpg", photo(4032, 3024, "red"), "image/jpeg", "代理商微信聊天截图"),
        ("IMG_0002.jpg", photo(3024, 4032, "blue"), "image/jpeg", "扣款短信"),
        ("agreement.pdf", two_page_pdf(), "application/pdf", "商户协议"),
    ]:
        Evidence.add(full_case, SimpleUploadedFile(name, data), kind, owner, title=title)
    full_case.refresh_from_db()
    return full_case


def download(client, case, user):
    client.force_login(user)
    return client.get(f"/cases/{case.pk}/packet.pdf")


def body_of(response):
    return b"".join(response.streaming_content)


def outline(pdf):
    with pdf.open_outline() as tree:
        return [(item.title, pdf.pages.index(item.destination[0])) for item in tree.root]


def page_text(data, index):
    return pypdf.PdfReader(io.BytesIO(data)).pages[index].extract_text()


def squash(text):
    return "".join(text.split())


def test_the_packet_holds_the_case_its_latest_letters_and_its_exhibits_in_order(client, packed_case):
    response = download(client, packed_case, packed_case.owner)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "case-packet-2026-12-03.pdf" in response["Content-Disposition"]
    data = body_of(response)
    pdf = pikepdf.open(io.BytesIO(data))
    marks = outline(pdf)
    titles = [title for title, _page in marks]
    assert titles[:3] == ["案情摘要", "时间线", "证据清单"]
    # The latest version of each issued letter, exactly as issued, and not the version it replaced.
    latest = Document.objects.filter(case=packed_case, version=2).get()
    english = Document.objects.get(case=packed_case, language="en")
    assert titles[3:5] == ["退款申请书（第2版）", "退款申请书（第1版）"]
    letter_pages = {title: page for title, page in marks[3:5]}
    for document, title in ((latest, titles[3]), (english, titles[4])):
        with document.pdf.open("rb") as handle:
            issued = pypdf.PdfReader(handle)
            first = letter_pages[title]
            for offset, page in enumerate(issued.pages):
                assert page_text(data, first + offset) == page.extract_text()
    everything = squash("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))
    assert "人民币叁佰玖拾玖元整" in everything
    assert "人民币贰佰玖拾玖元整" not in everything  # version 1 of the Chinese letter is left out
    # Exhibits in their order, each under its number and title; the PDF's own pages right after its page.
    exhibits = [(title, page) for title, page in marks if title[2:3].isdigit()]
    assert [title for title, _page in exhibits] == [
        "证据1：商户协议截图",
        "证据2：结算扣款记录",
        "证据3：代理商微信聊天截图",
        "证据4：扣款短信",
        "证据5：商户协议",
    ]
    *_, (_title, agreement_page) = exhibits
    assert len(pdf.pages) == agreement_page + 1 + 2
    for item in packed_case.evidence.all():
        assert item.sha256 in everything  # in the evidence list and on the exhibit's page
    # Each photo is printed smaller, portrait or landscape as it was taken, on the page of its exhibit.
    images = {
        image.objgen: (image.Width, image.Height)
        for page in pdf.pages
        for image in page.Resources.get("/XObject", {}).values()
    }
    assert sorted(images.values()) == [(1200, PICTURE_PIXELS), (PICTURE_PIXELS, 1200)]
    assert "扣款短信" in page_text(data, exhibits[3][1])
    # The text exhibit is printed, the cover names the parties and what is owed.
    assert "结算扣款记录" in squash(page_text(data, exhibits[1][1]))
    cover = squash(page_text(data, 0))
    assert "王小红" in cover and "拉卡拉支付股份有限公司" in cover and "399.00" in cover


def test_the_packet_carries_the_case_file_as_it_stands(client, packed_case):
    data = body_of(download(client, packed_case, packed_case.owner))
    pdf = pikepdf.open(io.BytesIO(data))
    assert list(pdf.attachments) == [CASE_FILE_NAME]
    carried = json.loads(pdf.attachments[CASE_FILE_NAME].get_file().read_bytes())
    assert carried == export_case(packed_case)
    (entry,) = pdf.Root.AF
    assert entry.AFRelationship == "/Data"
    with pdf.open_metadata() as meta:
        assert meta["dc:title"] == "案件材料包 · 王小红"
        assert meta["dc:language"] == {"zh-CN"}


def test_the_cover_lists_the_deadlines_running_with_their_rule(client, packed_case):
    step = next(step for step in packed_case.step_list if step.due_on and step.is_live())
    data = body_of(download(client, packed_case, packed_case.owner))
    cover = squash(page_text(data, 0) + page_text(data, 1))
    assert f"{step.due_on.year}年{step.due_on.month}月{step.due_on.day}日" in cover
    assert squash(step.rule.name) in cover


def test_only_the_owner_and_the_assigned_volunteer_get_the_packet(client, packed_case):
    client.logout()
    assert client.get(f"/cases/{packed_case.pk}/packet.pdf").status_code == 302  # to the sign-in page
    assert download(client, packed_case, merchant("other@example.com")).status_code == 404
    helper = volunteer()
    packed_case.enqueue(packed_case.QueueReason.LETTER_REVIEW, packed_case.owner)
    assert download(client, packed_case, helper).status_code == 404  # queued, not taken: not theirs
    packed_case.take(helper)
    assert download(client, packed_case, helper).status_code == 200
    assert download(client, packed_case, volunteer("someone@example.com")).status_code == 404


def test_render_documents_writes_the_packet(packed_case, tmp_path):
    call_command("render_documents", str(packed_case.pk), "--out", str(tmp_path), stdout=io.StringIO())
    pdf = pikepdf.open(tmp_path / "packet.pdf")
    assert CASE_FILE_NAME in pdf.attachments
    assert len(pdf.pages) > 8
