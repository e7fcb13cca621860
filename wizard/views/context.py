"""What every case page shows: the ladder with the current rung, the next deadline, what to do next."""

import datetime
from enum import StrEnum

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import Case, Evidence, Step, china_today
from escalation import cache as ladder
from escalation import rungs
from review import stats
from review.models import Comment


class Progress(StrEnum):
    """Where a rung stands in the progress bar."""

    DONE = "done"
    SKIPPED = "skipped"
    CURRENT = "current"
    AHEAD = "ahead"


def ladder_progress(case, today=None):
    """Each rung with its state for the progress indicator: done, skipped, current or ahead.

    The current rung is the one the merchant works on now (the rung of
    ``Case.resume_step``), so after reading the rules the bar shows rung 2, not
    rung 1. A rung below it is done when something was recorded there (for rung
    1, the rules were read) and skipped otherwise: a skipped rung is never green.
    """
    resume = case.resume_step(today)
    position_of_step = {step: position for position, step in Case.STEP_FOR_RUNG.items()}
    current = max(position_of_step.get(resume, rungs.FIRST), case.rung.position)
    if resume in {"intake", "policy"} or not case.is_open:
        current = case.rung.position
    recorded = {step.rung.position for step in case.step_list}
    if case.policy_read_at is not None:
        recorded.add(rungs.POLICY)
    progress = []
    for rung in ladder.rungs():
        if rung.position < current:
            state = Progress.DONE if rung.position in recorded else Progress.SKIPPED
        elif rung.position == current and case.is_open:
            state = Progress.CURRENT
        elif rung.position == current:
            state = Progress.DONE if rung.position in recorded else Progress.SKIPPED
        else:
            state = Progress.AHEAD
        progress.append(
            {
                "rung": rung,
                "state": state,  # also the item's CSS class: progress-done, progress-current...
                "is_done": state == Progress.DONE,
                "is_skipped": state == Progress.SKIPPED,
                "is_current": state == Progress.CURRENT,
                "step": Case.STEP_FOR_RUNG[rung.position],
            }
        )
    return progress


def next_action(case, deadline, today):
    """One sentence: what the merchant should do now.

    It follows ``Case.resume_step`` and the live deadline, so it never says
    "time is up" while the live deadline is still ahead. The page labels it
    "What to do next:", so the sentence itself carries no label.
    """
    step = case.resume_step(today)
    if step == "intake":
        return _("Tell us about your case: who took the money, how much and what was promised.")
    if step == "policy":
        return _("Read the rules for your case and check your agreement.")
    if step == "outcome":
        if case.is_open:
            return _("You got money back: record how much, and close the case.")
        return _("This case is closed.")
    position = {value: key for key, value in Case.STEP_FOR_RUNG.items()}[step]
    rung = ladder.rung(position)
    if position > case.rung.position and case.rung.position > rungs.POLICY:
        latest = case.latest_step_here()
        values = {"position": position, "rung": rung.title}
        if latest is not None and latest.outcome == Step.Outcome.REFUSED:
            return _("They refused. You may now go on to rung %(position)s: %(rung)s.") % values
        if latest is not None and latest.outcome == Step.Outcome.NO_ANSWER:
            return _("They did not answer. You may now go on to rung %(position)s: %(rung)s.") % values
        if latest is not None and latest.due_on and today <= latest.due_on:
            # A channel you may leave at any time (a complaint platform): their time is not up.
            return _("You may go on to rung %(position)s: %(rung)s, now; their answer is due by %(date)s.") % {
                **values,
                "date": latest.due_on.isoformat(),
            }
        if latest is not None and latest.unlocks_on:
            # The next rung opens the day after their last day.
            last_day = latest.unlocks_on - datetime.timedelta(days=1)
            return _("Their time was up on %(date)s. You may now go on to rung %(position)s: %(rung)s.") % {
                **values,
                "date": last_day.isoformat(),
            }
        return _("Go on to rung %(position)s: %(rung)s.") % values
    if deadline is not None:
        if deadline.outcome == Step.Outcome.PROMISED and deadline.promised_on:
            if today > deadline.due_on:
                return _("They promised the refund by %(date)s. If it has not come, record that they did not pay.") % {
                    "date": deadline.due_on.isoformat()
                }
            return _("They promised the refund by %(date)s. Record it here when the money comes.") % {
                "date": deadline.due_on.isoformat()
            }
        if today > deadline.due_on:
            return _("Their time was up on %(date)s. Record their answer, or that they did not answer.") % {
                "date": deadline.due_on.isoformat()
            }
        return _("Wait for their answer until %(date)s, and record it here when it comes.") % {
            "date": deadline.due_on.isoformat()
        }
    return {
        rungs.CUSTOMER_SERVICE: _("Contact the provider's customer service, then record what they said."),
        rungs.APPLICATION: _("Send the written refund application, then record when you sent it."),
        rungs.THIRD_PARTY: _("Complain to a regulator or another third party, then record where and when."),
        rungs.LITIGATION: _("Go to court or arbitration, then record where and when you filed."),
    }[position]


