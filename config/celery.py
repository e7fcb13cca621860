"""The Celery app: Redis broker from REDIS_URL, settings from Django's CELERY_* names.

Each kind of work has a queue of its own (CELERY_TASK_QUEUES, CELERY_TASK_ROUTES in
config/settings.py) and workers of its own (Procfile).
"""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The periodic tasks, the deadline sweep first: reminders are the job that cannot wait.
PERIODIC = (
    "reminders.sweep_deadlines",
    "reminders.purge_closed_cases",
    "accounts.forget_old_failures",
    "reading.sweep_pending",
)


def queue_of(celery_app, task):
    """The name of the queue ``task`` is routed to."""
    return celery_app.amqp.router.route({}, task)["queue"].name


@worker_ready.connect
def sweep_when_ready(sender, **kwargs):
    """Catch up at once when a worker starts, instead of waiting for beat's first interval.

    A worker asks only for the periodic tasks of the queues it serves: the sweep worker
    for the sweep, the reading worker for the reading sweep, and so on.
    """
    served = set(sender.app.amqp.queues.consume_from)
    for task in PERIODIC:
        if queue_of(sender.app, task) in served:
            sender.app.send_task(task, expires=60)
