"""Pages under gunicorn: wizard step GET and POST, and the case page, against their same-stack floor.

The floor (bench/views.py, ``floor_form``) does what the page cannot avoid: it authenticates the
session, loads the case by its owner in one query and renders the same form, or validates it,
saves one row and redirects. The bare form (no session, no database) is shown for information.
Scenarios are measured in interleaved rounds, so a change in the machine's load during the run
weighs on a page and its floor alike.
"""

import datetime as dt
import gzip
import itertools
import re
import uuid
from urllib.parse import urlencode, urljoin

from django.test import Client

from cases.models import china_today

from . import data
from .common import Load, Row, Server, Statements, cpu_seconds, hammer, request

STEP = "customer_service"


class Visitor:
    """Cookies and the requests one kind of visitor makes."""

    def __init__(self, port, session=None):
        self.port = port
        self.csrf = data.csrf_secret()
        self.cookie = f"csrftoken={self.csrf}" + (f"; sessionid={session}" if session else "")

    def get(self, path, expect=200):
        status, _headers, body = request(self.port, "GET", path, {"Cookie": self.cookie})
        return None if status == expect else f"GET {status}"

    def post(self, path, fields, expect=302):
        body = urlencode({"csrfmiddlewaretoken": self.csrf, **fields})
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        status, _headers, content = request(self.port, "POST", path, headers, body)
        if status == expect:
            return None
        errors = re.findall(rb'<ul class="errorlist"[^>]*>(.*?)</ul>', content, re.S)
        return f"POST {status} {errors[:1]}"


def contact_fields():
    """A customer-service contact as the step's form posts it, with a fresh one-time token."""
    return {
        f"{STEP}-token": str(uuid.uuid4()),
        f"{STEP}-started_on": (china_today() - dt.timedelta(days=1)).isoformat(),
        f"{STEP}-method": "phone",
        f"{STEP}-reference": "T-1",
        f"{STEP}-notes": "",
        f"{STEP}-outcome": "pending",
    }


def prepare(merchants):
    """Merchants at the customer-service step, merchants with a full case, and a volunteer with a queue."""
    step_cases = []
    for number in range(merchants):
        owner = data.user(f"step-{number}@bench.example")
        step_cases.append((data.case_at_customer_service(owner), data.session_cookie(owner)))
    history_cases = []
    for number in range(min(merchants, 10)):
        owner = data.user(f"history-{number}@bench.example")
        case = data.case_with_history(owner, evidence=4)
        case.enqueue("help")
        history_cases.append((case, data.session_cookie(owner)))
    helper = data.volunteer()
    return step_cases, history_cases, helper


def queries(client, method, path, fields=None):
    """SQL statements for one request, after one warm-up request (caches filled, as on a live site)."""
    send = client.get if method == "GET" else client.post
    send(path, fields() if fields else None)
    with Statements() as captured:
        response = send(path, fields() if fields else None)
    assert response.status_code in {200, 302}, (path, response.status_code)
    return captured.count


