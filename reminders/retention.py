"""Closed cases are kept CLOSED_CASE_RETENTION_DAYS: their owners are told, then the cases and files go."""

import datetime
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from cases.models import Case
from lib import chinatime, emails
from reminders.models import Notification

logger = logging.getLogger(__name__)


def stored_files(cases):
    """The names of every stored file (evidence and PDFs) of these cases."""
    names = []
    for case in cases:
        names += [item.file.name for item in case.evidence.all()]
        names += [document.pdf.name for document in case.documents.all()]
    return names


def delete_files_after_commit(names):
    def delete():
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


def send_purge_notice(case, day):
    owner = case.owner
    if not owner.email:
        return
    profile = getattr(owner, "profile", None)
    context = {
        "case": case,
        "day": day,
        "name": profile.full_name if profile else owner.get_full_name(),
        "export_url": emails.absolute("/accounts/export/"),
        "case_url": emails.absolute(f"/cases/{case.pk}/"),
    }
    try:
        emails.send("purge_notice", owner.email, context, profile.language if profile else "zh-hans")
    except Exception:  # noqa: BLE001 - the in-app notice stands; the log line has no personal data
        logger.exception("purge notice email failed")


def purge_closed_cases(now=None, dry_run=False):
    """Tell owners before, then delete cases closed longer than the retention period; return (told, purged)."""
    days = settings.CLOSED_CASE_RETENTION_DAYS
    if days <= 0:
        return 0, 0
    now = now or chinatime.now()
    retention = datetime.timedelta(days=days)
    notice = datetime.timedelta(days=settings.PURGE_NOTICE_DAYS)
    closed = Case.objects.exclude(status=Case.Status.OPEN).filter(closed_at__isnull=False)
    to_tell = closed.filter(closed_at__lte=now - retention + notice, purge_notice_sent_at__isnull=True)
    to_purge = closed.filter(closed_at__lte=now - retention, purge_notice_sent_at__lte=now - notice)
    if dry_run:
        return to_tell.count(), to_purge.count()
    told = 0
    for case in to_tell.select_related("owner"):
        with transaction.atomic():
            if Case.objects.filter(pk=case.pk, purge_notice_sent_at__isnull=True).update(purge_notice_sent_at=now):
                purge_day = chinatime.date_of(max(case.closed_at + retention, now + notice))  # a date in China
                Notification.objects.create(
                    user=case.owner, case=case, kind=Notification.Kind.PURGE_NOTICE, data={"on": purge_day.isoformat()}
                )
                told += 1
                transaction.on_commit(lambda case=case, day=purge_day: send_purge_notice(case, day))
    purged = 0
    for case in to_purge.prefetch_related("evidence", "documents"):
        with transaction.atomic():
            names = stored_files([case])
            case.delete()
            delete_files_after_commit(names)
            purged += 1
    if purged:
        logger.info("purged %s closed cases past the retention period", purged)
    return told, purged
