"""The deadline sweep: reminders that go out once, on time, in the merchant's language.

Every few minutes (Celery beat, or ``manage.py sweep_deadlines``) the sweep

1. selects the steps whose ``next_reminder_at`` has passed (an indexed column)
   and the open cases whose limitation warning is due;
2. claims each with an UPDATE filtered on the old value, and in the same
   transaction writes the Reminder row (unique per step, kind and sequence),
   the in-app notification and the timeline event — so a reminder is recorded
   exactly once however many sweeps run at the same time;
3. delivers the pending reminder emails and text messages, each claimed the
   same way; a failed or interrupted delivery is retried by a later sweep.

Nothing is ever scheduled ahead in Celery: if Redis or the worker is down, the
next sweep catches up, sending the latest reminder that became due (older ones
are stale) and planning the next one after now.
"""

import datetime
import logging
import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from cases.models import Case, Event, Step
from cases.models import now as clock_now
from escalation import rungs
from escalation.models import Rung
from lib import chinatime, emails, sms
from reminders.models import Notification, Reminder, SweepRun

logger = logging.getLogger(__name__)

BATCH = 1000
QUEUE_AFTER_LAPSED = 3  # the third lapsed-or-repeat reminder: two went by without the merchant acting


@dataclass
class SweepResult:
    due: int = 0
    sent: int = 0
    skipped: int = 0
    delivered: int = 0
    full: bool = False  # a whole batch was due: more may be waiting

    def as_dict(self):
        return asdict(self)

    def summary(self):
        return f"due={self.due} sent={self.sent} skipped={self.skipped}"


def due_steps(now):
    return Step.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at")


def due_cases(now):
    return Case.objects.filter(limitation_reminder_at__lte=now, status=Case.Status.OPEN).order_by(
        "limitation_reminder_at"
    )


def sweep(now=None, dry_run=False):
    """Send every reminder that is due at ``now``; return the counts."""
    started = chinatime.now()
    now = now or clock_now()
    steps = list(due_steps(now).values_list("pk", "next_reminder_at")[:BATCH])
    cases = list(due_cases(now).values_list("pk", "limitation_reminder_at")[:BATCH])
    result = SweepResult(due=len(steps) + len(cases), full=len(steps) == BATCH or len(cases) == BATCH)
    if dry_run:
        return result
    for pk, scheduled in steps:
        if remind_step(pk, scheduled, now):
            result.sent += 1
        else:
            result.skipped += 1
    for pk, scheduled in cases:
        if remind_limitation(pk, scheduled, now):
            result.sent += 1
        else:
            result.skipped += 1
    result.delivered = deliver_pending(now)
    SweepRun.objects.create(
        started_at=started, finished_at=chinatime.now(), due=result.due, sent=result.sent, skipped=result.skipped
    )
    return result


def sweep_all(budget_seconds=None):
    """Sweep batch after batch until nothing more is due or ``SWEEP_BUDGET_SECONDS`` are spent.

    At 09:00 China time every reminder of the day falls due at once; this sends
    them in one go instead of one batch per beat interval.
    """
    budget = settings.SWEEP_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    total = SweepResult()
    while True:
        result = sweep()
        total.due += result.due
        total.sent += result.sent
        total.skipped += result.skipped
        total.delivered += result.delivered
        if not result.full or time.monotonic() - started >= budget:
            total.full = result.full
            return total


def remind_step(pk, scheduled, now):
    """Claim one due step and record its reminder; False when another sweep got there first."""
    with transaction.atomic():
        step = Step.objects.select_related("case__owner", "rung", "channel", "rule").get(pk=pk)
        latest, following = step.reminder_due(now)
        claimed = Step.objects.filter(pk=pk, next_reminder_at=scheduled).update(next_reminder_at=following)
        if claimed != 1 or latest is None or not step.is_live() or not step.case.is_open:
            return False
        kind, sequence, _moment = latest
        reminder, created = Reminder.objects.get_or_create(
            case=step.case, step=step, kind=kind, sequence=sequence, due_on=step.due_on
        )
        if not created:
            return False
        notify(reminder)
        if kind in {Reminder.Kind.LAPSED, Reminder.Kind.REPEAT}:
            queue_if_ignored(step)
    return True


def remind_limitation(pk, scheduled, now):
    """Claim one case whose limitation warning is due and record it."""
    with transaction.atomic():
        case = Case.objects.select_related("owner").get(pk=pk)
        latest = None
        following = None
        for entry in case.limitation_moments():
            if entry[2] <= now:
                latest = entry
            elif following is None:
                following = entry[2]
        claimed = Case.objects.filter(pk=pk, limitation_reminder_at=scheduled).update(limitation_reminder_at=following)
        if claimed != 1 or latest is None or chinatime.date_of(now) > case.limitation_on:
            return False
        _kind, days, _moment = latest
        reminder, created = Reminder.objects.get_or_create(
            case=case, step=None, kind=Reminder.Kind.LIMITATION, sequence=days, due_on=case.limitation_on
        )
        if not created:
            return False
        notify(reminder)
    return True


