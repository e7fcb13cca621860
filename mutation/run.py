"""`make mutation`: mutmut over the modules that hold the rules, each mutant tested by its module's fast tests.

    python -m mutation.run [--keep] [--budget MINUTES] [--max-children N] [MUTANT_NAME_OR_GLOB ...]

1. A database is migrated once (var/mutation/template.sqlite3, again when a migration changes); every
   test process works on its own copy of it (tests/conftest.py, MUTATION_TEMPLATE_DB), so two
   mutants are tested at a time without migrating for each.
2. mutmut 3 runs with pyproject.toml's [tool.mutmut] and four choices of ours that mutmut has no
   setting for, applied here before it starts:
   - a function's mutants run only the tests of its module listed in mutation/modules.py, among the
     tests mutmut saw running that function;
   - the wording of messages is not mutated (calls to gettext and its kin, Http404's message);
   - the mutants mutation/equivalent.py explains are marked and not tested (see skip_equivalents);
   - the tests run once on the unmutated code, not twice (see no_second_clean_run).
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
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "mutation"
WORK = VAR / "work"  # mutmut's working directory: it writes its copy of the project to WORK / "mutants"
TEMPLATE = VAR / "template.sqlite3"


def workspace():
    """mutmut copies the project into ``mutants/`` under its working directory: that is var/mutation/work,
    whose entries link to the project's folders, so the copy stays under var/ (out of git, ruff, the
    translations' scan and the test suite)."""
    import tomllib

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    WORK.mkdir(parents=True, exist_ok=True)
    for name in [*settings["source_paths"], *settings["also_copy"], "tests", "pyproject.toml"]:
        link = WORK / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    return WORK


def migrations_hash():
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def template_database():
    """A migrated SQLite database the tests copy (rebuilt when a migration changed).

    Built beside it and moved into place in one step, so a process copying it never sees half of one.
    """
    stamp = VAR / "template.migrations"
    wanted = migrations_hash()
    if TEMPLATE.exists() and stamp.exists() and stamp.read_text() == wanted:
        return TEMPLATE
    VAR.mkdir(parents=True, exist_ok=True)
    building = VAR / f"template-{os.getpid()}.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{building}", "DEBUG": "1"}
    print("Migrating the template database…", flush=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    connection = sqlite3.connect(building)  # everything into the main file: copies take that file alone
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    for leftover in VAR.glob(f"{building.name}-*"):
        leftover.unlink()
    os.replace(building, TEMPLATE)
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
        # mutmut times a test's body only; its setup (database rows, fixtures) often costs more. With it added,
        # "fastest first" means what it says, and the time limits mutmut derives from these figures too.
        setups = getattr(sys.modules.get("tests.conftest"), "SETUP_SECONDS", {})
        durations = state().duration_by_test
        for name, seconds in setups.items():
            if name in durations:
                durations[name] += seconds
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


def no_second_clean_run():
    """mutmut runs the selected tests on the unmutated code twice: once to see which test runs which function
    (its stats, which stop the run when a test fails), then once more as a "clean" run. With a fresh stats
    run the second adds nothing but minutes; it is kept when the stats come from an earlier run (--keep)."""
    import mutmut.__main__ as mutmut_main
    from mutmut.workers.isolation import ForkRunner

    collect = mutmut_main.run_stats_collection
    fresh = []

    def run_stats_collection(runner, tests=None):
        collect(runner, tests)
        fresh.append(not tests)  # every test ran (not only new ones)

    clean = ForkRunner.run_clean_tests

    def run_clean_tests(self, tests):
        if any(fresh):
            print("    (the stats run just ran every selected test on the unmutated code: no second clean run)")
            return 0
        return clean(self, tests)

    mutmut_main.run_stats_collection = run_stats_collection
    ForkRunner.run_clean_tests = run_clean_tests


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

    sys.path.insert(0, str(ROOT))
    os.chdir(workspace())
    if not options.keep and not options.names:
        shutil.rmtree(WORK / "mutants", ignore_errors=True)
    template = template_database()
    scratch = Path(tempfile.mkdtemp(prefix="tmp-", dir=VAR))  # the test processes' folders, this run's own
    os.environ.update(
        MUTATION_TEMPLATE_DB=str(template),
        MUTATION_TMP=str(scratch),
        # The tests' settings read a SQLite URL; each process then points the connection at its own copy.
        DATABASE_URL=f"sqlite:///{template}",
    )
    os.environ.pop("REDIS_URL", None)

    configure_mutmut(MODULES)
    keep_module_tests()
    no_second_clean_run()
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
