"""Deadlines recomputed after the ladder's facts change: a year's holidays entered, the limitation rule edited.

Each moved deadline is noted on its case's timeline (``Event.Kind.DEADLINE_RECOMPUTED``);
reminders follow the new dates. All of it in one transaction (the caller's, when there is one).
"""

import datetime

from django.db import transaction
from django.db.models import Q

from cases.models import Case, Event, Step
from escalation import clock

# Why deadlines were recomputed (kept on each "recomputed" event).
HOLIDAYS_REASON = "holidays:{year}"  # the year's holiday schedule was entered
LIMITATION_RULE_REASON = "limitation_rule"  # the limitation rule was edited


@transaction.atomic
def recompute_for_year(year, actor=None):
    """Recompute the live deadlines that were provisional or touch ``year``, and the limitation periods near it.

    Returns how many deadlines moved.
    """
    overrides = clock.Overrides.load()
    reason = HOLIDAYS_REASON.format(year=year)
    near = (datetime.date(year - 1, 12, 1), datetime.date(year + 1, 1, 31))
    steps = (
        Step.objects.filter(Step.live_condition(), case__status=Case.Status.OPEN, rule__isnull=False)
        .filter(Q(due_provisional=True) | Q(due_on__range=near) | Q(maximum_on__range=near))
        .select_related("case", "rule", "rung")
    )
    moved = sum(step.reschedule(overrides, actor, reason) for step in steps)
    cases = Case.objects.filter(status=Case.Status.OPEN, limitation_on__range=(near[0], datetime.date(year, 12, 31)))
    moved += sum(recompute_limitation(case, actor, reason, overrides) for case in cases)
    return moved


def recompute_limitation(case, actor, reason, overrides=None):
    """Recompute one open case's limitation period; True (and a timeline line) when it moved."""
    before = case.limitation_on
    changes = case.limitation_changes(overrides)
    if not changes:
        return False
    Case.objects.filter(pk=case.pk).update(**changes)
    case.record(
        Event.Kind.DEADLINE_RECOMPUTED,
        actor,
        limitation=True,
        due_before=before.isoformat() if before else None,
        due_on=case.limitation_on.isoformat() if case.limitation_on else None,
        reason=reason,
    )
    return True


@transaction.atomic
def recompute_limitations(actor=None):
    """The limitation rule was edited: every open case's period follows it. Returns how many moved."""
    cases = Case.objects.filter(status=Case.Status.OPEN).filter(
        Q(harm_known_on__isnull=False) | Q(steps__rung__code="written_application")
    )
    return sum(recompute_limitation(case, actor, LIMITATION_RULE_REASON) for case in cases.distinct())
