"""Celery tasks, one per job: each a thin wrapper around a plain function that also runs as a command.

Beat starts the periodic ones on their own schedule (CELERY_BEAT_SCHEDULE), so a slow purge
never holds up the reminders and a failing one never stops the others. Each task goes to the
queue of its kind of work (CELERY_TASK_ROUTES): the sweep to ``sweep``, the emails and text
messages to ``messages``, the purge to the default queue.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings

from lib.ratelimit import RateLimit
from reminders import delivery, retention, sweep

logger = logging.getLogger(__name__)


@shared_task(name="reminders.sweep_deadlines")
def sweep_deadlines(helper=False):
    """Send the reminders that are due (beat runs this every SWEEP_INTERVAL_SECONDS).

    When a whole batch is due (the 09:00 wave), ``SWEEP_WORKERS`` - 1 more sweeps are
    queued to take the following batches beside this one, each on a sweep worker that is
    free; they are helpers and ask for no more.
    """

    def call_helpers():
        for _ in range(settings.SWEEP_WORKERS - 1):
            try:
                sweep_deadlines.apply_async(kwargs={"helper": True}, expires=settings.SWEEP_INTERVAL_SECONDS)
            except Exception:  # noqa: BLE001 - kombu and redis raise many kinds; this sweep goes on alone
                logger.warning("Could not queue a helper sweep; this sweep goes on alone")
                return

    return sweep.sweep_all(on_full=None if helper else call_helpers).as_dict()


@shared_task(name="reminders.send_messages")
def send_messages(channel, ids, claimed):
    """Send one chunk of reminder emails or text messages claimed by a sweep (reminders/delivery.py)."""
    limit = RateLimit(f"reminders-{channel}", delivery.rate(channel), redis_url=settings.REDIS_URL)
    return delivery.deliver(channel, ids, datetime.datetime.fromisoformat(claimed), limit)


@shared_task(name="reminders.purge_closed_cases")
def purge_closed_cases():
    """Tell owners, then delete closed cases past CLOSED_CASE_RETENTION_DAYS."""
    told, purged = retention.purge_closed_cases()
    return {"told": told, "purged": purged}
