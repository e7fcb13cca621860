"""Putting a reading on the broker without ever holding up or failing the request that asked.

When the broker cannot be reached the exhibit simply stays PENDING: the reading sweep
(``reading.sweep_pending``, on its beat entry) asks again once READING_RETRY_MINUTES have passed.
"""

import logging
import uuid

logger = logging.getLogger(__name__)


# Seconds to reach the broker before giving up: the request that stored the file waits at most this long.
CONNECT_SECONDS = 1


def publish(evidence_id: str) -> None:
    """Send ``reading.read_evidence`` once, on a connection of its own that does not retry.

    Celery's own producer would try to connect again for several seconds (kombu's connect timeout,
    then redis-py's retries): a broker that is down must fail at once instead.
    """
    from reading.tasks import read_evidence

    app = read_evidence.app
    options = {**(app.conf.broker_transport_options or {}), "max_retries": 0, "socket_connect_timeout": CONNECT_SECONDS}
    with app.connection_for_write(connect_timeout=CONNECT_SECONDS, transport_options=options) as connection:
        read_evidence.apply_async(args=[evidence_id], retry=False, connection=connection)


def send(evidence_id: uuid.UUID | str) -> bool:
    """Queue one exhibit's reading; False (and a warning) when the broker cannot take it now."""
    try:
        publish(str(evidence_id))
    except Exception:  # noqa: BLE001 - kombu and redis raise many kinds; the sweep asks again
        logger.warning("Could not queue the reading of evidence %s; the sweep will try again", evidence_id)
        return False
    return True
