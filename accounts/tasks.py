"""Celery tasks of the accounts: one job, a thin wrapper (beat runs it on its own schedule)."""

from celery import shared_task

from accounts import throttle


@shared_task(name="accounts.forget_old_failures")
def forget_old_failures():
    """Delete the day-old login failures, text-message codes and reset requests the throttles no longer need."""
    throttle.forget_old_failures()
