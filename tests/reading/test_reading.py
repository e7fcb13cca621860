"""Reading an exhibit: queued when stored (every path), read by the task, shown, searched, exported, swept."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cases.models import Case, Event, Evidence
from reading import reader, sweep, tasks
from tests.factories import merchant, open_case, volunteer
from tests.reading import images
from tests.test_case_file import document, export, run_import, write

pytestmark = pytest.mark.django_db

Reading = Evidence.Reading


@pytest.fixture
def case(owner):
    return open_case(owner)


def add(case, name="截图.png", data=None, content_type="image/png", title="", **extra):
    data = images.png() if data is None else data
    return Evidence.add(case, SimpleUploadedFile(name, data), content_type, case.owner, title=title, **extra)


def upload(client, case, name, data, title=""):
    return client.post(
        f"/cases/{case.pk}/evidence/",
        {"file": SimpleUploadedFile(name, data), "title": title, "next": f"/cases/{case.pk}/evidence/list/"},
    )


def fresh(item):
    return Evidence.objects.get(pk=item.pk)


def in_english(client):
    """The signed-in user switches the site to English (the profile's language wins over the browser's)."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def english_client(owner_client):
    return in_english(owner_client)


# ----- queued after commit, on every path ----------------------------------------------------------


def test_a_picture_is_queued_for_reading_once_stored(case, reading_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = add(case)

    assert item.reading == Reading.PENDING and item.reading_queued_at is not None
    assert reading_queue == [str(item.pk)]


def test_nothing_is_queued_before_the_transaction_commits(case, reading_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        add(case)
        assert reading_queue == []

    assert len(callbacks) == 1


def test_a_chat_export_is_text_already_and_is_not_queued(case, reading_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = add(case, "chat.txt", "代理：交易满5万退押金".encode(), "text/plain")

    assert item.reading == Reading.NONE and reading_queue == []


def test_the_upload_page_queues_a_picture(owner_client, case, reading_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(owner_client, case, "协议.png", images.png())

    assert response.status_code == 302
    item = case.evidence.get()
    assert item.reading == Reading.PENDING and reading_queue == [str(item.pk)]
    assert item.title == "" and item.description == "协议.png"  # no title given: the file's name, until read


def test_import_case_queues_its_pictures(ladder, media, tmp_path, reading_queue, django_capture_on_commit_callbacks):
    (tmp_path / "chat-1.png").write_bytes(images.png())
    with django_capture_on_commit_callbacks(execute=True):
        case_id = run_import(write(tmp_path, document()))

    item = Case.objects.get(pk=case_id).evidence.get()
    assert item.reading == Reading.PENDING and reading_queue == [str(item.pk)]


def test_import_case_takes_the_text_it_is_given(
    ladder, media, tmp_path, reading_queue, django_capture_on_commit_callbacks
):
    (tmp_path / "chat-1.png").write_bytes(images.png())
    data = document()
    data["evidence"][0]["text"] = "押金299元\n拉卡拉"
    with django_capture_on_commit_callbacks(execute=True):
        case_id = run_import(write(tmp_path, data))

    item = Case.objects.get(pk=case_id).evidence.get()
    assert item.reading == Reading.DONE and item.text == "押金299元\n拉卡拉" and reading_queue == []
    assert "text" not in item.extra
    assert export(case_id)["evidence"][0]["text"] == "押金299元\n拉卡拉"


# ----- the task's work ----------------------------------------------------------------------------


@pytest.mark.ocr
def test_reading_keeps_the_text_and_says_so_on_the_timeline(case):
    item = add(case)

    assert reader.read_evidence(item.pk) == reader.Outcome.READ

    item = fresh(item)
    assert item.reading == Reading.DONE and item.read_at is not None and item.reading_attempts == 1
    for line in images.LINES:
        assert line in item.text
    event = case.events.get(kind=Event.Kind.EVIDENCE_READ)
    assert event.data["exhibit"] == 1 and event.data["characters"] == len(item.text)
    assert images.LINES[0] not in json.dumps(event.data, ensure_ascii=False)  # counts only, never the words
    assert reader.read_evidence(item.pk) == reader.Outcome.SKIPPED  # read once


def test_a_damaged_picture_fails_with_a_reason_and_the_upload_is_kept(case):
    item = add(case, data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)

    assert reader.read_evidence(item.pk) == reader.Outcome.FAILED

    item = fresh(item)
    assert item.reading == Reading.FAILED and item.reading_error == Evidence.ReadingError.UNREADABLE
    assert item.file.storage.exists(item.file.name)  # nothing lost
    assert case.events.get(kind=Event.Kind.EVIDENCE_NOT_READ).data == {"exhibit": 1, "reason": "unreadable"}


def test_a_missing_file_fails_with_a_reason(case):
    item = add(case)
    item.file.storage.delete(item.file.name)

    reader.read_evidence(item.pk)

    assert fresh(item).reading_error == Evidence.ReadingError.MISSING


def test_a_removed_exhibit_is_skipped(case):
    item = add(case)
    item.remove(case.owner)

    assert reader.read_evidence(item.pk) == reader.Outcome.SKIPPED


def test_storage_errors_are_retried_and_the_exhibit_stays_pending(case, monkeypatch):
    item = add(case)

    def unreachable(*args, **kwargs):
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(type(item.file), "open", unreachable)
    with pytest.raises(ConnectionError):
        reader.read_evidence(item.pk)

    assert fresh(item).reading == Reading.PENDING
    assert issubclass(ConnectionError, tasks.read_evidence.autoretry_for)
    assert tasks.read_evidence.max_retries == 3 and tasks.read_evidence.retry_backoff


def test_a_reading_that_fails_for_good_marks_the_exhibit(case):
    item = add(case)

    tasks.read_evidence.on_failure(OSError("gone"), "task-id", (str(item.pk),), {}, None)

    item = fresh(item)
    assert item.reading == Reading.FAILED and item.reading_error == Evidence.ReadingError.ERROR


def test_a_reading_that_takes_too_long_fails_with_a_reason(case, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    item = add(case)

    def too_slow(data, content_type):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(reader.ocr, "read", too_slow)
    reader.read_evidence(item.pk)

    assert fresh(item).reading_error == Evidence.ReadingError.TOO_SLOW


def test_a_long_pdf_keeps_its_page_count_and_says_it_was_read_in_part(case, settings, monkeypatch):
    settings.READING_MAX_PDF_PAGES = 2
    monkeypatch.setattr(reader.ocr, "recognise", lambda image: [reader.ocr.Line("押金299元", 0.9)])
    item = add(case, "scan.pdf", images.scanned_pdf(pages=5), "application/pdf")

    reader.read_evidence(item.pk)

    item = fresh(item)
    assert item.is_read and item.read_in_part and item.pages == 5 and item.pages_read == 2
    assert item.text_pages == ["押金299元", "押金299元"]


# ----- the pages ----------------------------------------------------------------------------------


def test_the_evidence_list_says_where_each_reading_is(english_client, case):
    pending = add(case, "pending.png")
    read = add(case, "read.png", images.png(["押金"]), title="商户协议")
    read.mark_read("押金299元\n拉卡拉支付股份有限公司")
    empty = add(case, "empty.png", images.blank_png(), title="墙")
    empty.mark_read("")
    failed = add(case, "bad.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, title="坏图")
    failed.mark_failed(Evidence.ReadingError.UNREADABLE)

    page = english_client.get(f"/cases/{case.pk}/evidence/list/").content.decode()

    assert pending.is_reading and "Reading the text…" in page
    assert '<details class="evidence-text">' in page and "<summary>Text read</summary>" in page
    assert "押金299元<br>拉卡拉支付股份有限公司" in page
    assert "No text found" in page
    assert "Could not read the text: The file is damaged" in page


def test_the_wizard_page_shows_the_reading_state_and_links_the_search(english_client, case):
    add(case, "read.png", title="协议").mark_read("押金299元")

    page = english_client.get(f"/cases/{case.pk}/", follow=True).content.decode()

    assert "<summary>Text read</summary>" in page
    assert f"/cases/{case.pk}/evidence/list/" in page


def test_a_long_pdf_says_how_much_was_read(english_client, case):
    item = add(case, "scan.pdf", images.scanned_pdf(), "application/pdf", pages=50)
    item.mark_read("\f".join(["押金"] * 20), note=Evidence.ReadingError.PAGE_LIMIT)

    page = english_client.get(f"/cases/{case.pk}/evidence/list/").content.decode()

    assert "Only the first 20 of 50 pages were read." in page


def test_an_exhibit_without_a_title_is_offered_its_first_words(english_client, case):
    item = add(case, "IMG_0001.png")
    item.mark_read("押金299元\n拉卡拉支付股份有限公司\n2025年3月1日\n" + "很长的一行" * 20)

    page = english_client.get(f"/cases/{case.pk}/evidence/list/").content.decode()
    item = fresh(item)
    assert item.suggested_title == "押金299元 拉卡拉支付股份有限公司 2025年3月1日"
    assert f"Exhibit 1</a> {item.suggested_title}" in page
    assert "Give it a title" in page and f'value="{item.suggested_title}"' in page

    response = english_client.post(
        f"/cases/{case.pk}/evidence/{item.pk}/title/", {"title": "押金扣款截图", "next": f"/cases/{case.pk}/"}
    )

    assert response.status_code == 302
    assert fresh(item).title == "押金扣款截图"
    assert case.events.get(kind=Event.Kind.EVIDENCE_DESCRIBED).data == {"exhibit": 1, "title": "押金扣款截图"}
    assert "Give it a title" not in english_client.get(f"/cases/{case.pk}/evidence/list/").content.decode()


def test_only_the_owner_may_title_an_exhibit(client, case):
    item = add(case)
    item.mark_read("押金299元")
    client.force_login(merchant("other@example.com"))

    response = client.post(f"/cases/{case.pk}/evidence/{item.pk}/title/", {"title": "x"})

    assert response.status_code == 404 and fresh(item).title == ""


def test_letters_list_an_untitled_exhibit_by_its_first_words(case):
    item = add(case)
    item.mark_read("押金299元\n拉卡拉")

    assert fresh(item).description == "押金299元 拉卡拉"
    assert str(fresh(item)) == "证据1 押金299元 拉卡拉"


# ----- search -------------------------------------------------------------------------------------


@pytest.fixture
def searchable(case):
    add(case, "a.png", title="商户协议").mark_read("押金299元\n拉卡拉支付股份有限公司")
    add(case, "b.png", images.png(["其他"]), title="聊天截图").mark_read("客服说请联系您的服务商")
    return case


def test_the_owner_finds_an_exhibit_by_its_text(english_client, searchable):
    page = english_client.get(f"/cases/{searchable.pk}/evidence/list/", {"q": "拉卡拉"}).content.decode()

    assert "商户协议" in page and "聊天截图" not in page
    assert "One piece of evidence mentions “拉卡拉”." in page


def test_a_search_that_finds_nothing_says_so(english_client, searchable):
    page = english_client.get(f"/cases/{searchable.pk}/evidence/list/", {"q": "银联"}).content.decode()

    assert "No evidence mentions “银联”." in page and "商户协议" not in page


def test_latin_text_is_found_whatever_its_case(owner_client, case):
    add(case, title="x").mark_read("POS terminal SN0001")

    page = owner_client.get(f"/cases/{case.pk}/evidence/list/", {"q": "sn0001"}).content.decode()

    assert "POS terminal SN0001" in page


def test_another_merchant_gets_a_404(client, searchable):
    client.force_login(merchant("other@example.com"))

    assert client.get(f"/cases/{searchable.pk}/evidence/list/", {"q": "拉卡拉"}).status_code == 404


def test_a_volunteer_searches_a_queued_case(client, searchable):
    helper = volunteer()
    client.force_login(helper)
    in_english(client)
    assert client.get(f"/cases/{searchable.pk}/evidence/list/").status_code == 404  # not in the queue yet

    searchable.enqueue(Case.QueueReason.HELP_REQUESTED, searchable.owner)
    page = client.get(f"/cases/{searchable.pk}/evidence/list/", {"q": "服务商"}).content.decode()
    review = client.get(f"/review/cases/{searchable.pk}/").content.decode()

    assert "聊天截图" in page and "商户协议" not in page
    assert "Search the text of the evidence" in review and "<summary>Text read</summary>" in review


# ----- the case file ------------------------------------------------------------------------------


def test_export_gives_the_text_read_and_null_before(case):
    from documents.casefile.exporter import export_evidence

    waiting = add(case, "a.png")
    empty = add(case, "b.png", images.blank_png())
    empty.mark_read("")
    read = add(case, "c.png", images.png(["押金"]))
    read.mark_read("押金299元")

    assert [export_evidence(fresh(item))["text"] for item in (waiting, empty, read)] == [None, "", "押金299元"]


def test_the_export_command_writes_the_text(owner, case, ladder):
    add(case, title="协议").mark_read("押金299元")

    out = io.StringIO()
    call_command("export_case", str(case.pk), stdout=out)

    assert json.loads(out.getvalue())["evidence"][0]["text"] == "押金299元"


# ----- the sweep ----------------------------------------------------------------------------------


def test_the_sweep_queues_again_what_waited_too_long(case, reading_queue, time_machine, settings):
    settings.READING_RETRY_MINUTES = 15
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)
    old = add(case, "old.png")
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, 10, tzinfo=dt.UTC), tick=False)
    recent = add(case, "recent.png", images.png(["其他"]))
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, 20, tzinfo=dt.UTC), tick=False)

    assert sweep.requeue_stuck().as_dict() == {"queued": 1, "not_sent": 0, "failed": 0}
    assert reading_queue == [str(old.pk)]
    assert fresh(old).reading_queued_at == dt.datetime(2026, 12, 3, 10, 20, tzinfo=dt.UTC)
    assert sweep.requeue_stuck().queued == 0  # asked again just now: not twice
    assert fresh(recent).reading == Reading.PENDING


def test_the_sweep_gives_up_after_the_attempts(case, reading_queue, time_machine, settings):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)
    item = add(case)
    Evidence.objects.filter(pk=item.pk).update(reading_attempts=settings.READING_MAX_ATTEMPTS)
    time_machine.move_to(dt.datetime(2026, 12, 3, 11, tzinfo=dt.UTC), tick=False)

    assert sweep.requeue_stuck().failed == 1
    assert fresh(item).reading_error == Evidence.ReadingError.ERROR and reading_queue == []


def test_exhibits_stored_before_reading_existed_are_swept_in(case, reading_queue):
    item = add(case)
    Evidence.objects.filter(pk=item.pk).update(reading_queued_at=None)  # as migration 0002 leaves them

    assert sweep.requeue_stuck().queued == 1 and reading_queue == [str(item.pk)]


def test_the_command_says_what_the_sweep_would_do(case, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)
    item = add(case)
    time_machine.move_to(dt.datetime(2026, 12, 3, 11, tzinfo=dt.UTC), tick=False)
    out = io.StringIO()

    call_command("read_evidence", "--dry-run", stdout=out)

    assert "1 exhibits would be queued again" in out.getvalue()
    assert fresh(item).reading_queued_at == dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
