"""What `make mutation` mutates, and which tests may kill each module's mutants.

Each module that holds rules is tested by its own fast tests: a mutant of a function runs the tests
listed here for its module that mutmut saw running that function (fastest first, stopping at the
first failure). The letters' golden PDFs, the wizard's pages and the browser tests are left out:
they are slow, and a rule should be pinned by a test of the rule.

pyproject.toml's [tool.mutmut] lists the same modules (only_mutate), so that `mutmut show` and
`mutmut browse` work on the results; `python -m mutation.run` refuses to start when the two disagree,
and gives mutmut the union of these tests as its test selection.
"""

CLOCK_TESTS = (
    "tests/escalation/test_clock.py",
    "tests/escalation/test_clock_properties.py",
    "tests/escalation/test_holidays.py",
    "tests/cases/test_models.py",
    "tests/cases/test_deadlines.py",
)
STEP_TESTS = (
    "tests/cases/test_models.py",
    "tests/cases/test_state_changes.py",
    "tests/cases/test_deadlines.py",
    "tests/reminders/test_reminders.py",
    "tests/reminders/test_snooze.py",
)
CASE_TESTS = (
    "tests/cases/test_models.py",
    "tests/cases/test_state_changes.py",
    "tests/cases/test_deadlines.py",
    "tests/test_atomic_state_changes.py",
    "tests/reminders/test_reminders.py",
)
SWEEP_TESTS = (
    "tests/reminders/test_reminders.py",
    "tests/reminders/test_snooze.py",
    "tests/reminders/test_sweep.py",
    "tests/accounts/test_sms.py",
)
LETTER_TESTS = (
    "tests/lib/test_written.py",
    "tests/lib/test_written_properties.py",
    "tests/documents/test_facts.py",
    "tests/documents/test_money_facts.py",
)

MODULES = {
    # The working-day clock.
    "escalation/clock.py": CLOCK_TESTS,
    "escalation/holidays.py": CLOCK_TESTS,
    "lib/chinatime.py": ("tests/lib/test_chinatime.py", *CLOCK_TESTS, "tests/reminders/test_reminders.py"),
    # Where to complain.
    "escalation/routing.py": ("tests/escalation/test_routing.py",),
    # Who sees which case.
    "cases/access.py": ("tests/cases/test_access.py", "tests/test_access_matrix.py"),
    # The reminder sweep, and the planning of each step's reminders (cases/models/steps.py).
    "reminders/sweep.py": SWEEP_TESTS,
    "reminders/models.py": SWEEP_TESTS,
    "cases/models/steps.py": STEP_TESTS,
    # The letters' facts about money, the amounts in words, the letters' context.
    "documents/letters/facts/money.py": LETTER_TESTS,
    "lib/written.py": LETTER_TESTS,
    "documents/letters/context.py": LETTER_TESTS,
    # Login throttling.
    "accounts/throttle.py": ("tests/test_throttling.py", "tests/accounts/test_accounts.py"),
    # Evidence uploads.
    "cases/uploads.py": ("tests/cases/test_uploads.py", "tests/cases/test_evidence.py", "tests/cases/test_quotas.py"),
    # A merchant's data: export and deletion.
    "accounts/privacy.py": ("tests/test_privacy.py",),
    # The case's state changes.
    "cases/models/case_ladder.py": CASE_TESTS,
    "cases/models/case.py": CASE_TESTS,
}

# Calls whose arguments are a message's wording, not a rule: not mutated. A changed message is a
# question for the translations (tests/test_i18n.py), and "XX" around a message changes no decision.
MESSAGE_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "pgettext_lazy", "Http404"}


def test_files():
    """Every test file some module uses, in a stable order."""
    return sorted({path for paths in MODULES.values() for path in paths})


def module_of(mangled_function):
    """The source path of a mutmut function key: 'escalation.clock.x_add_days' -> 'escalation/clock.py'."""
    parts = mangled_function.split(".")
    for index in range(len(parts) - 1, -1, -1):
        if parts[index].startswith(("x_", "xǁ")):
            return "/".join(parts[:index]) + ".py"
    raise ValueError(f"not a mutmut function key: {mangled_function!r}")


def allowed(mangled_function, test_id):
    """Whether ``test_id`` (a pytest node id) is one of the fast tests of the function's module."""
    return test_id.split("::", 1)[0] in MODULES.get(module_of(mangled_function), ())
