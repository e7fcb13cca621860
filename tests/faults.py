"""Slow spots for fault tests, loaded only by the test stack's Celery worker.

``celery -A tests.faults worker`` runs the project's Celery app with two
optional delays, each announced by a marker file in ``FAULT_MARKS`` so a test
knows exactly where the worker is when it kills it:

* ``FAULT_SLOW_NOTIFY`` seconds inside the sweep's claim transaction, after a
  batch's reminder rows are written and before they commit (``FAULT_SWEEP_BATCH``
  sets the number of steps a batch takes);
* ``FAULT_SLOW_EMAIL`` seconds before an email is handed over (the email
  backend ``tests.faults.SlowEmailBackend``).
"""

import os
import time
import uuid
from pathlib import Path

from celery.signals import task_prerun
from django.core.mail.backends.filebased import EmailBackend

from config.celery import app  # noqa: F401 - the worker's app


def pause(kind, variable):
    seconds = float(os.environ.get(variable) or 0)
    if not seconds:
        return
    marks = Path(os.environ["FAULT_MARKS"])
    marks.mkdir(parents=True, exist_ok=True)
    (marks / f"{kind}-{time.monotonic_ns()}-{uuid.uuid4().hex}").touch()
    time.sleep(seconds)


def marks(directory, kind):
    return len(list(Path(directory).glob(f"{kind}-*"))) if Path(directory).exists() else 0


class SlowEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        pause("email", "FAULT_SLOW_EMAIL")
        return super().send_messages(email_messages)


_patched = False


@task_prerun.connect
def slow_down_the_sweep(**kwargs):
    """Django is set up once a task runs: wrap the sweep's notify step then."""
    global _patched
    if _patched:
        return
    _patched = True
    from reminders import sweep as reminders

    original = reminders.notify
    if os.environ.get("FAULT_SWEEP_BATCH"):
        reminders.BATCH = int(os.environ["FAULT_SWEEP_BATCH"])

    def notify(batch):
        original(batch)
        pause("notify", "FAULT_SLOW_NOTIFY")

    reminders.notify = notify
