"""The load test, short: 50 merchants walk the whole wizard against gunicorn, the database and Redis, 0 errors.

`bench/load_wizard.py` is the real thing (longer runs, figures in bench/RESULTS.md);
here it runs for a few seconds so it never rots and a concurrency bug fails the suite.
"""

import json
import subprocess
import sys

from cases.models import Case, Event
from tests.conftest import ROOT


def test_fifty_merchants_walk_the_wizard_at_once_without_an_error(new_stack, ladder):
    stack = new_stack(SMS_CODES_PER_ADDRESS_PER_HOUR="100")  # fifty signups from one loopback address
    command = [sys.executable, "bench/load_wizard.py", "--base", stack.url, "--users", "50", "--duration", "8"]
    result = subprocess.run(
        [*command, "--sms-dir", stack.env["SMS_FILE_PATH"], "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    print(json.dumps(report, ensure_ascii=False))  # throughput and p95 in the test log
    assert report["errors"] == 0, report["error_samples"]
    assert result.returncode == 0
    assert report["journeys"] >= 1 and report["requests"] > 0 and report["p95_ms"] > 0
    # Every finished journey left exactly one resolved case with its whole timeline.
    resolved = Case.objects.filter(status=Case.Status.RESOLVED)
    assert resolved.count() >= report["journeys"]
    for case in resolved[:20]:
        kinds = list(case.events.values_list("kind", flat=True))
        assert kinds.count(Event.Kind.RESOLVED) == 1
        assert kinds.count(Event.Kind.STEP_LOGGED) == 2
