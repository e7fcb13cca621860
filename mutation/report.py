"""The report of a mutation run: the kill rate per module, each survivor with its diff, the equivalent mutants.

    python -m mutation.report      # write it again from mutants/ (what the last run left)

A mutant counts as killed when a test failed (or it ran past its time limit, which mutmut calls a
timeout). An equivalent mutant (mutation/equivalent.py) changes nothing a caller can observe: it is
listed with why, and left out of the rate. The rate is killed / (mutants - equivalent): a mutant no
test ran ("no tests") or that the run had no time for counts against it.
"""

import datetime
import json
import sys
from collections import Counter
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "mutation"
KILLED = {"killed", "timeout"}
SKIPPED = 34  # mutmut's exit code for a mutant it did not test: the equivalent ones (mutation/run.py)
LISTED = ("survived", "no tests", "not checked", "equivalent")


def changed_lines(diff):
    """The lines a diff removes and adds, stripped, and the unchanged line before them: (removed, added, before)."""
    lines = diff.splitlines()[2:]  # after the ---/+++ header
    removed = tuple(line[1:].strip() for line in lines if line.startswith("-"))
    added = tuple(line[1:].strip() for line in lines if line.startswith("+"))
    first = next((index for index, line in enumerate(lines) if line[:1] in "-+"), 0)
    before = next((line[1:].strip() for line in reversed(lines[:first]) if line.startswith(" ")), "")
    return removed, added, before


def function_of(mutant_name):
    return mutant_name.partition("__mutmut_")[0]


def collect():
    """{module path: [(mutant name, status, diff or "")]} from mutants/, diffs for the mutants not killed."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    from mutation.modules import MODULES

    results = {}
    for path in MODULES:
        data = SourceFileMutationData(path=path)
        data.load()
        rows = []
        for name, exit_code in sorted(data.exit_code_by_key.items(), key=lambda item: mutant_order(item[0])):
            status = status_by_exit_code[exit_code]
            diff = "" if status in KILLED else get_diff_for_mutant(name, path=path)
            rows.append((name, status, diff))
        results[path] = rows
    return results


def mutant_order(name):
    function, _sep, number = name.partition("__mutmut_")
    return function, int(number) if number.isdigit() else 0


def classify(results):
    """Mark the survivors that mutation/equivalent.py explains; return (results, unused equivalence entries)."""
    from mutation.equivalent import EQUIVALENT

    used = set()
    classified = {}
    for path, rows in results.items():
        out = []
        for name, status, diff in rows:
            why = ""
            if status in {"survived", "skipped"}:
                for index, entry in enumerate(EQUIVALENT):
                    if entry.matches(function_of(name), *changed_lines(diff)):
                        why = entry.why
                        used.add(index)
                        break
            out.append((name, "equivalent" if why else status, diff, why))
        classified[path] = out
    unused = [entry for index, entry in enumerate(EQUIVALENT) if index not in used]
    return classified, unused


def figures(rows):
    counts = Counter(status for _name, status, _diff, _why in rows)
    total = len(rows)
    killed = sum(counts[status] for status in KILLED)
    counted = total - counts["equivalent"]
    return {
        "mutants": total,
        "killed": killed,
        "survived": counts["survived"],
        "no_tests": counts["no tests"],
        "not_checked": counts["not checked"],
        "equivalent": counts["equivalent"],
        "other": total - killed - sum(counts[status] for status in LISTED),
        "rate": round(100 * killed / counted, 1) if counted else 100.0,
    }


def table(summary):
    lines = [
        "| module | mutants | killed | survived | no tests | not tested | equivalent | kill rate |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for path, row in [*summary["modules"].items(), ("**all**", summary["total"])]:
        lines.append(
            f"| {path} | {row['mutants']} | {row['killed']} | {row['survived']} | {row['no_tests']} | "
            f"{row['not_checked']} | {row['equivalent']} | {row['rate']} % |"
        )
    return "\n".join(lines)


def write_report(elapsed_seconds=None, interrupted=False, budget_minutes=None):
    classified, unused = classify(collect())
    summary = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "mutmut": version("mutmut"),
        "elapsed_seconds": round(elapsed_seconds) if elapsed_seconds is not None else None,
        "interrupted": interrupted,
        "modules": {path: figures(rows) for path, rows in classified.items()},
        "total": figures([row for rows in classified.values() for row in rows]),
    }
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")

    out = ["# Mutation testing: the last run", ""]
    when = f"{summary['date']}, mutmut {summary['mutmut']}"
    if elapsed_seconds is not None:
        when += f", {elapsed_seconds / 60:.1f} minutes"
    out.append(when + ".")
    if interrupted:
        out += ["", f"**Stopped at the budget ({budget_minutes} minutes): mutants not tested count against the rate.**"]
    out += ["", table(summary), ""]
    out += ["## Survivors", ""]
    for path, rows in classified.items():
        survivors = [(name, status, diff) for name, status, diff, _why in rows if status not in KILLED | {"equivalent"}]
        if not survivors:
            continue
        out += [f"### {path}", ""]
        for name, status, diff in survivors:
            out += [f"`{name}` ({status})", "", "```diff", diff, "```", ""]
    out += ["## Equivalent mutants", ""]
    for rows in classified.values():
        for name, status, diff, why in rows:
            if status == "equivalent":
                removed, added, _before = changed_lines(diff)
                out.append(f"- `{name}`: `{' '.join(removed)}` → `{' '.join(added)}`: {why}")
    if unused:
        out += ["", "Entries of mutation/equivalent.py that matched no survivor this time:", ""]
        out += [f"- `{entry.function}`: `{entry.after}`" for entry in unused]
    (VAR / "report.md").write_text("\n".join(out) + "\n")
    return summary


def main():
    import os

    sys.path.insert(0, str(ROOT))
    os.chdir(VAR / "work")  # where mutmut keeps its mutants/ (mutation/run.py)
    summary = write_report()
    print(table(summary))
    print(f"Report: {VAR / 'report.md'}")


if __name__ == "__main__":
    main()
