"""Imports run one way (issue 19): lib ← escalation ← cases ← reading ← reminders ← documents ←
review ← groups ← accounts ← checker ← wizard ← (disputes) ← config.

lib/ is plain helpers that know nothing of the ladder or the cases; escalation/ is what the
ladder is and knows nothing of cases; each app after it may use those before it, never those
after; config/ wires everything and nobody imports it. Imports inside a function count too.
docs/ARCHITECTURE.md says what each app owns.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each may import only those before it. disputes/ is the migration history the apps grew out of: its
# migrations name the apps' upload paths and defaults, and no app imports it.
LAYERS = [
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
    "disputes",
    "config",
]


def imported_packages(path):
    """The project's top-level packages ``path`` imports (relative imports stay in its own package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


def wrong_way(package):
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    return [
        f"{path.relative_to(ROOT)} imports {', '.join(sorted(imported_packages(path) - allowed))}"
        for path in sorted((ROOT / package).rglob("*.py"))
        if imported_packages(path) - allowed
    ]


@pytest.mark.parametrize("package", LAYERS)
def test_imports_run_one_way(package):
    assert wrong_way(package) == []


def test_the_check_sees_an_import_the_wrong_way(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom disputes.models import Case\n\ndef f():\n    import config.settings\n")
    assert imported_packages(module) == {"disputes", "config"}