def next_why(step):
    """Why the next step matters, in one plain sentence (none once the money is back or the case is closed)."""
    return {
        "intake": _("Your answers decide which letters and which regulator fit your case."),
        "policy": _("What you agreed decides what you can claim, and by when."),
        "customer_service": _(
            "Regulators and courts expect you to have asked the company first, and it is often the quickest way."
        ),
        "application": _(
            "A written demand is proof that you asked, and it starts the limitation period again (Civil Code Art. 195)."
        ),
        "third_party": _("An outside body makes the company look at your case again."),
        "litigation": _("A court or an arbitration body can order the company to pay."),
    }.get(step, "")


def reminder_plan(case):
    """What the sweep will send, and how, before it happens: [(step, [(kind, sequence, moment)])]."""
    steps = sorted((step for step in case.step_list if step.next_reminder_at), key=lambda step: step.next_reminder_at)
    return [(step, step.reminder_plan(limit=3)) for step in steps]


def page_annotations():
    """Read with the case (``get_case_for(annotations=...)``): whether it has evidence and messages for the merchant.

    Most cases have neither; ``case_context`` then runs no query for them.
    """
    return {
        "has_evidence": Exists(Evidence.objects.filter(case=OuterRef("pk"))),
        "has_messages": Exists(Comment.objects.filter(case=OuterRef("pk"), visibility=Comment.Visibility.MERCHANT)),
    }


def case_context(case, request):
    today = china_today()
    deadline = case.live_deadline()
    resume = case.resume_step(today)
    profile = getattr(case.owner, "profile", None)  # read with the case
    return {
        "case": case,
        "progress": ladder_progress(case, today),
        "deadline": deadline,
        "days_left": deadline.days_left(today) if deadline else None,
        "days_overdue": max(-deadline.days_left(today), 0) if deadline else 0,
        "next_action": next_action(case, deadline, today),
        "resume_step": resume,
        "next_why": next_why(resume),
        "recent_events": list(case.events.select_related("actor").order_by("-created_at", "-id")[:5]),
        "evidence": (
            list(case.evidence.prefetch_related("offered_facts")) if getattr(case, "has_evidence", True) else []
        ),
        "reminder_plan": reminder_plan(case) if case.is_open else [],
        "limitation_plan": [(days, moment) for _k, days, moment in case.limitation_moments()]
        if case.is_open and case.limitation_reminder_at
        else [],
        "email_reminders": bool(case.owner.email) and getattr(profile, "email_reminders", True),
        "sms_reminders": bool(getattr(profile, "mobile", "")) and getattr(profile, "sms_reminders", True),
        "case_url": reverse("cases:case", args=[case.pk]),
        "advice": stats.provider_advice(case) if case.is_open else None,
        "volunteer_messages": list(
            case.comments.filter(visibility=Comment.Visibility.MERCHANT).select_related("author")
        )
        if getattr(case, "has_messages", True)
        else [],
    }
