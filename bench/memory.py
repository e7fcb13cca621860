"""Memory: peak RSS of a web worker after many requests, and of the Celery worker after a large sweep."""

import itertools
import subprocess
import time
import uuid

from django.utils import timezone

from cases.models import Step
from reminders.models import SweepRun
from reminders.tasks import sweep_deadlines

from . import data
from .common import BIN, ROOT, VAR, Row, Server, hammer, peak_rss_mib
from .pages import STEP, Visitor, contact_fields


def web(env, requests, merchants=100):
    """Merchants read and post their customer-service step in turn, a few contacts per case as in life."""
    stamp = uuid.uuid4().hex[:8]
    owners = [data.user(f"memory-{stamp}-{n}@bench.example") for n in range(merchants)]
    pages = [f"/cases/{data.case_at_customer_service(owner).pk}/ladder/{STEP}/" for owner in owners]
    visitors = [Visitor(None, data.session_cookie(owner)) for owner in owners]
    turn = itertools.count()
    server = Server(env)
    try:
        for visitor in visitors:
            visitor.port = server.port
        served = 0
        while served < requests:

            def call(_thread):
                number = next(turn)
                visitor, page = visitors[number % merchants], pages[number % merchants]
                return visitor.post(page, contact_fields()) if number // merchants % 3 == 2 else visitor.get(page)

            load = hammer(call, 2.0, 4)
            served += load.requests
        return served, max(peak_rss_mib(pid) for pid in server.workers())
    finally:
        server.stop()


def celery(env, due):
    owners = data.bulk_owners(50)
    data.bulk_steps(data.bulk_cases(owners, max(due // 10, 1)), due, due=due)
    log = (VAR / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(BIN / "celery"), "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 1800
        while Step.objects.filter(next_reminder_at__lte=timezone.now()).exists():
            runs = SweepRun.objects.count()
            sweep_deadlines.delay()  # one sweep at a time, as beat would send them
            while SweepRun.objects.count() == runs:
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the Celery worker stopped or took too long; see {log.name}")
                time.sleep(0.2)
        return peak_rss_mib(worker.pid)
    finally:
        worker.terminate()
        worker.wait(30)
        log.close()


def run(env, quick):
    requests, due = (300, 300) if quick else (10_000, 10_000)
    served, web_mib = web(env, requests)
    worker_mib = celery(env, due)
    return [
        Row("memory", f"web worker after {served:,} requests", f"{web_mib:.0f} MiB peak RSS"),
        Row("memory", f"Celery worker after sweeping {due:,} reminders", f"{worker_mib:.0f} MiB peak RSS"),
    ]
