"""Uploads and issued letters on S3-compatible object storage (settings: S3_BUCKET).

Past one machine, every web host and worker must see the same files. These tests
point the app's storage at a real S3 endpoint (moto's server, over HTTP on
loopback) and walk what a merchant does with files: upload evidence, issue a
letter, download both, export everything, remove evidence.
"""

import datetime as dt
import hashlib
import io
import json
import socket
import zipfile

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from cases.models import Evidence, Step
from documents.models import Document
from escalation.models import Rung
from tests.factories import merchant, open_case

pytestmark = pytest.mark.django_db

BUCKET = "yajin-files"
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret", "region_name": "cn-north-1"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """An empty private bucket, and the app's default storage pointed at it as S3_BUCKET would."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["region_name"]})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": CREDENTIALS["region_name"],
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "location": "media",
                **settings.S3_FILE_OPTIONS,  # the options the deployed storage uses
            },
        },
    }
    yield client
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    for key in keys:
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def stored_keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.fixture
def case(ladder, owner):
    case = open_case(owner)
    rungs = {rung.position: rung for rung in Rung.objects.all()}
    case.log_step(rung=rungs[2], actor=owner, started_on=dt.date(2026, 10, 10), method=Step.Method.PHONE)
    return case


def test_evidence_and_letters_live_in_the_bucket_and_download_only_to_the_owner(client, owner, case, bucket):
    client.force_login(owner)
    content = "代理：交易满5万退押金".encode()
    response = client.post(
        f"/cases/{case.pk}/evidence/",
        {"file": SimpleUploadedFile("聊天记录.txt", content), "title": "聊天记录", "next": f"/cases/{case.pk}/"},
    )
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert stored_keys(bucket) == [f"media/{item.file.name}"]
    assert item.file.name.startswith(f"evidence/{case.pk}/") and "聊天" not in item.file.name
    stored = bucket.get_object(Bucket=BUCKET, Key=f"media/{item.file.name}")["Body"].read()
    assert stored == content
    # Private: the bucket grants nobody but its owner (the app) any access.
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=f"media/{item.file.name}")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]

    download = client.get(f"/cases/{case.pk}/evidence/{item.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content

    issued = client.post(f"/cases/{case.pk}/letters/refund_application/issue/", {"language": "zh-hans"})
    assert issued.status_code == 302
    document = Document.objects.get()
    assert f"media/{document.pdf.name}" in stored_keys(bucket)
    letter = client.get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert letter.status_code == 200
    body = b"".join(letter.streaming_content)
    assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == document.sha256

    export = client.post("/accounts/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content)))
    listed = json.loads(archive.read("data.json"))["cases"][0]
    assert archive.read(listed["evidence"][0]["file"]) == content
    assert archive.read(listed["documents"][0]["file"]) == body

    client.force_login(merchant("stranger@example.com"))
    assert client.get(f"/cases/{case.pk}/evidence/{item.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/documents/{document.pk}/").status_code == 404


def test_removing_evidence_deletes_the_object_and_a_lost_object_is_a_404(
    client, owner, case, bucket, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    for name in ("1.txt", "2.txt"):
        client.post(f"/cases/{case.pk}/evidence/", {"file": SimpleUploadedFile(name, name.encode()), "title": name})
    first, second = Evidence.objects.order_by("exhibit_number")
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        client.post(f"/cases/{case.pk}/evidence/{first.pk}/delete/")
    assert stored_keys(bucket) == [f"media/{second.file.name}"]

    # Someone emptied the bucket behind the app's back: the page says "not found", it does not crash.
    bucket.delete_object(Bucket=BUCKET, Key=f"media/{second.file.name}")
    assert client.get(f"/cases/{case.pk}/evidence/{second.pk}/").status_code == 404
