"""The reading sweep: exhibits left PENDING (the broker was down, a worker died) are queued again.

Beat runs it (``reading.sweep_pending``) every SWEEP_INTERVAL_SECONDS. An exhibit asked for more than
READING_RETRY_MINUTES ago is queued again, claimed with an UPDATE filtered on the time it was last asked
for, so two sweeps never queue it twice; after READING_MAX_ATTEMPTS started readings it is FAILED.
"""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import Q

from cases.models import Evidence
from lib import chinatime
from reading import queue

# Exhibits looked at per sweep: a backlog (say, every picture stored before reading existed) drains in batches.
BATCH = 100


@dataclass
class SweepResult:
    queued: int = 0
    not_sent: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def stuck(moment: datetime.datetime) -> "list[Evidence]":
    """The PENDING exhibits last asked for before READING_RETRY_MINUTES ago (or never), oldest first."""
    before = moment - datetime.timedelta(minutes=settings.READING_RETRY_MINUTES)
    return list(
        Evidence.objects.filter(reading=Evidence.Reading.PENDING)
        .filter(Q(reading_queued_at__lt=before) | Q(reading_queued_at__isnull=True))
        .select_related("case")
        .order_by("uploaded_at")[:BATCH]
    )


def requeue_stuck(dry_run: bool = False) -> SweepResult:
    """Queue the stuck exhibits again; FAILED for those whose readings kept dying."""
    result = SweepResult()
    for evidence in stuck(chinatime.now()):
        if evidence.reading_attempts >= settings.READING_MAX_ATTEMPTS:
            if dry_run or evidence.mark_failed(Evidence.ReadingError.ERROR):
                result.failed += 1
        elif dry_run:
            result.queued += 1
        elif evidence.queue_again(evidence.reading_queued_at):
            if queue.send(evidence.pk):
                result.queued += 1
            else:
                result.not_sent += 1
    return result
