"""The deadline sweep: 10 k due among 100 k and 1 M open steps; one and two sweep workers; the messages.

In this process, the sweep's statements are counted and its chunks of messages kept aside (a
sample is then delivered here, to time the message workers' side). Then the same wave, due again,
is swept by one and by two worker processes (bench/sweep_worker.py, each running what the Celery
task runs), the chunks going to Redis as in production; the queue is emptied afterwards.
"""

import json
import subprocess
import sys
import time

from django.db import connection
from django.utils import timezone

from cases.models import Step
from reminders import delivery
from reminders import sweep as reminders
from reminders.models import Reminder

from . import data
from .common import ROOT, Row, Statements


class Chunks:
    """``delivery.publish`` replaced: the chunks are kept here instead of queued."""

    def __init__(self):
        self.kept = []

    def __enter__(self):
        self.original = delivery.publish
        delivery.publish = lambda channel, ids, claimed, broker: self.kept.append((channel, list(ids), claimed))
        return self

    def __exit__(self, *exc):
        delivery.publish = self.original


def drain(chunks):
    """Run sweeps in this process until nothing is due; (seconds, statements, reminders)."""
    before = Reminder.objects.count()
    started = time.perf_counter()
    with Statements() as captured:
        while True:
            result = reminders.sweep()
            if result.due == 0:
                break
    return time.perf_counter() - started, captured.count, Reminder.objects.count() - before


def deliver_sample(chunks, messages):
    """Deliver about ``messages`` kept messages here (half emails, half texts), as a message worker would.

    Returns (messages a second, statements per message, sent, handed over).
    """
    sample = []
    for channel in ("email", "sms"):
        taken = 0
        for kept in chunks:
            if kept[0] == channel and taken < messages // 2:
                sample.append(kept)
                taken += len(kept[1])
    handed = sum(len(ids) for _channel, ids, _claimed in sample)
    started = time.perf_counter()
    with Statements() as captured:
        sent = sum(delivery.deliver(channel, ids, claimed) for channel, ids, claimed in sample)
    seconds = time.perf_counter() - started
    return handed / seconds, captured.count / max(handed, 1), sent, handed


def workers(env, count):
    """Sweep what is due with ``count`` worker processes started together; (seconds, reminders sent)."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.sweep_worker"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = [json.loads(process.stdout.readline()) for process in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.wait(60)
    return seconds, sum(result["sent"] for result in results), [result["sent"] for result in results]


def empty_the_message_queue():
    from config.celery import app

    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge("messages")


def plan_of_the_due_query():
    """The database's plan for the sweep's due-steps query, and whether it walks the index."""
    plan = reminders.due_steps(timezone.now()).values_list("pk", "next_reminder_at")[: reminders.BATCH].explain()
    uses_index = "next_reminder_at" in plan and ("Index" in plan or "USING INDEX" in plan)
    return plan.replace("\n", " | "), uses_index


def run(env, quick):
    small, large, due = (2_000, 20_000, 200) if quick else (100_000, 1_000_000, 10_000)
    owners = data.bulk_owners(100 if quick else 2000)
    case_ids = data.bulk_cases(owners, small // 10)
    data.bulk_steps(case_ids, small, due=due)
    with Chunks() as chunks:
        small_run = drain(chunks)
    # Grow to the large table, with the same number newly due.
    data.bulk_steps(data.bulk_cases(owners, (large - small) // 10), large - small - due, due=0)
    data.bulk_steps(case_ids, due, due=due)
    assert Step.objects.count() >= large
    with Chunks() as ignored:
        large_run = drain(ignored)
    per_second, statements_each, delivered, handed = deliver_sample(chunks.kept, 200 if quick else 2000)
    plan, uses_index = plan_of_the_due_query()

    # The same wave, due again, swept by worker processes.
    by_workers = {}
    try:
        for count in (1, 2):
            data.bulk_steps(case_ids, due, due=due)
            by_workers[count] = workers(env, count)
    finally:
        empty_the_message_queue()

    ratio = large_run[0] / small_run[0]
    postgres = connection.vendor == "postgresql"
    rows = []
    for open_steps, (seconds, statements, sent) in ((small, small_run), (large, large_run)):
        each = statements / max(sent, 1)
        rows.append(
            Row(
                "sweep",
                f"in process, {open_steps:,} open steps, {due:,} due",
                f"{seconds:.1f} s ({sent / seconds:,.0f}/s), {statements:,} statements ({each:.3f} each), "
                f"{sent:,} sent",
                f"{due:,} sent, ≤ 1 statement each",
                sent == due and each <= 1,
            )
        )
    rows.append(Row("sweep", f"time {large:,} / {small:,} open steps", f"{ratio:.2f}×", "≤ 1.2×", ratio <= 1.2))
    one_seconds, one_sent, _split = by_workers[1]
    one_rate = one_sent / one_seconds
    rows.append(
        Row(
            "sweep",
            f"1 worker, {large:,} open steps, {due:,} due",
            f"{one_seconds:.1f} s, {one_rate:,.0f} reminders/s, {one_sent:,} sent",
            "≥ 1,000/s on PostgreSQL" if postgres else f"{due:,} sent",
            one_sent == due and (one_rate >= 1000 or not postgres or quick),
        )
    )
    two_seconds, two_sent, split = by_workers[2]
    rows.append(
        Row(
            "sweep",
            f"2 workers, {large:,} open steps, {due:,} due",
            f"{two_seconds:.1f} s, {two_sent / two_seconds:,.0f} reminders/s ({one_seconds / two_seconds:.2f}× one), "
            f"{' + '.join(f'{n:,}' for n in split)} sent",
            f"{due:,} sent once",
            two_sent == due,
        )
    )
    rows.append(
        Row(
            "sweep",
            "messages delivered by one worker process",
            f"{per_second:,.0f}/s, {statements_each:.2f} statements each ({delivered:,} of {handed:,} sent, "
            "the rest skipped: no address or opted out)",
        )
    )
    rows.append(Row("sweep", f"plan ({connection.vendor})", plan[:160], "uses the index", uses_index))
    return rows
