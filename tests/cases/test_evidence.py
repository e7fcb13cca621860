"""Evidence: type checked from the bytes, size limits, exhibit numbers, private downloads."""

import hashlib
import io

import pytest
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Event, Evidence
from cases.uploads import check_pdf
from tests import pdfs
from tests.factories import merchant, open_case, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(buffer, "PDF")
    return buffer.getvalue()


@pytest.fixture
def case(owner):
    return open_case(owner)


def upload(client, case, name, content, title="截图", **extra):
    return client.post(
        f"/cases/{case.pk}/evidence/",
        {"file": SimpleUploadedFile(name, content), "title": title, "next": f"/cases/{case.pk}/", **extra},
    )


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_uploads_are_numbered_hashed_and_private(owner_client, case, private_media):
    content = png_bytes()
    upload(owner_client, case, "协议.png", content, title="商户协议截图", proves="押金返还条件")
    upload(owner_client, case, "record.pdf", pdf_bytes(), title="扣款记录")
    upload(owner_client, case, "chat.txt", "代理：交易满5万退押金\n".encode(), title="聊天记录")
    items = list(case.evidence.all())
    assert [item.exhibit_number for item in items] == [1, 2, 3]
    assert [item.content_type for item in items] == ["image/png", "application/pdf", "text/plain"]
    first = items[0]
    assert first.sha256 == hashlib.sha256(content).hexdigest()
    assert first.original_name == "协议.png"
    assert "协议" not in first.file.name  # stored under a random name
    assert first.file.name.startswith(f"evidence/{case.pk}/")
    assert items[1].pages == 1
    assert case.events.filter(kind=Event.Kind.EVIDENCE_ADDED).count() == 3

    response = owner_client.get(f"/cases/{case.pk}/evidence/{first.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    text = owner_client.get(f"/cases/{case.pk}/evidence/{items[2].pk}/")
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in text["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.png", b"", "空文件"),
        ("program.png", b"MZ\x90\x00\x03" + b"\x00" * 200, "不接受这种文件"),
        ("script.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "不接受这种文件"),
        ("fake.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 20, "无法打开"),
        ("page.html", b"<html><script>alert(1)</script></html>\x00", "不接受这种文件"),
    ],
)
def test_rejected_uploads_say_why_and_leave_the_case_untouched(
    owner_client, case, private_media, name, content, message
):
    response = upload(owner_client, case, name, content)
    assert response.status_code == 302
    assert any(message in text for text in messages_of(response)), messages_of(response)
    assert not Evidence.objects.exists()
    assert not any(private_media.rglob("*.*"))
    assert not case.events.filter(kind=Event.Kind.EVIDENCE_ADDED).exists()


def test_files_over_the_limit_are_refused(owner_client, case, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 1000
    response = upload(owner_client, case, "big.png", png_bytes((400, 400)))
    assert any("最大" in text for text in messages_of(response))
    assert not Evidence.objects.exists()


def test_the_case_quota_is_enforced(owner_client, case, settings):
    first, second, third = (png_bytes((width, 30)) for width in (40, 41, 42))  # three different photos
    settings.EVIDENCE_MAX_CASE_BYTES = len(first) + len(second)
    upload(owner_client, case, "1.png", first)
    upload(owner_client, case, "2.png", second)
    response = upload(owner_client, case, "3.png", third)
    assert case.evidence.count() == 2
    assert any("上限" in text for text in messages_of(response))


def test_a_decompression_bomb_is_refused(owner_client, case):
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")  # small file, 144 megapixels
    response = upload(owner_client, case, "bomb.png", buffer.getvalue())
    assert not Evidence.objects.exists()
    assert any("像素" in text for text in messages_of(response))


def test_removing_evidence_deletes_the_file_and_keeps_other_numbers(
    owner_client, case, private_media, django_capture_on_commit_callbacks
):
    upload(owner_client, case, "1.png", png_bytes())
    upload(owner_client, case, "2.png", png_bytes((10, 10)))
    first = case.evidence.get(exhibit_number=1)
    path = private_media / first.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/cases/{case.pk}/evidence/{first.pk}/delete/")
    assert not path.exists()
    assert list(case.evidence.values_list("exhibit_number", flat=True)) == [2]
    upload(owner_client, case, "3.png", png_bytes((12, 12)))
    assert list(case.evidence.values_list("exhibit_number", flat=True)) == [2, 3]
    assert case.events.filter(kind=Event.Kind.EVIDENCE_REMOVED).exists()


def test_only_the_owner_can_upload_or_see_files(client, case, ladder):
    item = Evidence.add(case, SimpleUploadedFile("a.png", png_bytes()), "image/png", case.owner, title="截图")
    stranger = merchant("stranger@example.com")
    client.force_login(stranger)
    assert client.get(f"/cases/{case.pk}/evidence/{item.pk}/").status_code == 404
    assert upload(client, case, "x.png", png_bytes()).status_code == 404
    assert client.post(f"/cases/{case.pk}/evidence/{item.pk}/delete/").status_code == 404
    assert case.evidence.count() == 1


def test_next_must_stay_on_this_site(owner_client, case):
    response = upload(owner_client, case, "a.png", png_bytes(), next="https://evil.example.com/")
    assert response["Location"] == f"/cases/{case.pk}/"


# ----- PDFs with active content (F3) ---------------------------------------------------------------------------


@pytest.mark.parametrize("trick", ["inline_script_in_catalog", "script_of_generation_one", "trailer_says_size_one"])
def test_the_known_ways_around_the_pdf_check_are_closed(owner_client, case, private_media, trick):
    """Red-team F3: a script inline in the catalog, in a generation-1 object, or behind a trailer saying /Size 1."""
    response = upload(owner_client, case, "合同.pdf", pdfs.HOSTILE[trick]())
    assert any("含有脚本" in text for text in messages_of(response)), messages_of(response)
    assert not Evidence.objects.exists()
    assert not any(private_media.rglob("*.*"))


@pytest.mark.parametrize(
    ("trick", "code"),
    [(trick, "pdf_embedded" if trick == "embedded_file" else "pdf_active") for trick in pdfs.HOSTILE],
)
def test_every_kind_of_active_pdf_content_is_refused(trick, code):
    with pytest.raises(ValidationError) as refused:
        check_pdf(SimpleUploadedFile("a.pdf", pdfs.HOSTILE[trick]()))
    assert refused.value.code == code


@pytest.mark.parametrize("kind", list(pdfs.HARMLESS))
def test_ordinary_pdfs_pass(kind):
    check_pdf(SimpleUploadedFile("a.pdf", pdfs.HARMLESS[kind]()))


def test_an_attached_file_is_refused_with_its_own_message(owner_client, case):
    response = upload(owner_client, case, "invoice.pdf", pdfs.embedded_file())
    [message] = messages_of(response)
    assert "PDF" in message and "含有脚本" not in message
    assert not Evidence.objects.exists()


# ----- downloads: attachments with safe names (F3, F18) ----------------------------------------------------------


def download(client, item):
    return client.get(f"/cases/{item.case_id}/evidence/{item.pk}/")


def assert_locked_down(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.parametrize(
    ("name", "content", "served_as"),
    [
        ("chat.svg", b'hello\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "chat.txt"),
        ("page.html", "聊天记录\n<script>alert(1)</script>".encode(), "page.txt"),
        ("notes.xhtml", b"plain words", "notes.txt"),
        ("run.js", b"alert(1)", "run.txt"),
        ("no-extension", b"plain words", "no-extension.txt"),
    ],
)
def test_text_with_a_risky_extension_is_downloaded_as_txt(owner_client, case, private_media, name, content, served_as):
    """Red-team F18: an .svg or .html accepted as plain text kept its extension on download."""
    upload(owner_client, case, name, content)
    item = case.evidence.get()
    assert item.content_type == "text/plain" and item.original_name == name
    assert item.file.name.endswith(".txt")  # stored under a safe extension too
    response = download(owner_client, item)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{served_as}"'
    assert_locked_down(response)
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize(
    "name, content, content_type, filename",
    [
        ("扣款记录.PDF", "pdf", "application/pdf", "%E6%89%A3%E6%AC%BE%E8%AE%B0%E5%BD%95.PDF"),
        ("协议.jpeg", "png", "image/png", "%E5%8D%8F%E8%AE%AE.png"),  # a PNG named .jpeg: its real type decides
    ],
)
def test_every_file_is_a_download_for_owner_and_volunteer(
    owner_client, case, client, name, content, content_type, filename
):
    """Red-team F3: PDFs were served inline, and a browser's viewer could run what they carry. Photos download too."""
    upload(owner_client, case, name, pdf_bytes() if content == "pdf" else png_bytes())
    item = case.evidence.get()
    response = download(owner_client, item)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=utf-8''{filename}" in response["Content-Disposition"]
    assert_locked_down(response)
    case.enqueue("help_requested", case.owner)
    client.force_login(volunteer())
    assert download(client, item)["Content-Disposition"].startswith("attachment;")


def test_an_unknown_stored_type_is_served_as_opaque_bytes(owner_client, case):
    item = Evidence.add(case, SimpleUploadedFile("x.svg", b"<svg/>"), "image/svg+xml", case.owner, title="旧文件")
    response = download(owner_client, item)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="x.bin"'


# ----- a double submit stores once (F13) ---------------------------------------------------------------------


def test_the_same_upload_twice_is_stored_once(owner_client, case, private_media):
    """Red-team F13: a double tap on "Upload" stored the same file twice."""
    content = png_bytes()
    first = upload(owner_client, case, "协议.png", content, title="商户协议")
    second = upload(owner_client, case, "协议.png", content, title="商户协议")
    item = case.evidence.get()
    assert item.exhibit_number == 1
    assert case.events.filter(kind=Event.Kind.EVIDENCE_ADDED).count() == 1
    assert len([path for path in private_media.rglob("*") if path.is_file()]) == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    note = list(second.wsgi_request._messages)[-1]  # the first request's note is still unread
    assert note.level == messages.INFO and "证据1" in str(note)

    upload(owner_client, case, "协议2.png", png_bytes((41, 30)), title="另一页")  # other bytes: a new exhibit
    assert list(case.evidence.values_list("exhibit_number", flat=True)) == [1, 2]


def test_a_file_already_stored_is_not_refused_by_a_full_quota(owner_client, case, settings):
    """The second of a double submit answers "already saved" even when the first one filled the case's quota."""
    content = png_bytes()
    settings.EVIDENCE_MAX_CASE_BYTES = len(content)
    upload(owner_client, case, "1.png", content)
    response = upload(owner_client, case, "1.png", content)
    assert case.evidence.count() == 1
    note = list(response.wsgi_request._messages)[-1]
    assert note.level == messages.INFO


def test_the_model_stores_a_file_once_when_asked(case):
    """The check that counts is the one under the case's lock (two requests at the same moment)."""
    added = Evidence.add(case, SimpleUploadedFile("a.txt", b"hello"), "text/plain", case.owner, title="a", once=True)
    again = Evidence.add(case, SimpleUploadedFile("b.txt", b"hello"), "text/plain", case.owner, title="b", once=True)
    assert added.created and not again.created and again.pk == added.pk
    assert case.evidence.count() == 1
