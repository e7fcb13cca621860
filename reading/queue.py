"""Putting a reading on the broker without ever holding up or failing the request that asked.

When the broker cannot be reached the exhibit simply stays PENDING: the reading sweep
(``reading.sweep_pending``, on its beat entry) asks again once READING_RETRY_MINUTES have passed.
"""

import logging
import uuid

logger = logging.getLogger(__name__)


def publish(evidence_id: str) -> None:
    """Send ``reading.read_evidence`` once, without retrying: a broker that is down fails at once."""
    from reading.tasks import read_evidence

    read_evidence.apply_async(args=[evidence_id], retry=False)


def send(evidence_id: uuid.UUID | str) -> bool:
    """Queue one exhibit's reading; False (and a warning) when the broker cannot take it now."""
    try:
        publish(str(evidence_id))
    except Exception:  # noqa: BLE001 - kombu and redis raise many kinds; the sweep asks again
        logger.warning("Could not queue the reading of evidence %s; the sweep will try again", evidence_id)
        return False
    return True
