"""`make mutation`: mutmut over the modules that hold the rules, each mutant tested by its module's fast tests.

    python -m mutation.run [--keep] [--budget MINUTES] [--max-children N] [MUTANT_NAME_OR_GLOB ...]

1. A database is migrated once (var/mutation/template.sqlite3, again when a migration changes); every
   test process works on its own copy of it (tests/conftest.py, MUTATION_TEMPLATE_DB), so two
   mutants are tested at a time without migrating for each.
2. mutmut 3 runs with pyproject.toml's [tool.mutmut] and two choices of ours that mutmut has no
   setting for, applied here before it starts:
   - a function's mutants run only the tests of its module listed in mutation/modules.py, among the
     tests mutmut saw running that function;
   - the wording of messages is not mutated (calls to gettext and its kin, Http404's message);
   - the mutants mutation/equivalent.py explains are marked and not tested (see skip_equivalents).
3. The report: var/mutation/report.md (the kill rate per module, each survivor with its diff, the
   equivalent mutants of mutation/equivalent.py with why) and var/mutation/summary.json.

Without --keep the run starts from nothing (mutants/ is deleted); with it, mutmut tests only the
mutants of functions changed since the last run, and those named on the command line again. The run
stops at --budget minutes (30 by default): the mutants not tested by then are counted as such.
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "mutation"
TEMPLATE = VAR / "template.sqlite3"


def migrations_hash():
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def template_database():
    """A migrated SQLite database the tests copy (rebuilt when a migration changed)."""
    stamp = VAR / "template.migrations"
    wanted = migrations_hash()
    if TEMPLATE.exists() and stamp.exists() and stamp.read_text() == wanted:
        return TEMPLATE
    VAR.mkdir(parents=True, exist_ok=True)
    for leftover in VAR.glob("template.sqlite3*"):
        leftover.unlink()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{TEMPLATE}", "DEBUG": "1"}
    print("Migrating the template database…", flush=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    stamp.write_text(wanted)
    return TEMPLATE


def configure_mutmut(modules):
    """Check pyproject.toml against mutation/modules.py and apply the choices mutmut has no setting for."""
    from mutmut.configuration import config
    from mutmut.mutation import file_mutation

    from mutation.modules import MESSAGE_CALLS

    settings = config()
    if sorted(settings.only_mutate) != sorted(modules):
        raise SystemExit(
            "pyproject.toml's [tool.mutmut] only_mutate and mutation/modules.py's MODULES differ:\n"
            f"  only in pyproject.toml: {sorted(set(settings.only_mutate) - set(modules))}\n"
            f"  only in MODULES: {sorted(set(modules) - set(settings.only_mutate))}"
        )
    tests = sorted({path for paths in modules.values() for path in paths})
    missing = [path for path in tests if not (ROOT / path).exists()]
    if missing:
        print(f"Not there (yet), left out of the selection: {', '.join(missing)}")
    settings.pytest_add_cli_args_test_selection = [path for path in tests if path not in missing]
    # Message texts: mutmut skips a call to one of these names and everything inside it.
    if not isinstance(getattr(file_mutation, "NEVER_MUTATE_FUNCTION_CALLS", None), set):
        raise SystemExit("mutmut changed: file_mutation.NEVER_MUTATE_FUNCTION_CALLS is gone (see mutation/run.py)")
    file_mutation.NEVER_MUTATE_FUNCTION_CALLS.update(MESSAGE_CALLS)


def keep_module_tests():
    """After mutmut's stats run: each function keeps only its module's tests (mutation/modules.py)."""
    import mutmut.__main__ as mutmut_main
    from mutmut.state import state
    from mutmut.stats import save_stats

    from mutation.modules import allowed

    collect = mutmut_main.run_stats_collection

    def run_stats_collection(runner, tests=None):
        collect(runner, tests)
        mapping = state().tests_by_mangled_function_name
        for function, names in mapping.items():
            mapping[function] = {name for name in names if allowed(function, name)}
        save_stats()

    mutmut_main.run_stats_collection = run_stats_collection


def skip_equivalents():
    """Before the mutants are tested: the ones mutation/equivalent.py explains are marked, not run.

    An equivalent mutant survives every test by definition; running the tests of a function that
    hundreds of tests call, to see it survive again, is most of a run's time. They are marked with
    mutmut's "skipped" code and listed by the report with why; a stale entry matches nothing and the
    mutant is tested as any other.
    """
    import mutmut.__main__ as mutmut_main
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    from mutation.equivalent import EQUIVALENT
    from mutation.modules import MODULES
    from mutation.report import SKIPPED, changed_lines, function_of

    functions = {entry.function for entry in EQUIVALENT}
    load = mutmut_main.collect_or_load_stats

    def collect_or_load_stats(*args, **kwargs):
        load(*args, **kwargs)
        for path in MODULES:
            data = SourceFileMutationData(path=path)
            data.load()
            marked = False
            for name, exit_code in data.exit_code_by_key.items():
                if exit_code is not None or function_of(name) not in functions:
                    continue
                changed = changed_lines(get_diff_for_mutant(name, path=path))
                if any(entry.matches(function_of(name), *changed) for entry in EQUIVALENT):
                    data.exit_code_by_key[name] = SKIPPED
                    marked = True
            if marked:
                data.save()

    mutmut_main.collect_or_load_stats = collect_or_load_stats


def stop_after(minutes, fired):
    """Interrupt the run after ``minutes`` as Ctrl-C does: mutmut stops its workers and keeps what it has."""

    def interrupt():
        fired.set()
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(minutes * 60, interrupt)
    timer.daemon = True
    timer.start()
    return timer


def main(argv=None):
    parser = argparse.ArgumentParser(description="Mutation testing of the modules that hold the rules.")
    parser.add_argument("--keep", action="store_true", help="keep mutants/ and earlier results (incremental)")
    parser.add_argument("--budget", type=float, default=30, help="stop after this many minutes (default 30)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at a time (default 2)")
    parser.add_argument("names", nargs="*", help="test only these mutants (names or globs) again")
    options = parser.parse_args(argv)

    from mutation.modules import MODULES
    from mutation.report import write_report

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    if not options.keep and not options.names:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    template = template_database()
    scratch = VAR / "tmp"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    os.environ.update(
        MUTATION_TEMPLATE_DB=str(template),
        MUTATION_TMP=str(scratch),
        # The tests' settings read a SQLite URL; each process then points the connection at its own copy.
        DATABASE_URL=f"sqlite:///{template}",
    )
    os.environ.pop("REDIS_URL", None)

    configure_mutmut(MODULES)
    keep_module_tests()
    skip_equivalents()
    from mutmut.__main__ import _run

    started = time.monotonic()
    fired = threading.Event()
    timer = stop_after(options.budget, fired)
    try:
        _run(options.names, options.max_children)
    except KeyboardInterrupt:
        fired.set()  # stopped before mutmut's own loop (which catches the interrupt itself)
    finally:
        timer.cancel()
    elapsed = time.monotonic() - started
    interrupted = fired.is_set()
    summary = write_report(elapsed_seconds=elapsed, interrupted=interrupted, budget_minutes=options.budget)
    print(json.dumps(summary["total"], indent=2))
    print(f"Report: {VAR / 'report.md'}")
    shutil.rmtree(scratch, ignore_errors=True)
    return 1 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
