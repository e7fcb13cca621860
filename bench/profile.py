"""Where a request's time goes: the profile behind the page and letter ratios.

Requests run in this process through Django's whole handler (middleware, session,
authentication, view, templates) against the benchmark database. Time is split,
exclusively, between SQL (the database driver's execute and commit), the ORM
around it (building queries, making model instances), session loading and saving,
form validation, page templates, form and widget templates, and the rest
(middleware, URL routing, the view and formtools, the response). Each template counts only
its own time, not the templates it includes; the five costliest are named.
"""

import statistics
import time
from collections import defaultdict

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models.query import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.forms import BaseForm
from django.template import base as template_base
from django.test import Client

from documents import letters

from . import data
from .common import Row
from .pages import STEP, contact_fields


class Breakdown:
    """Exclusive time per category while instrumented code runs (nested frames subtract from their parent)."""

    def __init__(self):
        self.spent = defaultdict(float)
        self.templates = defaultdict(float)
        self.statements = 0
        self.requests = 0
        self.total = 0.0
        self._frames = []

    def timed(self, category, call, name=None):
        self._frames.append(0.0)
        started = time.perf_counter()
        try:
            return call()
        finally:
            elapsed = time.perf_counter() - started
            children = self._frames.pop()
            if self._frames:
                self._frames[-1] += elapsed
            self.spent[category] += elapsed - children
            if name:
                self.templates[name] += elapsed - children

    def sql(self, execute, sql, params, many, context):
        self.statements += 1
        return self.timed("SQL", lambda: execute(sql, params, many, context))

    def per_request(self, seconds):
        return seconds * 1000 / max(self.requests, 1)

    def summary(self):
        known = sum(self.spent.values())
        parts = [f"SQL {self.per_request(self.spent['SQL']):.1f} ({self.statements / self.requests:.0f} statements)"]
        for category in ("ORM", "session", "form validation", "page templates", "form templates"):
            parts.append(f"{category} {self.per_request(self.spent[category]):.1f}")
        parts.append(f"the rest {self.per_request(self.total - known):.1f}")
        costly = sorted(self.templates.items(), key=lambda item: -item[1])[:5]
        named = ", ".join(f"{name.rsplit('/', 1)[-1]} {self.per_request(spent):.1f}" for name, spent in costly)
        text = f"{self.per_request(self.total):.1f} ms: " + ", ".join(parts)
        return text + (f"; templates: {named}" if named else "")


class Instrumented:
    """Patch the template engine, the session store, the ORM and forms, and the connection, to feed a Breakdown."""

    # (class, method, category); page and form templates are told apart by the template's name.
    TIMED = [
        (template_base.Template, "render", None),
        (SessionStore, "load", "session"),
        (SessionStore, "save", "session"),
        (QuerySet, "_fetch_all", "ORM"),
        (SQLCompiler, "execute_sql", "ORM"),
        (BaseForm, "full_clean", "form validation"),
    ]

    def __init__(self, breakdown):
        self.breakdown = breakdown

    def timed_method(self, original, category):
        breakdown = self.breakdown

        def timed(instance, *args, **kwargs):
            name = None
            if category is None:
                name = getattr(instance.origin, "template_name", None) or "<string>"
            kind = category or ("form templates" if "forms/" in name or "widgets/" in name else "page templates")
            return breakdown.timed(kind, lambda: original(instance, *args, **kwargs), name)

        return timed

    def __enter__(self):
        self.originals = [(owner, method, getattr(owner, method)) for owner, method, _category in self.TIMED]
        for (owner, method, original), (_owner, _method, category) in zip(self.originals, self.TIMED, strict=True):
            setattr(owner, method, self.timed_method(original, category))
        self.wrapper = connection.execute_wrapper(self.breakdown.sql)
        self.wrapper.__enter__()
        return self.breakdown

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)
        for owner, method, original in self.originals:
            setattr(owner, method, original)


def profile(call, times):
    """Warm up, then run ``call(n)`` ``times`` times instrumented; the Breakdown and the median plain time.

    The warm-up visits every client once: a test client loads the middleware (and
    whitenoise its file list) on its first request.
    """
    for number in range(20):
        call(number)
    plain = []
    for number in range(times):
        started = time.perf_counter()
        call(number)
        plain.append(time.perf_counter() - started)
    breakdown = Breakdown()
    with Instrumented(breakdown):
        for number in range(times):
            started = time.perf_counter()
            call(number)
            breakdown.total += time.perf_counter() - started
            breakdown.requests += 1
    return breakdown, statistics.median(plain) * 1000


def client_for(account):
    client = Client()
    client.cookies["sessionid"] = data.session_cookie(account)
    return client


def run(env, quick):
    times = 40 if quick else 300
    merchants = []
    for number in range(10):
        owner = data.user(f"profile-{number}@bench.example")
        merchants.append((data.case_at_customer_service(owner), client_for(owner)))
    anonymous = Client()
    bare = f"/bench/bare/{STEP}/"
    owner = data.user("profile-letter@bench.example")
    case = data.case_with_history(owner, evidence=14)
    document = letters.issue(case, letters.find_letter(case, "refund_application"), "zh-hans", owner)
    reader = client_for(owner)

    def wizard_get(number):
        case, client = merchants[number % len(merchants)]
        assert client.get(f"/cases/{case.pk}/ladder/{STEP}/").status_code == 200

    def wizard_post(number):
        case, client = merchants[number % len(merchants)]
        response = client.post(f"/cases/{case.pk}/ladder/{STEP}/", contact_fields())
        assert response.status_code == 302, response.status_code

    def floor_get(number):
        case, client = merchants[number % len(merchants)]
        assert client.get(f"/bench/floor/{case.pk}/{STEP}/").status_code == 200

    def floor_post(number):
        case, client = merchants[number % len(merchants)]
        assert client.post(f"/bench/floor/{case.pk}/{STEP}/", contact_fields()).status_code == 302

    def bare_get(number):
        assert anonymous.get(bare).status_code == 200

    def bare_post(number):
        assert anonymous.post(bare, contact_fields()).status_code == 302

    def redownload(number):
        response = reader.get(f"/cases/{case.pk}/documents/{document.pk}/")
        assert response.status_code == 200
        b"".join(response.streaming_content)

    rows = []
    for label, call in [
        ("wizard GET", wizard_get),
        ("floor GET", floor_get),
        ("bare GET", bare_get),
        ("wizard POST", wizard_post),
        ("floor POST", floor_post),
        ("bare POST", bare_post),
        ("letter re-download", redownload),
    ]:
        breakdown, plain = profile(call, times)
        rows.append(Row("profile", f"{label}, in process", f"{plain:.1f} ms; instrumented {breakdown.summary()}"))
    return rows