def notify(reminder):
    """The in-app notice and the timeline line for a new reminder (inside its transaction)."""
    case = reminder.case
    Notification.objects.create(
        user=case.owner,
        case=case,
        reminder=reminder,
        kind=Notification.Kind.of_reminder(reminder.kind),
        data={
            "due_on": reminder.due_on.isoformat(),
            "step": str(reminder.step_id) if reminder.step_id else "",
            "sequence": reminder.sequence,
        },
    )
    case.record(
        Event.Kind.REMINDER_SENT,
        None,
        reminder_kind=reminder.kind,
        sequence=reminder.sequence,
        due_on=reminder.due_on.isoformat(),
        step=str(reminder.step_id) if reminder.step_id else "",
    )


def queue_if_ignored(step):
    """Two lapsed reminders went by and the merchant did nothing: a volunteer should look."""
    lapsed = step.reminders.filter(kind__in=[Reminder.Kind.LAPSED, Reminder.Kind.REPEAT]).order_by("created_at")
    if lapsed.count() < QUEUE_AFTER_LAPSED:
        return
    first = lapsed.first()
    acted = step.case.events.filter(actor=step.case.owner, created_at__gt=first.created_at).exists()
    if not acted:
        step.case.enqueue(Case.QueueReason.REMINDERS_UNANSWERED)


def deliver_pending(now):
    """Send the reminder emails and text messages not sent yet; return how many went out."""
    return deliver(now, "email", send_reminder_email) + deliver(now, "sms", send_reminder_sms)


def deliver(now, channel, send):
    """Deliver one channel ("email" or "sms") of the pending reminders, each claimed so it goes out once.

    A claim older than the retry time is taken again (a worker died mid-send); a
    send that raises is retried by the next sweep; a recipient without the
    channel (no address, opted out) is marked skipped.
    """
    sent_at, claimed_at, skipped = f"{channel}_sent_at", f"{channel}_claimed_at", f"{channel}_skipped"
    stale = now - datetime.timedelta(seconds=settings.REMINDER_EMAIL_RETRY_SECONDS)
    pending = (
        Reminder.objects.filter(**{f"{sent_at}__isnull": True, skipped: False})
        .filter(Q(**{f"{claimed_at}__isnull": True}) | Q(**{f"{claimed_at}__lt": stale}))
        .order_by("created_at")
        .values_list("pk", claimed_at)[:BATCH]
    )
    delivered = 0
    for pk, claimed in list(pending):
        taken = Reminder.objects.filter(pk=pk, **{f"{sent_at}__isnull": True, claimed_at: claimed}).update(
            **{claimed_at: now}
        )
        if taken != 1:
            continue
        reminder = Reminder.objects.select_related("case__owner__profile", "step__channel", "step__rung").get(pk=pk)
        try:
            went = send(reminder)
        except Exception:  # noqa: BLE001 - the next sweep retries; no personal data in the log line
            logger.exception("reminder %s %s failed; will retry", channel, pk)
            continue
        if went:
            Reminder.objects.filter(pk=pk).update(**{sent_at: chinatime.now()})
            delivered += 1
        else:
            Reminder.objects.filter(pk=pk).update(**{skipped: True})
    return delivered


def next_rung(case):
    return Rung.objects.filter(position=min(case.rung.position + 1, rungs.LAST)).first()


def send_reminder_email(reminder):
    """Email one reminder in the owner's language; False when they have no address or opted out."""
    case = reminder.case
    owner = case.owner
    profile = getattr(owner, "profile", None)
    if not owner.email or (profile and not profile.email_reminders):
        return False
    language = profile.language if profile else "zh-hans"
    step = reminder.step
    context = {
        "reminder": reminder,
        "case": case,
        "step": step,
        "name": profile.full_name if profile else owner.get_full_name(),
        "next_rung": next_rung(case),
        "case_url": emails.absolute(f"/cases/{case.pk}/"),
        "snooze_url": emails.snooze_url(step) if step else "",
        "unsubscribe_url": emails.unsubscribe_url(owner),
        "provisional": bool(step and step.due_provisional),
    }
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    emails.send(f"reminder_{reminder.kind}", owner.email, context, language, headers=headers)
    return True


def send_reminder_sms(reminder):
    """Text one reminder to the owner's mobile in their language; False when they have none or opted out.

    A text is short and true for every kind of reminder: the date to watch and the
    case's link; the email and the in-app notice say what the date means.
    """
    case = reminder.case
    profile = getattr(case.owner, "profile", None)
    if profile is None or not profile.sms_reminders or not profile.mobile or not sms.available():
        return False  # skipped, not retried: a site without SMS settings sends none
    with translation.override(profile.language):
        provider = case.provider_name or gettext("the other side")
    params = {"provider": provider, "date": reminder.due_on.isoformat(), "url": emails.absolute(f"/cases/{case.pk}/")}
    sms.send(profile.mobile, "reminder", params, language=profile.language)
    return True
