"""A bounded load test on loopback: N merchants walking the whole wizard for a fixed time.

    python bench/load_wizard.py --base http://127.0.0.1:8000 --users 50 --duration 60

Each virtual merchant signs up first (the setup phase, not timed: password
hashing is deliberately slow), typing the code the app "texted" (the server
runs the file SMS backend, ``--sms-dir`` being its ``SMS_FILE_PATH``, and allows
that many codes from one address: ``SMS_CODES_PER_ADDRESS_PER_HOUR``), then, until the time is up, repeats the journey
a merchant makes on a phone: open a case, fill the intake, read the policy,
record the customer-service call, record the written application, and close
the case with the money back — reading each page before posting it, as a
browser does. Every answer is checked (status and where it leads); anything
else counts as an error. It prints requests per second, p50/p95 latency and
the errors, or one JSON object with ``--json``.

Standard library only, so it runs anywhere the app runs; it refuses any host
but loopback.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

CHINA = dt.timezone(dt.timedelta(hours=8))
PASSWORD = "Load-test-deposit-2026"  # noqa: S105 - throwaway accounts on a local test server
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class FormParser(HTMLParser):
    """The fields of every form on a page, with what a browser would submit by default."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.select = None
        self.option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}, "options": {}})
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"radio", "checkbox"}:
                form["options"].setdefault(name, []).append((attrs.get("value", "on"), ""))
                if "checked" in attrs:
                    form["fields"][name] = attrs.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                form["fields"][name] = attrs.get("value", "")
        elif tag == "select" and name:
            self.select = name
            form["options"][name] = []
        elif tag == "option" and self.select:
            self.option = [attrs.get("value", ""), ""]
            if "selected" in attrs:
                form["fields"][self.select] = self.option[0]
        elif tag == "textarea" and name:
            form["fields"].setdefault(name, "")

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None and self.select:
            self.forms[-1]["options"][self.select].append(tuple(self.option))
            self.option = None
        elif tag == "select":
            self.select = None


def forms_of(html):
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def form_with(html, field_name):
    for form in forms_of(html):
        if field_name in form["fields"] or field_name in form["options"]:
            return form
    raise UnexpectedAnswer(f"no form with {field_name}")


def option_containing(form, name, text):
    for value, label in form["options"].get(name, []):
        if text in label and value:
            return value
    raise UnexpectedAnswer(f"no option {text!r} for {name}")


class UnexpectedAnswer(Exception):
    pass


@dataclass
class Tally:
    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    journeys: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Merchant:
    """One browser: its own cookies, one request at a time."""

    def __init__(self, base, tally, number, run, sms_dir):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.tally = tally
        self.cookies = SimpleCookie()
        self.email = f"load-{run}-{number}@example.com"
        self.mobile = f"13{(int(run, 16) * 1000 + number) % 10**9:09d}"  # a new number each run
        self.sms_dir = Path(sms_dir)
        self.timed = False

    # ----- HTTP ------------------------------------------------------------------------------------------

    def request(self, method, path, form=None, referer=None):
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "zh-CN,zh;q=0.9"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={morsel.value}" for key, morsel in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = referer or f"http://{self.host}:{self.port}{path}"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        if self.timed:
            with self.tally.lock:
                self.tally.latencies.append(elapsed)
        return response.status, response.headers.get("Location", ""), content

    def get(self, path, expect=200):
        status, location, content = self.request("GET", path)
        if status != expect:
            raise UnexpectedAnswer(f"GET {shape(path)} answered {status}")
        return content if status == 200 else location

    def post(self, path, form, leads_to):
        status, location, content = self.request("POST", path, form)
        if status != 302 or not re.search(leads_to, location):
            errors = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', content, re.S)
            raise UnexpectedAnswer(f"POST {shape(path)} answered {status} {shape(location)} {errors[:2]}")
        return location

    # ----- the journey -----------------------------------------------------------------------------------

    def sign_up(self):
        page = self.get("/accounts/signup/")
        form = form_with(page, "password1")["fields"]
        form.update(full_name="压测商户", email=self.email, mobile=self.mobile, password1=PASSWORD, password2=PASSWORD)
        self.post("/accounts/signup/", form, r"^/accounts/sms/code/$")
        code_form = form_with(self.get("/accounts/sms/code/"), "code")["fields"]
        self.post("/accounts/sms/code/", {**code_form, "code": self.texted_code()}, r"^/cases/$")

    def texted_code(self):
        """The code in the last text the file SMS backend wrote to this merchant's number."""
        for path in sorted(self.sms_dir.glob("*.json"), reverse=True):
            message = json.loads(path.read_text(encoding="utf-8"))
            if message["to"] == self.mobile:
                return message["params"]["code"]
        raise UnexpectedAnswer("no code texted")

    def step(self, case_path, step, values, leads_to, choose=None):
        path = f"{case_path}ladder/{step}/"
        form = form_with(self.get(path), f"{step}-token")
        data = dict(form["fields"])
        for name, text in (choose or {}).items():
            data[f"{step}-{name}"] = option_containing(form, f"{step}-{name}", text)
        data.update({f"{step}-{name}": value for name, value in values.items()})
        return self.post(path, data, leads_to)

    def journey(self):
        today = dt.datetime.now(CHINA).date()
        cases = self.get("/cases/")
        token = form_with(cases, "csrfmiddlewaretoken")["fields"]["csrfmiddlewaretoken"]
        intake = self.post("/cases/new/", {"csrfmiddlewaretoken": token}, r"/ladder/intake/$")
        case_path = intake.rsplit("ladder/", 1)[0]
        self.step(
            case_path,
            "intake",
            {
                "obtained_via": "agent",
                "agent_name": "李代理",
                "merchant_kind": "person",
                "merchant_name": "压测便利店",
                "activation_date": (today - dt.timedelta(days=300)).isoformat(),
                "amount": "299",
                "charge_kind": "deposit",
                "payment_method": "deducted_from_settlement",
                "promise_form": "oral",
                "promised_by": "agent",
                "promise_details": "交易满5万元返还押金",
                "category": "refund",
                "province": "sichuan",
                "use": "business",
                "harm_known_on": (today - dt.timedelta(days=100)).isoformat(),
            },
            r"/ladder/policy/$",
            choose={"provider": "拉卡拉"},
        )
        self.step(
            case_path,
            "policy",
            {
                "target_met": "yes",
                "unsettled_transactions": "no",
                "arbitration_clause": "no",
                "forum_clause": "unsure",
                "fees_disclosed": "no",
                "confirm": "on",
            },
            r"/ladder/customer_service/$",
        )
        self.step(
            case_path,
            "customer_service",
            {
                "started_on": (today - dt.timedelta(days=20)).isoformat(),
                "method": "phone",
                "reference": "T-1",
                "outcome": "refused",
            },
            r"/ladder/application/$",
        )
        self.step(
            case_path,
            "application",
            {
                "started_on": (today - dt.timedelta(days=2)).isoformat(),
                "method": "email",
                "recipient": "service@example.com",
            },
            r"/ladder/application/$",
        )
        self.step(
            case_path,
            "outcome",
            {"result": "recovered", "recovered_amount": "299", "recovered_on": today.isoformat()},
            r"/ladder/outcome/$",
        )
        if "/ladder/outcome/" not in self.get(case_path, expect=302):
            raise UnexpectedAnswer("the closed case does not open on its outcome")
        with self.tally.lock:
            self.tally.journeys += 1


