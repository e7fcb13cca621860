"""Privacy: a merchant downloads all their data, deletes their account, and old closed cases are purged with notice."""

import datetime as dt
import io
import json
import os
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse
from django.utils import timezone

from cases.models import Case, Event, Evidence, Step
from documents.models import Document
from escalation.models import Channel, Rung
from reminders.models import Notification
from reminders.retention import purge_closed_cases
from review.models import Comment
from tests.factories import merchant, open_case, volunteer

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ID_NUMBER = "11010519491231002X"


def stored(media):
    return sorted(path.relative_to(media).as_posix() for path in media.rglob("*") if path.is_file())


@pytest.fixture
def owner(ladder):
    user = merchant("owner@example.com", full_name="王小红", id_number=ID_NUMBER, mobile="13812345678")
    user.email = "owner@example.com"
    user.save()
    return user


@pytest.fixture
def full_case(owner):
    """A case with a step, two exhibits, an issued letter and a volunteer's message."""
    case = open_case(owner)
    case.log_step(
        rung=Rung.objects.get(position=2),
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=dt.date(2026, 10, 10),
        method=Step.Method.PHONE,
        reference="工单 T-778",
    )
    for name, body in [("协议.txt", "交易满5万退押金"), ("流水.txt", "扣款 299 元")]:
        Evidence.add(case, SimpleUploadedFile(name, body.encode()), "text/plain", owner, title=name)
    Document.issue(case, "refund_application", "zh-hans", "<p>退款申请</p>", b"%PDF-1.7 letter", "v1", owner)
    helper = volunteer()
    Comment.objects.create(case=case, author=helper, body="请补充扣款截图", visibility=Comment.Visibility.MERCHANT)
    Comment.objects.create(
        case=case, author=helper, body="内部备注：疑似代理违规", visibility=Comment.Visibility.INTERNAL
    )
    return case


# ----- export --------------------------------------------------------------------------------------------


