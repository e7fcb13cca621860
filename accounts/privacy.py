"""A merchant's data: downloading all of it, and deleting all of it."""

import json
import logging
import shutil
import zipfile

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict

from cases.models import Case, Event
from lib import chinatime
from reminders.models import Notification
from reminders.retention import delete_files_after_commit, stored_files
from review.models import Comment

logger = logging.getLogger(__name__)

CASE_FIELDS_EXCLUDED = {"owner", "assigned_to"}
COPY_CHUNK = 256 * 1024  # bytes of a file held at once while exporting


def _case_data(case):
    data = model_to_dict(case, exclude=CASE_FIELDS_EXCLUDED)
    data.update(
        id=str(case.pk),
        provider=case.provider_name,
        rung=case.rung.title_zh,
        created_at=case.created_at,
        closed_at=case.closed_at,
        policy_read_at=case.policy_read_at,
        intake_completed_at=case.intake_completed_at,
    )
    data["parties"] = [
        model_to_dict(party, exclude={"id", "case"}) | {"role": party.role} for party in case.parties.all()
    ]
    data["sums_taken"] = [model_to_dict(charge, exclude={"id", "case"}) for charge in case.charges.all()]
    data["steps"] = [
        {
            "rung": step.rung.title_zh,
            "channel": step.channel.name_zh if step.channel else "",
            "started_on": step.started_on,
            "method": step.method,
            "reference": step.reference,
            "recipient": step.recipient,
            "notes": step.notes,
            "outcome": step.outcome,
            "answered_on": step.answered_on,
            "answer_notes": step.answer_notes,
            "due_on": step.due_on,
        }
        for step in case.steps.select_related("rung", "channel")
    ]
    data["timeline"] = [
        {"time": event.created_at, "kind": event.kind, "details": event.data}
        for event in case.events.all()
        if event.kind != Event.Kind.OPENED_BY_VOLUNTEER
    ]
    data["evidence"] = [
        {
            "exhibit": item.exhibit_number,
            "title": item.title,
            "proves": item.proves,
            "source": item.source,
            "original_name": item.original_name,
            "sha256": item.sha256,
            "uploaded_at": item.uploaded_at,
            "text": item.text,
            "file": evidence_name(case, item),
        }
        for item in case.evidence.all()
    ]
    data["documents"] = [
        {
            "kind": document.kind,
            "language": document.language,
            "version": document.version,
            "issued_at": document.issued_at,
            "sha256": document.sha256,
            "file": document_name(case, document),
        }
        for document in case.documents.select_related("channel")
    ]
    data["messages_from_volunteers"] = [
        {"time": comment.created_at, "text": comment.body}
        for comment in case.comments.filter(visibility=Comment.Visibility.MERCHANT)
    ]
    return data


def evidence_name(case, item):
    return f"cases/{case.pk}/evidence/{item.exhibit_number:03d}-{item.download_name}"


def document_name(case, document):
    return f"cases/{case.pk}/documents/{document.filename}"


def export_user_data(user, out):
    """Write everything the app holds about ``user`` into ``out`` (a binary file) as a zip.

    The zip holds data.json and every file of their cases. Files are copied in small
    chunks straight into the zip, so memory stays small whatever the evidence weighs;
    only data.json (the rows, no files) is built in memory.
    """
    profile = getattr(user, "profile", None)
    cases = list(Case.objects.filter(owner=user).select_related("rung", "provider"))
    data = {
        "exported_at": chinatime.now(),
        "account": {"username": user.get_username(), "email": user.email, "joined": user.date_joined},
        "profile": model_to_dict(profile, exclude={"id", "user", "calendar_token"}) if profile else {},
        "cases": [_case_data(case) for case in cases],
        "notifications": [
            {"time": notice.created_at, "kind": notice.kind, "details": notice.data, "read_at": notice.read_at}
            for notice in Notification.objects.filter(user=user)
        ],
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for case in cases:
            for item in case.evidence.all():
                _copy_file(archive, item.file.name, evidence_name(case, item))
            for document in case.documents.select_related("channel"):
                _copy_file(archive, document.pdf.name, document_name(case, document))
    return out


def _copy_file(archive, stored_name, archive_name):
    """Copy one stored file into the zip in chunks (never whole in memory)."""
    try:
        with default_storage.open(stored_name, "rb") as handle, archive.open(archive_name, "w") as target:
            shutil.copyfileobj(handle, target, COPY_CHUNK)
    except FileNotFoundError:
        logger.warning("file missing from storage while exporting a case")


def delete_account(user):
    """Delete the user, their profile, cases, timeline, notifications and every stored file."""
    with transaction.atomic():
        names = stored_files(Case.objects.filter(owner=user).prefetch_related("evidence", "documents"))
        user.delete()
        delete_files_after_commit(names)
    return len(names)
