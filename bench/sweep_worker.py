"""One sweep worker for bench/sweep.py: what the Celery task ``reminders.sweep_deadlines`` runs, in a process.

It sets Django up, says "ready", waits for "go" on its standard input (so that several start
together), sweeps until nothing is due, and prints {"sent": n, "seconds": s} as JSON.
"""

import json
import sys
import time

import django


def main():
    django.setup()
    from django.db import connection

    from reminders import sweep

    connection.ensure_connection()
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    result = sweep.sweep_all(budget_seconds=3600)
    print(json.dumps({"sent": result.sent, "seconds": time.perf_counter() - started}), flush=True)


if __name__ == "__main__":
    main()