def test_a_merchant_downloads_all_their_data_as_json_and_files(client, owner, full_case):
    other = open_case(merchant("other@example.com"))
    client.force_login(owner)
    assert "下载" in client.get("/accounts/export/").content.decode()
    response = client.post("/accounts/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="dispute-ladder-data-')
    assert response["Cache-Control"] == "private, no-store"

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "owner@example.com"
    assert data["profile"]["full_name"] == "王小红" and data["profile"]["id_number"] == ID_NUMBER
    [case] = data["cases"]
    assert case["id"] == str(full_case.pk) and str(other.pk) not in json.dumps(data)
    assert case["amount"] == str(full_case.amount) or Decimal(case["amount"]) == full_case.amount
    assert [step["reference"] for step in case["steps"]] == ["工单 T-778"]
    merchant_party = next(party for party in case["parties"] if party["role"] == "merchant")
    assert merchant_party["name"] == "王小红" and merchant_party["id_number"] == ID_NUMBER
    assert [(item["kind"], Decimal(item["amount"])) for item in case["sums_taken"]] == [("deposit", Decimal("299"))]
    assert [m["text"] for m in case["messages_from_volunteers"]] == ["请补充扣款截图"]
    assert "内部备注" not in json.dumps(data, ensure_ascii=False)  # volunteers' internal notes are theirs
    assert {event["kind"] for event in case["timeline"]} >= {"opened", "step_logged", "evidence_added"}

    # Every file of the case is in the zip, byte for byte, under the name data.json gives it.
    files = [item["file"] for item in case["evidence"]] + [doc["file"] for doc in case["documents"]]
    assert sorted(files) == sorted(name for name in archive.namelist() if name != "data.json")
    by_title = {item["title"]: item["file"] for item in case["evidence"]}
    assert archive.read(by_title["协议.txt"]).decode() == "交易满5万退押金"
    assert archive.read(case["documents"][0]["file"]) == b"%PDF-1.7 letter"


def test_the_export_is_streamed_from_a_file_with_bounded_memory(client, owner, full_case):
    """Red-team F16: the export was built in memory (157 MB of evidence added 163 MiB to the worker)."""
    chunks = [os.urandom(1024 * 1024) for _ in range(6)]  # incompressible, like photos
    for number, chunk in enumerate(chunks):
        Evidence.add(full_case, SimpleUploadedFile(f"{number}.jpg", chunk), "image/jpeg", owner, title=str(number))
    client.force_login(owner)
    first = client.post("/accounts/export/")  # also loads what a first request imports
    assert isinstance(first, FileResponse) and first.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(first.streaming_content)))
    listed = {item["title"]: item["file"] for item in json.loads(archive.read("data.json"))["cases"][0]["evidence"]}
    for number, chunk in enumerate(chunks):
        assert archive.read(listed[str(number)]) == chunk

    tracemalloc.start()
    try:
        response = client.post("/accounts/export/")
        size = sum(len(piece) for piece in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert int(response["Content-Length"]) == size > 6 * 1024 * 1024
    assert peak < 2 * 1024 * 1024, f"{peak / 2**20:.1f} MiB held for a {size / 2**20:.1f} MiB export"


def test_export_needs_a_login_and_a_post(client, owner):
    assert client.post("/accounts/export/")["Location"].startswith("/accounts/login/")
    client.force_login(owner)
    assert client.get("/accounts/export/")["Content-Type"].startswith("text/html")


def exported(owner):
    from accounts.privacy import export_user_data

    archive = zipfile.ZipFile(export_user_data(owner, io.BytesIO()))
    return json.loads(archive.read("data.json"))


def test_the_export_holds_every_recorded_field_and_nobody_elses_account(owner, full_case):
    """What a merchant gets is what the app holds about them, field by field; the volunteer's account is not in it."""
    helper = volunteer("helper@example.com")
    full_case.enqueue("help_requested", owner)
    full_case.take(helper)
    full_case.steps.update(answer_notes="说会转给财务", answered_on=dt.date(2026, 10, 12), recipient="客服部")
    full_case.log_step(rung=Rung.objects.get(position=3), actor=owner, started_on=dt.date(2026, 10, 20))
    full_case.record_policy_read(None, {"target_met": "yes"}, owner)
    full_case.refresh_from_db()
    full_case.withdraw("已私下解决", owner)
    data = exported(owner)
    [case] = data["cases"]
    assert "owner" not in case and "assigned_to" not in case
    assert "helper@example.com" not in json.dumps(data)
    assert case["id"] == str(full_case.pk)
    assert case["provider"] == full_case.provider_name == "拉卡拉支付股份有限公司"
    assert case["rung"] == full_case.rung.title_zh
    for key in ("created_at", "closed_at", "policy_read_at", "intake_completed_at"):
        assert case[key] == json.loads(json.dumps(getattr(full_case, key), cls=DjangoJSONEncoder)), key
    assert None not in {case[key] for key in ("closed_at", "policy_read_at", "intake_completed_at")}
    contact, application = case["steps"]
    assert contact == {
        "rung": Rung.objects.get(position=2).title_zh,
        "channel": Channel.objects.get(code="provider-service").name_zh,
        "started_on": "2026-10-10",
        "method": "phone",
        "reference": "工单 T-778",
        "recipient": "客服部",
        "notes": "",
        "outcome": "pending",
        "answered_on": "2026-10-12",
        "answer_notes": "说会转给财务",
        "due_on": "2026-10-19",  # 7 days end on Saturday 10-17: Monday
    }
    assert (application["rung"], application["channel"], application["method"]) == (
        Rung.objects.get(position=3).title_zh,
        "",
        "",
    )
    for party in case["parties"]:
        assert "id" not in party and "case" not in party
    assert {party["role"] for party in case["parties"]} == {"merchant", "respondent", "agent"}
    for item in case["sums_taken"]:
        assert "id" not in item and "case" not in item
    assert case["sums_taken"][0]["kind"] == "deposit"
    assert "opened_by_volunteer" not in {event["kind"] for event in case["timeline"]}


def test_every_part_of_the_export_with_its_fields(owner, full_case, media, caplog):
    Notification.objects.create(user=owner, case=full_case, kind=Notification.Kind.COMMENT, data={"comment": "1"})
    from accounts.privacy import export_user_data

    buffer = export_user_data(owner, io.BytesIO())
    archive = zipfile.ZipFile(buffer)
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
    text = archive.read("data.json").decode()
    assert "王小红" in text and '\n  "account": {' in text  # readable Chinese, indented
    data = json.loads(text)
    assert set(data) == {"exported_at", "account", "profile", "cases", "notifications"}
    assert data["account"] == {
        "username": "owner@example.com",
        "email": "owner@example.com",
        "joined": json.loads(json.dumps(owner.date_joined, cls=DjangoJSONEncoder)),
    }
    assert data["profile"]["mobile"] == "13812345678"
    assert not {"id", "user", "calendar_token"} & set(data["profile"])  # the calendar feed's secret stays out
    [notice] = data["notifications"]
    assert set(notice) == {"time", "kind", "details", "read_at"}
    assert (notice["kind"], notice["details"], notice["read_at"]) == ("comment", {"comment": "1"}, None)
    [case] = data["cases"]
    assert {(event["kind"], tuple(sorted(event))) for event in case["timeline"]} >= {
        ("opened", ("details", "kind", "time"))
    }
    exhibit = case["evidence"][0]
    item = full_case.evidence.get(exhibit_number=exhibit["exhibit"])
    assert exhibit == {
        "exhibit": item.exhibit_number,
        "title": item.title,
        "proves": item.proves,
        "source": item.source,
        "original_name": item.original_name,
        "sha256": item.sha256,
        "uploaded_at": json.loads(json.dumps(item.uploaded_at, cls=DjangoJSONEncoder)),
        "text": item.text,
        "file": exhibit["file"],
    }
    [document] = case["documents"]
    issued = full_case.documents.get()
    assert {key: document[key] for key in ("kind", "language", "version", "sha256")} == {
        "kind": "refund_application",
        "language": "zh-hans",
        "version": 1,
        "sha256": issued.sha256,
    }
    assert document["issued_at"] == json.loads(json.dumps(issued.issued_at, cls=DjangoJSONEncoder))
    [message] = case["messages_from_volunteers"]
    assert set(message) == {"time", "text"} and message["text"] == "请补充扣款截图"
    assert case["steps"][0]["channel"] == Channel.objects.get(code="provider-service").name_zh

    # A file gone from storage is left out of the zip, and the rest still comes.
    item.file.storage.delete(item.file.name)
    with caplog.at_level("WARNING", logger="accounts.privacy"):
        archive = zipfile.ZipFile(export_user_data(owner, io.BytesIO()))
    assert exhibit["file"] not in archive.namelist() and len(archive.namelist()) == 3
    assert "file missing from storage" in caplog.text


def test_an_account_without_a_profile_exports_an_empty_one():
    from accounts.privacy import export_user_data

    user = get_user_model().objects.create_user("bare@example.com", "bare@example.com")
    data = json.loads(zipfile.ZipFile(export_user_data(user, io.BytesIO())).read("data.json"))
    assert (data["profile"], data["cases"], data["notifications"]) == ({}, [], [])


def test_the_export_reads_the_same_few_queries_however_many_steps(owner, django_assert_num_queries):
    case = open_case(owner)
    log = Rung.objects.get(position=2)
    case.log_step(rung=log, actor=owner, started_on=dt.date(2026, 10, 10))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_step:
        exported(owner)
    for day in (11, 12, 13):
        case.log_step(rung=log, actor=owner, started_on=dt.date(2026, 10, day))
    with CaptureQueriesContext(connection) as four_steps:
        exported(owner)
    assert len(four_steps.captured_queries) == len(one_step.captured_queries)


def test_deleting_an_account_reads_its_files_in_a_few_queries_however_many_cases(
    owner, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.privacy import delete_account

    def deleting(user, cases):
        for _number in range(cases):
            case = open_case(user)
            Evidence.add(case, SimpleUploadedFile("a.txt", b"a"), "text/plain", user, title="a")
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            assert delete_account(user) == cases
        return [query["sql"] for query in queries.captured_queries if "disputes_evidence" in query["sql"]]

    one = deleting(owner, 1)
    three = deleting(merchant("three@example.com"), 3)
    assert len(three) == len(one)


# ----- deleting the account ------------------------------------------------------------------------------


def test_deleting_the_account_removes_every_row_and_file(
    client, owner, full_case, media, django_capture_on_commit_callbacks
):
    neighbour = merchant("other@example.com")
    kept = open_case(neighbour)
    Evidence.add(kept, SimpleUploadedFile("n.txt", b"neighbour"), "text/plain", neighbour, title="n")
    files_before = stored(media)
    assert len(files_before) == 4

    client.force_login(owner)
    page = client.post("/accounts/delete/", {"password": "wrong"})
    assert "密码不正确" in page.content.decode()
    assert get_user_model().objects.filter(pk=owner.pk).exists()  # a wrong password deletes nothing

    with django_capture_on_commit_callbacks(execute=True):  # files go once the deletion has committed
        response = client.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert "已删除" in response.content.decode()
    assert not get_user_model().objects.filter(pk=owner.pk).exists()
    assert not Case.objects.filter(pk=full_case.pk).exists()
    for model in (Event, Evidence, Document, Step, Comment):
        assert not model.objects.filter(case_id=full_case.pk).exists()
    assert not Notification.objects.filter(user_id=owner.pk).exists()
    # Only the neighbour's file is left in storage; their case is untouched.
    assert stored(media) == [Evidence.objects.get(case=kept).file.name]
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")  # logged out
    assert not client.login(username="owner@example.com", password=PASSWORD)


def test_a_volunteer_can_delete_their_account_and_the_cases_they_helped_stay(client, full_case):
    helper = Comment.objects.filter(case=full_case).first().author
    full_case.enqueue("help")
    full_case.take(helper)
    client.force_login(helper)
    client.post("/accounts/delete/", {"password": PASSWORD})
    full_case.refresh_from_db()
    assert full_case.assigned_to is None
    assert Comment.objects.filter(case=full_case).count() == 2  # the advice stays with the case, unsigned
    assert not Comment.objects.filter(author_id=helper.pk).exists()


# ----- retention -----------------------------------------------------------------------------------------


def close(case, days_ago):
    case.withdraw("已私下解决", case.owner)
    Case.objects.filter(pk=case.pk).update(closed_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago))


def test_closed_cases_are_purged_after_the_retention_period_with_notice_first(
    full_case, settings, media, django_capture_on_commit_callbacks
):
    settings.CLOSED_CASE_RETENTION_DAYS = 365
    settings.PURGE_NOTICE_DAYS = 30
    open_one = open_case(full_case.owner)
    close(full_case, days_ago=340)
    now = dt.datetime.now(dt.UTC)

    # 25 days before the end of the period the owner is told, once, in the app and by email, in Chinese;
    # they always get the full 30 days' notice, so the date given is 30 days away.
    with django_capture_on_commit_callbacks(execute=True):  # the email goes once the notice has committed
        assert purge_closed_cases(now) == (1, 0)
    assert purge_closed_cases(now) == (0, 0)
    notice = Notification.objects.get(kind="purge_notice")
    assert notice.case_id == full_case.pk
    assert notice.data["on"] == timezone.localdate(now + dt.timedelta(days=30)).isoformat()
    [email] = mail.outbox
    assert email.to == ["owner@example.com"] and "删除" in email.subject and "/accounts/export/" in email.body

    # The period ends but the notice is not 30 days old yet: nothing goes.
    assert purge_closed_cases(now + dt.timedelta(days=26)) == (0, 0)
    assert Case.objects.filter(pk=full_case.pk).exists()

    # 30 days after the notice: the case, its rows and its files are gone; the open case stays.
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_closed_cases(now + dt.timedelta(days=31)) == (0, 1)
    assert not Case.objects.filter(pk=full_case.pk).exists()
    assert not Evidence.objects.exists() and not Document.objects.exists()
    assert stored(media) == []
    assert Case.objects.filter(pk=open_one.pk).exists()


def test_a_case_closed_long_ago_still_gets_its_full_notice(full_case, settings):
    settings.CLOSED_CASE_RETENTION_DAYS = 365
    close(full_case, days_ago=800)  # e.g. retention was just switched on
    now = dt.datetime.now(dt.UTC)
    assert purge_closed_cases(now) == (1, 0)
    assert Notification.objects.get().data["on"] == timezone.localdate(now + dt.timedelta(days=30)).isoformat()
    assert purge_closed_cases(now + dt.timedelta(days=29)) == (0, 0)
    assert purge_closed_cases(now + dt.timedelta(days=30, minutes=1)) == (0, 1)


def test_reopening_a_case_cancels_its_purge(full_case, settings):
    settings.CLOSED_CASE_RETENTION_DAYS = 365
    close(full_case, days_ago=350)
    now = dt.datetime.now(dt.UTC)
    purge_closed_cases(now)
    full_case.refresh_from_db()
    full_case.reopen(full_case.owner)
    assert purge_closed_cases(now + dt.timedelta(days=60)) == (0, 0)
    assert Case.objects.filter(pk=full_case.pk).exists()


def test_retention_zero_keeps_everything(full_case, settings):
    settings.CLOSED_CASE_RETENTION_DAYS = 0
    close(full_case, days_ago=5000)
    assert purge_closed_cases() == (0, 0)
    assert Case.objects.filter(pk=full_case.pk).exists()


def test_the_purge_notice_is_shown_in_the_app(client, full_case, settings):
    settings.CLOSED_CASE_RETENTION_DAYS = 365
    close(full_case, days_ago=340)
    purge_closed_cases()
    client.force_login(full_case.owner)
    page = client.get("/notifications/").content.decode()
    assert "这个已结案件将于" in page and "删除" in page


def test_the_purge_command_and_its_celery_task_both_run_it(full_case, settings, capsys):
    settings.CLOSED_CASE_RETENTION_DAYS = 365
    close(full_case, days_ago=340)
    call_command("purge_closed_cases", "--dry-run")
    assert capsys.readouterr().out.strip() == "told=1 purged=0"
    assert not Notification.objects.exists()
    from reminders.tasks import purge_closed_cases as purge_task

    purge_task()
    assert Notification.objects.filter(kind="purge_notice").count() == 1