def shape(path):
    """A path with ids replaced, so error lines group together (and carry no data)."""
    return re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", path.split("?")[0])


@dataclass
class Result:
    users: int
    duration: float
    setup_seconds: float
    requests: int
    journeys: int
    errors: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    error_samples: list

    def line(self):
        return (
            f"{self.users} merchants, {self.duration:.0f} s: {self.requests} requests, "
            f"{self.requests_per_second:.1f} req/s, p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, "
            f"max {self.max_ms:.0f} ms, {self.journeys} whole journeys, {self.errors} errors "
            f"(setup {self.setup_seconds:.1f} s)"
        )


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run(base, users=50, duration=30.0, sms_dir="var/sms"):
    host = urlsplit(base).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load {host}: loopback only")
    tally = Tally()
    run_id = uuid.uuid4().hex[:8]
    merchants = [Merchant(base, tally, number, run_id, sms_dir) for number in range(users)]
    ready = threading.Barrier(users + 1)  # everyone signed up
    go = threading.Event()  # the timed phase has its end set
    stop_at = [0.0]

    def work(merchant):
        try:
            merchant.sign_up()
        except Exception as error:  # noqa: BLE001 - every failure is counted and reported
            with tally.lock:
                tally.errors.append(f"signup: {error}")
        ready.wait()
        go.wait()
        merchant.timed = True
        while time.monotonic() < stop_at[0]:
            try:
                merchant.journey()
            except Exception as error:  # noqa: BLE001
                with tally.lock:
                    tally.errors.append(str(error) if isinstance(error, UnexpectedAnswer) else repr(error))
                time.sleep(0.2)

    threads = [threading.Thread(target=work, args=(m,), daemon=True) for m in merchants]
    setup_started = time.monotonic()
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.monotonic()
    setup_seconds = started - setup_started
    stop_at[0] = started + duration
    go.set()
    for thread in threads:
        thread.join(duration + 120)
    elapsed = time.monotonic() - started
    latencies = tally.latencies
    return Result(
        users=users,
        duration=elapsed,
        setup_seconds=setup_seconds,
        requests=len(latencies),
        journeys=tally.journeys,
        errors=len(tally.errors),
        requests_per_second=len(latencies) / elapsed if elapsed else 0.0,
        p50_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p95_ms=percentile(latencies, 0.95) * 1000,
        max_ms=max(latencies, default=0) * 1000,
        error_samples=sorted(set(tally.errors))[:10],
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the running app (loopback only)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load after setup")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--sms-dir",
        default=os.environ.get("SMS_FILE_PATH", "var/sms"),
        help="where the server's file SMS backend writes (its SMS_FILE_PATH): the signup codes",
    )
    options = parser.parse_args(argv)
    result = run(options.base, options.users, options.duration, options.sms_dir)
    print(json.dumps(asdict(result), ensure_ascii=False) if options.json else result.line())
    for sample in result.error_samples:
        print("  error:", sample, file=sys.stderr)
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
