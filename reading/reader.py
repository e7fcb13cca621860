"""Reading one exhibit: what the task ``reading.read_evidence`` and ``manage.py read_evidence`` run."""

import logging
import uuid

from botocore.exceptions import BotoCoreError
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError

from cases.models import Evidence
from reading import ocr
from reading.models import OfferedFact

logger = logging.getLogger(__name__)

# Errors worth another try later: storage or the database out of reach for a moment. A file that cannot
# be decoded is not among them (ocr.ReadingFailed): reading it again would fail the same way.
TRANSIENT = (OSError, DatabaseError, BotoCoreError)
# The text kept of one exhibit, at most (a 20-page PDF of dense text is about 30 000 characters).
MAX_TEXT_CHARS = 100_000


class Outcome:
    READ = "read"
    FAILED = "failed"
    SKIPPED = "skipped"  # not PENDING: read already, removed, or never readable


def read_evidence(evidence_id: uuid.UUID | str) -> str:
    """Read a PENDING exhibit's words and keep them (DONE), or say why it cannot be read (FAILED).

    Storage and database errors propagate, for the task to try again later; the exhibit stays PENDING.
    """
    evidence = Evidence.claim_reading(evidence_id)
    if evidence is None:
        return Outcome.SKIPPED
    try:
        with evidence.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        evidence.mark_failed(Evidence.ReadingError.MISSING)
        return Outcome.FAILED
    try:
        result = ocr.read(data, evidence.content_type)
    except ocr.ReadingFailed as failure:
        evidence.mark_failed(failure.reason)
        return Outcome.FAILED
    except SoftTimeLimitExceeded:
        evidence.mark_failed(Evidence.ReadingError.TOO_SLOW)
        return Outcome.FAILED
    finally:
        del data
    text = result.text[:MAX_TEXT_CHARS]
    if evidence.mark_read(text, result.note, pages=result.page_count if evidence.is_pdf else None):
        try:
            OfferedFact.offer_from(evidence)
        except Exception:  # noqa: BLE001 - the words are kept whatever the finding of facts does; the log has no text
            logger.exception("Finding facts in evidence %s failed", evidence.pk)
    logger.info(
        "Read evidence %s: %d lines, %d characters%s",
        evidence.pk,
        len(result.lines),
        len(text),
        f" ({result.note})" if result.note else "",
    )
    return Outcome.READ


def give_up(evidence_id: uuid.UUID | str) -> None:
    """The task failed for good (its tries used up, or an unexpected error): FAILED, so the page says so."""
    evidence = Evidence.objects.select_related("case").filter(pk=evidence_id).first()
    if evidence is not None:
        evidence.mark_failed(Evidence.ReadingError.ERROR)


def time_limits() -> tuple[int, int]:
    """The task's soft and hard time limits: the reading's budget, then room to record the outcome."""
    budget = settings.READING_TIME_BUDGET_SECONDS
    return budget + 60, budget + 90
