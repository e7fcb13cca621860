"""`make bench`: the app measured against the fastest thing the same stack can do, in the same run.

    python -m bench.run [--quick] [--only pages,profile,letters,queue,sweep,memory,ocr,packet]

It builds a database of its own (PostgreSQL when DATABASE_URL points to one,
SQLite otherwise; see bench/common.py), runs the app under gunicorn with 2
workers on loopback, and prints one table. `--quick` uses small sizes and short
durations: `make test` runs it so the benchmarks never rot. Timings are figures,
not tests: the run fails only when something breaks, never on a target.
"""

import argparse
import os
import sys
import time

SECTIONS = ["pages", "profile", "letters", "queue", "sweep", "memory", "ocr", "packet"]


def redis_for_the_run():
    from config import devstack

    from .common import VAR

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    if devstack.redis_answers(url):
        return url, None
    port = devstack.free_port()
    server = devstack.start_redis(port, VAR / "redis")
    return f"redis://127.0.0.1:{port}/0", server


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmarks of the dispute ladder.")
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs (make test)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    options = parser.parse_args(argv)
    sections = [name for name in options.only.split(",") if name]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    from .common import bench_database_url, clean_var, environment, fresh_database, machine, manage, print_table

    started = time.monotonic()
    clean_var()
    database_url = bench_database_url()
    fresh_database(database_url)
    redis_url, redis_server = redis_for_the_run()
    env = environment(database_url, redis_url)
    os.environ.update(env)
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "compilemessages", "--ignore", ".venv", "-v0")

        import django

        django.setup()
        from django.db import connection

        import config.celery  # noqa: F401 - the Celery app, for the memory section's tasks
        from escalation.content import load_ladder

        load_ladder()
        rows = []
        for name in sections:
            section_started = time.monotonic()
            module = __import__(f"bench.{name}", fromlist=["run"])
            rows += module.run(env, options.quick)
            print(f"  {name}: {time.monotonic() - section_started:.0f} s", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
            database = f"{connection.vendor} {cursor.fetchone()[0]}"
        import django as dj
        import weasyprint

        print()
        print(f"Machine: {machine()}")
        print(
            f"Stack: Django {dj.get_version()}, {database}, gunicorn 2 sync workers on 127.0.0.1, "
            f"WeasyPrint {weasyprint.__version__}{', quick run (small sizes)' if options.quick else ''}"
        )
        print()
        print_table(rows)
        print(f"\n{time.monotonic() - started:.0f} s in all", file=sys.stderr)
    finally:
        if redis_server is not None:
            redis_server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
