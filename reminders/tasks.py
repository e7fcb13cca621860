"""Celery tasks, one per job: each a thin wrapper around a plain function that also runs as a command.

Beat starts each on its own schedule (CELERY_BEAT_SCHEDULE), so a slow purge
never holds up the reminders and a failing one never stops the others.
"""

from celery import shared_task

from reminders import retention, sweep


@shared_task(name="reminders.sweep_deadlines")
def sweep_deadlines():
    """Send the reminders that are due (beat runs this every SWEEP_INTERVAL_SECONDS)."""
    return sweep.sweep_all().as_dict()


@shared_task(name="reminders.purge_closed_cases")
def purge_closed_cases():
    """Tell owners, then delete closed cases past CLOSED_CASE_RETENTION_DAYS."""
    told, purged = retention.purge_closed_cases()
    return {"told": told, "purged": purged}
