"""The volunteers' review queue with 10, 10 k and 100 k queued cases: constant queries, time ratio."""

import statistics
import time

from django.test import Client

from cases.models import Case

from . import data
from .common import Row, Statements


def measure(client, times):
    client.get("/review/")
    with Statements() as captured:
        response = client.get("/review/")
    assert response.status_code == 200
    statements = captured.count  # now: the next request empties Django's query log
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        client.get("/review/")
        samples.append(time.perf_counter() - started)
    return statements, statistics.median(samples)


def run(env, quick):
    sizes = [10, 1_000, 5_000] if quick else [10, 10_000, 100_000]
    helper = data.volunteer("queue@bench.example")
    client = Client()
    client.force_login(helper)
    owners = data.bulk_owners(50 if quick else 1000)
    results = []
    for size in sizes:
        missing = size - Case.objects.filter(queued_at__isnull=False, status=Case.Status.OPEN).count()
        case_ids = data.bulk_cases(owners, missing, queued=True)
        data.bulk_steps(case_ids, len(case_ids), due=0)
        results.append((size, *measure(client, 5 if quick else 20)))
    rows = []
    for size, count, seconds in results:
        rows.append(Row("queue", f"{size:,} queued cases", f"{count} queries, {seconds * 1000:.1f} ms"))
    counts = {count for _size, count, _seconds in results}
    growth = " → ".join(str(count) for _size, count, _seconds in results)
    rows.append(Row("queue", "queries as the queue grows", growth, "constant", len(counts) == 1))
    # The first page shows 50 cases: from one full page to the next size, time should not follow the queue.
    ratio = results[-1][2] / results[-2][2]
    rows.append(Row("queue", f"time {sizes[-1]:,} / {sizes[-2]:,} cases", f"{ratio:.2f}×", "≤ 1.5×", ratio <= 1.5))
    return rows
