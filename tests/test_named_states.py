"""Statuses, outcomes, answers, kinds, reasons and rung positions (1-5) are named, not literals.

TextChoices on the models, escalation.rungs, letters.Blocker, views.context.Progress, deadlines' reasons.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BARE = [
    re.compile(r"""\.(status|outcome)\s*[!=]=\s*["']"""),  # review.status == "approved"
    re.compile(r"""(target_met|fees_disclosed|notice_given|arbitration_clause|forum_clause)\s*[!=]=\s*["']"""),
    re.compile(r"""position\s*(==|!=|<=|>=|<|>)\s*[1-5]"""),  # rung.position == 5
    re.compile(r"""position\s+in\s*[{(\[]\s*[1-5]"""),  # position in {3, 4, 5}
    re.compile(r"""position(__in|__gte|__lte)?\s*=\s*\[?[1-5]"""),  # rung__position__in=[2, 4, 5]
    re.compile(r"""ladder\.rung\([1-5]\)"""),  # ladder.rung(3)
    # notice.kind == "review", item.blocked == "changed"
    re.compile(r"""\.(kind|state|blocked|reason)\s*[!=]=\s*["']"""),
    re.compile(r"""enqueue\(\s*["']"""),  # case.enqueue("help_requested")
    re.compile(r"""\bkind\s*=\s*f?["'](purge_notice|review|comment|reminder_)"""),  # Notification(kind="comment")
    re.compile(r"""\b(reason|blocker|state)\s*==\s*["']"""),  # reason == "limitation_rule"
    re.compile(r"""return\s+["'](nothing_owed|pending|changes|changed)["']"""),  # a letter's blocker
]
APPS = [
    "lib",
    "escalation",
    "cases",
    "reading",
    "reminders",
    "documents",
    "review",
    "groups",
    "accounts",
    "checker",
    "wizard",
    "config",
]
SOURCES = [path for app in APPS for path in sorted((ROOT / app).rglob("*.py"))]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def offending_lines(paths):
    found = []
    for path in paths:
        if "migrations" in path.parts or path.name == "content.py":  # the seeded ladder's data names its positions
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0] if path.suffix == ".py" else line
            if any(pattern.search(code) for pattern in BARE):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


@pytest.mark.parametrize("paths", [SOURCES, TEMPLATES], ids=["python", "templates"])
def test_no_bare_status_or_rung_literals(paths):
    assert offending_lines(paths) == []
