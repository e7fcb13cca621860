"""Queues that cannot starve each other: each task on the queue of its work, each queue with workers of its own.

An OCR or PDF backlog must never delay the 09:00 reminders: the sweep, the messages, the documents
and the reading each have a queue (config/settings.py) and a worker line in the Procfile, which
`make run` starts (config/devstack.py).
"""

import datetime as dt

import pytest
from django.conf import settings

from cases.models import china_today
from config import devstack
from config.celery import app, queue_of
from escalation.models import Channel, Rung
from reminders.models import Reminder
from tests.conftest import wait_for
from tests.factories import merchant, open_case

# Every task and its queue. A new task gets a queue on purpose: route it, then add it here.
QUEUES = {
    "reminders.sweep_deadlines": "sweep",
    "reminders.send_messages": "messages",
    "reading.read_evidence": "reading",
    "reading.sweep_pending": "reading",
    "reminders.purge_closed_cases": "celery",
    "accounts.forget_old_failures": "celery",
}


def test_each_task_goes_to_the_queue_of_its_work():
    app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    tasks = {name for name in app.tasks if not name.startswith("celery.")}
    assert set(QUEUES) <= tasks
    for name in tasks:
        expected = "documents" if name.startswith("documents.") else QUEUES.get(name)
        assert expected is not None, f"{name} has no queue here: route it (CELERY_TASK_ROUTES) and add it to QUEUES"
        assert queue_of(app, name) == expected, name
    assert queue_of(app, "documents.render_packet") == "documents"  # PDF work, whatever its task is called


def worker_queues(processes):
    """{process name: [queues]} of the Procfile's Celery workers."""
    found = {}
    for name, command in processes.items():
        words = command.split()
        if words[:4] == ["celery", "-A", "config", "worker"]:
            found[name] = words[words.index("--queues") + 1].split(",")
    return found


def test_each_queue_has_a_worker_line_of_its_own():
    processes = devstack.procfile_processes()
    workers = worker_queues(processes)
    served = [queue for queues in workers.values() for queue in queues]
    assert sorted(served) == sorted(settings.CELERY_TASK_QUEUES)  # every queue served, each by one line
    # The work that cannot wait shares its workers with nothing.
    assert workers["sweep"] == ["sweep"]
    assert workers["messages"] == ["messages"]
    assert workers["reading"] == ["reading"]
    assert processes["web"].startswith("gunicorn ") and processes["beat"].startswith("celery -A config beat ")


def test_make_run_starts_every_line_of_the_procfile(monkeypatch):
    started = {}

    class Manager:
        returncode = 0

        def add_process(self, name, command, env=None, cwd=None):
            started[name] = (command, env)

        def loop(self):
            pass

    import honcho.manager

    monkeypatch.setattr(honcho.manager, "Manager", Manager)
    monkeypatch.setattr(devstack, "redis_answers", lambda url: True)
    monkeypatch.setattr(devstack, "announce_when_ready", lambda url, logins: None)
    monkeypatch.setattr(devstack.os, "environ", {**devstack.os.environ, "BIND": "127.0.0.1:8123"})  # main() updates it
    with pytest.raises(SystemExit) as stopped:
        devstack.main()
    assert stopped.value.code == 0
    assert {name: command for name, (command, _env) in started.items()} == devstack.procfile_processes()
    env = started["web"][1]
    assert env["BIND"] == "127.0.0.1:8123"
    assert env["PATH"].startswith(str(devstack.Path(devstack.sys.executable).parent))


# ----- real workers, one per queue --------------------------------------------------------------------------


def queued(name):
    with app.connection_for_write() as connection:
        return connection.default_channel.queue_declare(queue=name, passive=True).message_count


@pytest.mark.redis
def test_a_reading_backlog_does_not_delay_the_reminders(celery_app, new_stack, ladder):
    owner = merchant("owner@example.com")
    owner.email = "owner@example.com"
    owner.save()
    open_case(owner).log_step(
        rung=Rung.objects.get(position=2),
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=china_today() - dt.timedelta(days=10),
    )
    stack = new_stack(web=False, worker=False)
    with app.connection_for_write() as connection:
        for _ in range(20):  # twenty readings waiting, and no reading worker yet
            app.send_task("reading.read_evidence", args=["00000000-0000-0000-0000-000000000000"], connection=connection)
    assert queued("reading") == 20

    # The sweep worker sweeps when it is ready: the reminder is recorded, its email queued for the message workers.
    stack.start_worker(queues="sweep")
    wait_for(lambda: Reminder.objects.filter(email_claimed_at__isnull=False).exists(), timeout=60)
    wait_for(lambda: queued("messages") == 2, timeout=30)  # one email chunk, one text-message chunk
    assert stack.emails() == []  # the sweep worker sends no email itself

    stack.start_worker(queues="messages")
    wait_for(lambda: len(stack.emails()) == 1, timeout=60)
    assert Reminder.objects.get().email_sent_at is not None
    assert queued("reading") == 20  # the backlog is still there, untouched: nobody waited on it
