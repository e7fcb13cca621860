"""The Celery app: Redis broker from REDIS_URL, settings from Django's CELERY_* names."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def sweep_when_ready(sender, **kwargs):
    """Catch up at once when a worker starts, instead of waiting for beat's first interval.

    The deadline sweep goes first: reminders are the job that cannot wait.
    """
    for task in (
        "reminders.sweep_deadlines",
        "reminders.purge_closed_cases",
        "accounts.forget_old_failures",
        "reading.sweep_pending",
    ):
        sender.app.send_task(task, expires=60)
