"""The deadline sweep: its cost follows the due steps, not the open ones (100 k vs 1 M open, 10 k due)."""

import time

from django.db import connection
from django.utils import timezone

from cases.models import Step
from reminders import sweep as reminders
from reminders.models import Reminder

from . import data
from .common import Row, Statements


def drain():
    """Run sweeps until nothing is due (each handles a batch); (seconds, statements, reminders)."""
    before = Reminder.objects.count()
    started = time.perf_counter()
    with Statements() as captured:
        while True:
            result = reminders.sweep()
            if result.due == 0:
                break
    return time.perf_counter() - started, captured.count, Reminder.objects.count() - before


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
    small_run = drain()
    # Grow to the large table, with the same number newly due.
    data.bulk_steps(data.bulk_cases(owners, (large - small) // 10), large - small - due, due=0)
    data.bulk_steps(case_ids, due, due=due)
    assert Step.objects.count() >= large
    large_run = drain()
    plan, uses_index = plan_of_the_due_query()
    ratio = large_run[0] / small_run[0]
    rows = []
    for open_steps, (seconds, statements, sent) in ((small, small_run), (large, large_run)):
        rows.append(
            Row(
                "sweep",
                f"{open_steps:,} open steps, {due:,} due",
                f"{seconds:.1f} s, {statements:,} statements ({statements / max(sent, 1):.1f} each), {sent:,} sent",
                f"{due:,} sent",
                sent == due,
            )
        )
    rows.append(Row("sweep", f"time {large:,} / {small:,} open steps", f"{ratio:.2f}×", "≤ 1.2×", ratio <= 1.2))
    rows.append(Row("sweep", f"plan ({connection.vendor})", plan[:160], "uses the index", uses_index))
    return rows
