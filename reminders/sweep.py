"""The deadline sweep: reminders that go out once, on time, in the merchant's language.

Every few minutes (Celery beat, or ``manage.py sweep_deadlines``) the sweep takes what is due
in batches of ``BATCH``, each batch in one transaction:

1. It reads the steps whose ``next_reminder_at`` has passed (an indexed column), with their
   case and deadline rule, in one query that also locks them: ``SELECT … FOR NO KEY UPDATE
   SKIP LOCKED`` on PostgreSQL, so several workers sweeping at once each take other steps.
   (SQLite has no row locks: its write transactions, opened ``IMMEDIATE``, run one at a time.)
2. For each step it works out the reminder to send (the latest one due: older ones are stale)
   and the moment of the next one, and claims the whole batch with one UPDATE that plans those
   moments only where ``next_reminder_at`` still holds the value read (reminders/claims.py).
   A snooze, an answer or a new deadline that got there first stands, and that step sends nothing.
3. It writes the claimed steps' Reminder rows (unique per step, kind, sequence and deadline),
   their in-app notifications and their timeline events with one INSERT each, and puts in the
   volunteers' queue a case whose merchant let the lapsed reminders go by.

The open cases whose limitation warning is due go the same way. Whatever the number of sweeps
running, a reminder is recorded exactly once: a sweep that dies mid-batch rolls back its claim
with the rows it wrote, and the next sweep finds the batch still due.

Then the emails and text messages not sent yet are claimed and handed, in chunks, to the
message workers (reminders/delivery.py); a failed or interrupted delivery is retried by a later
sweep. Nothing is ever scheduled ahead in Celery: if Redis or the worker is down, the next sweep
catches up, sending the latest reminder that became due and planning the next one after now.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Min

from cases.models import Case, Event, Step
from cases.models import now as clock_now
from lib import chinatime
from reminders import claims, delivery
from reminders.models import Notification, Reminder, SweepRun

logger = logging.getLogger(__name__)

BATCH = 1000
QUEUE_AFTER_LAPSED = 3  # the third lapsed-or-repeat reminder: two went by without the merchant acting
KEEPS_QUEUEING = [Reminder.Kind.LAPSED, Reminder.Kind.REPEAT]

# What the sweep reads of a due step and its case: its planned reminders, whether it is live, who to tell.
STEP_FIELDS = [
    "id",
    "rung_id",
    "started_on",
    "outcome",
    "superseded",
    "promised_on",
    "due_on",
    "next_reminder_at",
    "rule",
    "case__id",
    "case__rung_id",
    "case__owner_id",
    "case__status",
    "case__queued_at",
]
CASE_FIELDS = ["id", "owner_id", "status", "limitation_on", "limitation_reminder_at"]


@dataclass
class SweepResult:
    due: int = 0
    sent: int = 0
    skipped: int = 0
    dispatched: int = 0  # emails and text messages handed to the message workers
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


def locked(queryset):
    """The rows of ``queryset``, locked for this transaction; rows another sweep holds are skipped."""
    return queryset.select_for_update(skip_locked=True, no_key=True, of=("self",))


def sweep(now=None, dry_run=False):
    """Send the reminders of one batch due at ``now``; return the counts."""
    started = chinatime.now()
    now = now or clock_now()
    if dry_run:
        steps = len(due_steps(now).values_list("pk")[:BATCH])
        cases = len(due_cases(now).values_list("pk")[:BATCH])
        return SweepResult(due=steps + cases, full=BATCH in (steps, cases))
    result = SweepResult()
    steps = remind_steps(now, result)
    cases = remind_limitations(now, result)
    result.dispatched, more = delivery.fan_out(now, BATCH)
    result.full = BATCH in (steps, cases) or more
    SweepRun.objects.create(
        started_at=started, finished_at=chinatime.now(), due=result.due, sent=result.sent, skipped=result.skipped
    )
    return result


def sweep_all(budget_seconds=None, on_full: Callable[[], None] | None = None):
    """Sweep batch after batch until nothing more is due or ``SWEEP_BUDGET_SECONDS`` are spent.

    At 09:00 China time every reminder of the day falls due at once; this sends
    them in one go instead of one batch per beat interval. ``on_full`` is called
    once, after the first whole batch: more sweeps may join in (reminders.tasks).
    """
    budget = settings.SWEEP_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    total = SweepResult()
    while True:
        result = sweep()
        total.due += result.due
        total.sent += result.sent
        total.skipped += result.skipped
        total.dispatched += result.dispatched
        if result.full and on_full is not None:
            on_full()
            on_full = None
        if not result.full or time.monotonic() - started >= budget:
            total.full = result.full
            return total


def remind_steps(now, result):
    """Record the reminders of one batch of due steps; return how many steps were due."""
    with transaction.atomic():
        steps = list(locked(due_steps(now).select_related("case", "rule").only(*STEP_FIELDS))[:BATCH])
        planned = {step.pk: step.reminder_due(now) for step in steps}
        claimed = claims.plan(
            Step, "next_reminder_at", [(step.pk, step.next_reminder_at, planned[step.pk][1]) for step in steps]
        )
        wanted = []
        for step in steps:
            latest = planned[step.pk][0]
            if step.pk in claimed and latest is not None and step.is_live() and step.case.is_open:
                kind, sequence, _moment = latest
                wanted.append(Reminder(case=step.case, step=step, kind=kind, sequence=sequence, due_on=step.due_on))
        sent = Reminder.objects.filter(step__in=[reminder.step for reminder in wanted])
        reminders = record(wanted, sent.values_list("step", "kind", "sequence", "due_on"), key=step_key)
        if reminders:
            notify(reminders)
            queue_if_ignored([reminder.step for reminder in reminders if reminder.kind in KEEPS_QUEUEING])
    count(result, len(steps), len(reminders))
    return len(steps)


def remind_limitations(now, result):
    """Record the limitation warnings of one batch of open cases; return how many cases were due."""
    today = chinatime.date_of(now)
    with transaction.atomic():
        cases = list(locked(due_cases(now).only(*CASE_FIELDS))[:BATCH])
        planned = {}
        for case in cases:
            latest = following = None
            for entry in case.limitation_moments():
                if entry[2] <= now:
                    latest = entry
                elif following is None:
                    following = entry[2]
            planned[case.pk] = (latest, following)
        claimed = claims.plan(
            Case,
            "limitation_reminder_at",
            [(case.pk, case.limitation_reminder_at, planned[case.pk][1]) for case in cases],
        )
        wanted = []
        for case in cases:
            latest = planned[case.pk][0]
            if case.pk in claimed and latest is not None and today <= case.limitation_on:
                _kind, days, _moment = latest
                wanted.append(
                    Reminder(
                        case=case, step=None, kind=Reminder.Kind.LIMITATION, sequence=days, due_on=case.limitation_on
                    )
                )
        sent = Reminder.objects.filter(
            case__in=[reminder.case for reminder in wanted], step__isnull=True, kind=Reminder.Kind.LIMITATION
        )
        reminders = record(wanted, sent.values_list("case", "kind", "sequence", "due_on"), key=case_key)
        if reminders:
            notify(reminders)
    count(result, len(cases), len(reminders))
    return len(cases)


def step_key(reminder):
    return (reminder.step_id, reminder.kind, reminder.sequence, reminder.due_on)


def case_key(reminder):
    return (reminder.case_id, reminder.kind, reminder.sequence, reminder.due_on)


def record(wanted, existing: Iterable[tuple], key) -> list[Reminder]:
    """Insert the reminders not recorded before (one INSERT); the ones inserted, with their ids."""
    if not wanted:
        return []
    seen = set(existing)
    new = []
    for reminder in wanted:
        if key(reminder) not in seen:
            seen.add(key(reminder))
            new.append(reminder)
    return Reminder.objects.bulk_create(new)


def count(result, due, sent):
    result.due += due
    result.sent += sent
    result.skipped += due - sent


def notify(reminders):
    """The in-app notices and the timeline lines of new reminders, one INSERT each (inside their transaction)."""
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=reminder.case.owner_id,
                case=reminder.case,
                reminder=reminder,
                kind=Notification.Kind.of_reminder(reminder.kind),
                data={
                    "due_on": reminder.due_on.isoformat(),
                    "step": str(reminder.step_id) if reminder.step_id else "",
                    "sequence": reminder.sequence,
                },
            )
            for reminder in reminders
        ]
    )
    Case.record_each(
        Event.Kind.REMINDER_SENT,
        None,
        [
            (
                reminder.case,
                {
                    "reminder_kind": reminder.kind,
                    "sequence": reminder.sequence,
                    "due_on": reminder.due_on.isoformat(),
                    "step": str(reminder.step_id) if reminder.step_id else "",
                },
            )
            for reminder in reminders
        ],
    )


def queue_if_ignored(steps):
    """Two lapsed reminders went by and the merchant did nothing: a volunteer should look.

    ``steps`` just got a lapsed or repeat reminder. A step whose lapsed and repeat
    reminders number ``QUEUE_AFTER_LAPSED`` or more, on a case whose owner did
    nothing since the first of them, puts its case in the queue (once).
    """
    waiting = {step.pk: step for step in steps if step.case.queued_at is None}
    if not waiting:
        return
    counted = (
        Reminder.objects.filter(step__in=list(waiting), kind__in=KEEPS_QUEUEING)
        .values("step")
        .annotate(reminders=Count("pk"), first=Min("created_at"))
        .filter(reminders__gte=QUEUE_AFTER_LAPSED)
    )
    ignored = {row["step"]: row["first"] for row in counted}
    if not ignored:
        return
    cases = {waiting[pk].case_id: waiting[pk].case for pk in ignored}
    last_acted = dict(
        Event.objects.filter(case__in=list(cases), actor=F("case__owner"))
        .values("case")
        .annotate(last=Max("created_at"))
        .values_list("case", "last")
    )
    queued = set()
    for pk in sorted(ignored, key=lambda pk: str(waiting[pk].case_id)):  # one order: no two sweeps wait on each other
        case = waiting[pk].case
        acted = last_acted.get(case.pk)
        if case.pk not in queued and (acted is None or acted <= ignored[pk]):
            case.enqueue(Case.QueueReason.REMINDERS_UNANSWERED)
            queued.add(case.pk)
