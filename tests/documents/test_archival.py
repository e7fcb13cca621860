"""Issued letters are archival: PDF/A-3a, tagged, described in their XMP, carrying the case file they came from."""

import io
import json
from decimal import Decimal

import pikepdf
import pytest

from documents.casefile.exporter import export_case
from documents.casefile.schema import validate
from documents.letters import CASE_FILE_NAME
from documents.models import Document
from tests.documents import test_letters

# The letters' fixtures: a frozen clock and a case at rung 5 with evidence and contacts.
frozen = test_letters.frozen
full_case = test_letters.full_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

DC = "{http://purl.org/dc/elements/1.1/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def issue(client, case, url, language="zh-hans"):
    client.force_login(case.owner)
    response = client.post(url, {"language": language})
    assert response.status_code == 302
    return Document.objects.filter(case=case, language=language).order_by("-issued_at", "-version").first()


def opened(document):
    with document.pdf.open("rb") as handle:
        return pikepdf.open(io.BytesIO(handle.read()))


def xmp(pdf):
    with pdf.open_metadata() as meta:
        return dict(meta)


def carried_case_file(pdf):
    assert list(pdf.attachments) == [CASE_FILE_NAME]
    return json.loads(pdf.attachments[CASE_FILE_NAME].get_file().read_bytes())


def without_issued(document):
    """A case file without the list of issued documents (which the issue itself extends)."""
    return {**document, "derived": {**document["derived"], "documents": None}}


def test_an_issued_letter_is_tagged_pdf_a_3a_with_title_author_subject_and_language(client, full_case, media):
    document = issue(client, full_case, f"/cases/{full_case.pk}/letters/complaint_financial/pboc-branch/issue/")
    pdf = opened(document)
    meta = xmp(pdf)
    assert meta[f"{PDFAID}part"] == "3"
    assert meta[f"{PDFAID}conformance"] == "A"
    assert meta[f"{DC}title"] == "投诉书 · 王小红"
    assert meta[f"{DC}creator"] == ["王小红"]
    assert meta[f"{DC}language"] == {"zh-CN"}
    subject = meta[f"{DC}description"]
    assert "王小红" in subject and "拉卡拉支付股份有限公司" in subject and "299.00" in subject
    assert "中国人民银行" in subject  # to whom it is addressed
    # Tagged: marked content and a structure tree with the letter's paragraphs in it.
    assert pdf.Root.MarkInfo.Marked is True
    tree = pdf.Root.StructTreeRoot
    assert len(tree.K) >= 1 and "/ParentTree" in tree
    assert str(pdf.Root.Lang) == "zh-CN"
    # An sRGB output intent for PDF/A.
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    # Every font is embedded (PDF/A forbids a font the reader must supply).
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            assert "/FontFile2" in font.DescendantFonts[0].FontDescriptor
            assert "/ToUnicode" in font  # the text extracts as what it says


def test_an_english_letter_says_its_language_is_english(client, full_case, media):
    document = issue(client, full_case, f"/cases/{full_case.pk}/letters/refund_application/issue/", "en")
    meta = xmp(opened(document))
    assert meta[f"{DC}language"] == {"en"}
    assert "王小红 asks 拉卡拉支付股份有限公司 to refund 299.00 yuan" in meta[f"{DC}description"]


def test_the_letter_carries_the_case_file_as_it_stood_when_issued(client, full_case, media):
    url = f"/cases/{full_case.pk}/letters/refund_application/issue/"
    before = export_case(full_case)
    first = issue(client, full_case, url)
    pdf = opened(first)
    (entry,) = pdf.Root.AF  # one associated file, listed once
    assert entry.AFRelationship == "/Data"
    assert entry.EF.F.Subtype == "/application/json"
    carried = carried_case_file(pdf)
    assert carried["format"] == "dispute-ladder/case@1"
    validate(carried)  # a case file by the published schema (the provider's representative is {name, title})
    assert carried == before  # everything the merchant told, as it was at that moment
    assert carried["merchant"]["name"] == "王小红"
    assert [item["amount"] for item in carried["money"]] == ["299.00"]

    full_case.save_charge(full_case.first_charge(), {"amount": Decimal("399")}, full_case.owner)
    second = issue(client, full_case, url)
    assert second.version == 2
    newer = carried_case_file(opened(second))
    assert [item["amount"] for item in newer["money"]] == ["399.00"]
    assert newer["derived"]["documents"] == [
        {"kind": "refund_application", "version": 1, "language": "zh-hans", "sha256": first.sha256}
    ]
    # Version 1 still carries the case as it stood then.
    assert carried_case_file(opened(first)) == before
    assert without_issued(newer) == without_issued(export_case(full_case))


def test_a_draft_written_by_render_documents_carries_the_case_file_too(full_case, media, tmp_path):
    from django.core.management import call_command

    call_command(
        "render_documents", str(full_case.pk), "--out", str(tmp_path), "--language", "zh-hans", stdout=io.StringIO()
    )
    drafts = sorted(tmp_path.glob("*-draft.zh-hans.pdf"))
    assert drafts
    for path in drafts:
        pdf = pikepdf.open(path)
        assert xmp(pdf)[f"{PDFAID}part"] == "3"
        assert carried_case_file(pdf)["derived"]["case_id"] == str(full_case.pk)
