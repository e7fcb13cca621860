"""Celery tasks: a few lines each; the work lives in plain functions that also run as commands."""

from celery import shared_task

from . import reminders


@shared_task(name="disputes.sweep_deadlines")
def sweep_deadlines():
    """Send the reminders that are due (beat runs this every SWEEP_INTERVAL_SECONDS)."""
    return reminders.sweep_all().as_dict()