def first_visit_bytes(port, cookie, path):
    """What a phone downloads on its first visit to ``path``: HTML, CSS, JS, images and fonts, compressed.

    Static files come as the server sends them (whitenoise serves Brotli or gzip);
    the HTML is counted gzipped, as the proxy in front of gunicorn sends it.
    """
    status, _headers, html = request(port, "GET", path, {"Cookie": cookie, "Accept-Encoding": "br, gzip"})
    assert status == 200
    total = len(gzip.compress(html, 6))
    parts = [("html", total)]
    assets = re.findall(rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"', html)
    seen = set()
    while assets:
        url = assets.pop().decode()
        if url in seen or url.startswith(("data:", "http")):
            continue
        seen.add(url)
        status, headers, body = request(port, "GET", url, {"Accept-Encoding": "br, gzip"})
        assert status == 200, url
        parts.append((url.rsplit("/", 1)[-1], len(body)))
        total += len(body)
        if url.endswith(".css"):
            plain = request(port, "GET", url)[2]
            assets += [urljoin(url, ref).encode() for ref in re.findall(r'url\(["\']?([^)"\']+)', plain.decode())]
    return total, parts


def interleaved(scenarios, duration, concurrency, rounds, server):
    """Each scenario for ``duration`` seconds in all, in ``rounds`` turns taken one after the other; {name: Load}.

    Each Load also gets ``cpu``: the CPU seconds gunicorn's workers spent on it.
    """
    for call in scenarios.values():
        hammer(call, min(duration, 1.0), concurrency)  # warm-up: imports, caches, connections
    loads = {name: Load() for name in scenarios}
    for load in loads.values():
        load.cpu = 0.0
    workers = server.workers()
    for _round in range(rounds):
        for name, call in scenarios.items():
            before = sum(cpu_seconds(pid) for pid in workers)
            part = hammer(call, duration / rounds, concurrency)
            load = loads[name]
            load.cpu += sum(cpu_seconds(pid) for pid in workers) - before
            load.requests += part.requests
            load.errors += part.errors
            load.seconds += part.seconds
            load.latencies += part.latencies
            load.error_samples += part.error_samples[: max(0, 5 - len(load.error_samples))]
    return loads


def compare(page, limit):
    """(page's cost / limit's cost by throughput, a line with both costs, by throughput and by workers' CPU).

    Throughput counts everything a request costs, the database included, but moves with the load of
    other processes on the machine; the workers' CPU time per request does not (it leaves out the
    database's own process).
    """
    ratio = limit.rps / page.rps if page.rps else float("inf")
    # Server time per request: the 2 workers' capacity shared by the requests they answered.
    page_cpu, limit_cpu = page.cpu * 1000 / max(page.requests, 1), limit.cpu * 1000 / max(limit.requests, 1)
    return ratio, (
        f"{2000 / page.rps:.1f} vs {2000 / limit.rps:.1f} ms of a worker per request; "
        f"by the workers' CPU {page_cpu / max(limit_cpu, 1e-9):.2f}×, {page_cpu:.1f} vs {limit_cpu:.1f} ms"
    )


def run(env, quick):
    duration = 2.0 if quick else 10.0
    concurrency = 4
    # Enough merchants that each case gets a realistic handful of contacts during the POST run.
    step_cases, history_cases, helper = prepare(40 if quick else 200)
    server = Server(env)
    rows = []
    try:
        merchants = [Visitor(server.port, cookie) for _case, cookie in step_cases]
        readers = [Visitor(server.port, cookie) for _case, cookie in history_cases]
        anonymous = [Visitor(server.port) for _ in range(concurrency)]
        volunteer = Visitor(server.port, data.session_cookie(helper))
        for visitor, (case, _cookie) in zip(merchants, step_cases, strict=True):
            visitor.home = f"/cases/{case.pk}/ladder/{STEP}/"
        for visitor, (case, _cookie) in zip(readers, history_cases, strict=True):
            visitor.home = f"/cases/{case.pk}/ladder/application/"
        for visitor, (case, _cookie) in zip(merchants, step_cases, strict=True):
            visitor.floor = f"/bench/floor/{case.pk}/{STEP}/"
        for visitor, (case, _cookie) in zip(readers, history_cases, strict=True):
            visitor.floor = f"/bench/floor/{case.pk}/application/"
        bare = f"/bench/bare/{STEP}/"

        # Each request goes to the next merchant (not the thread's own): the POSTs spread a handful of contacts
        # over every case, as in life, instead of piling a hundred onto four.
        turn = itertools.count()

        def merchant(_thread):
            return merchants[next(turn) % len(merchants)]

        def case_reader(_thread):
            return readers[next(turn) % len(readers)]

        scenarios = {
            "wizard GET": lambda n: (visitor := merchant(n)).get(visitor.home),
            "floor GET": lambda n: (visitor := merchant(n)).get(visitor.floor),
            "bare GET": lambda n: anonymous[n].get(bare),
            "wizard POST": lambda n: (visitor := merchant(n)).post(visitor.home, contact_fields()),
            "floor POST": lambda n: (visitor := merchant(n)).post(visitor.floor, contact_fields()),
            "bare POST": lambda n: anonymous[n].post(bare, contact_fields()),
            "case page": lambda n: (visitor := case_reader(n)).get(visitor.home),
            "case page floor": lambda n: (visitor := case_reader(n)).get(visitor.floor),
            "review queue": lambda n: volunteer.get("/review/"),
        }
        loads = interleaved(scenarios, duration, concurrency, rounds=2 if quick else 5, server=server)
        for name, load in loads.items():
            value = f"{load.rps:.0f} req/s, p50 {load.p50_ms:.1f} ms, p95 {load.p95_ms:.1f} ms"
            if load.errors:
                value += f", {load.errors} errors: {load.error_samples[:2]}"
            rows.append(Row("pages", name, value, "0 errors", load.errors == 0))
        for page, floor in [
            ("wizard GET", "floor GET"),
            ("wizard POST", "floor POST"),
            ("case page", "case page floor"),
        ]:
            ratio, cost = compare(loads[page], loads[floor])
            rows.append(Row("pages", f"{page} / same-stack floor", f"{ratio:.2f}× ({cost})", "≤ 1.5×", ratio <= 1.5))
        for method in ("GET", "POST"):
            ratio, cost = compare(loads[f"wizard {method}"], loads[f"bare {method}"])
            rows.append(Row("pages", f"wizard {method} / same form, bare (information)", f"{ratio:.2f}× ({cost})"))

        # Queries, counted in this process against the same database.
        owner_case = step_cases[0][0]
        client = Client()
        client.force_login(owner_case.owner)
        step_path = f"/cases/{owner_case.pk}/ladder/{STEP}/"
        for label, count in [
            ("wizard GET", queries(client, "GET", step_path)),
            ("wizard POST", queries(client, "POST", step_path, contact_fields)),
        ]:
            rows.append(Row("pages", f"SQL queries, {label}", str(count), "≤ 8", count <= 8))
        reader = Client()
        reader.force_login(history_cases[0][0].owner)
        count = queries(reader, "GET", f"/cases/{history_cases[0][0].pk}/ladder/application/")
        rows.append(Row("pages", "SQL queries, case page", str(count)))
        floor_path = f"/bench/floor/{owner_case.pk}/{STEP}/"
        for label, method, fields in [("floor GET", "GET", None), ("floor POST", "POST", contact_fields)]:
            rows.append(Row("pages", f"SQL queries, {label}", str(queries(client, method, floor_path, fields))))
        reviewer = Client()
        reviewer.force_login(helper)
        rows.append(Row("pages", "SQL queries, review queue", str(queries(reviewer, "GET", "/review/"))))

        size, parts = first_visit_bytes(server.port, merchants[0].cookie, merchants[0].home)
        detail = ", ".join(f"{name} {length / 1024:.1f}" for name, length in parts)
        rows.append(
            Row(
                "pages",
                "first visit of a wizard step",
                f"{size / 1024:.1f} KB ({detail})",
                "≤ 60 KB",
                size <= 60 * 1024,
            )
        )
        return rows
    finally:
        server.stop()
