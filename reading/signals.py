"""A new picture or PDF is queued for reading once the transaction that stored it commits."""

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from cases.models import Evidence
from cases.signals import evidence_to_read
from reading import queue


@receiver(evidence_to_read, dispatch_uid="reading.queue_reading")
def queue_reading(sender: type[Evidence], evidence: Evidence, **kwargs: Any) -> None:
    """Queue the exhibit's reading after commit: never inside the request's work, never blocking it."""
    pk = evidence.pk
    transaction.on_commit(lambda: queue.send(pk), robust=True)
