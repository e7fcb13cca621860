from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeAlias

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cases.models.base import at_china_hour, china_today
from cases.models.base import now as clock_now
from cases.models.events import Event
from escalation import clock
from escalation.models import Channel, DeadlineRule, Rung
from lib.chinatime import date_of

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL: django-stubs' plugin resolves this alias to it.
    from django.contrib.auth.models import _User as User

# One planned reminder: (kind, sequence, moment), e.g. ("due_soon", 1, 09:00 two days before the due date).
ReminderMoment: TypeAlias = tuple[str, int, datetime.datetime]

# How long a sent step takes to reach the other side when nobody recorded its delivery:
# EMS about three days; what goes electronically, by phone or by hand, the same day (domain.md §8.5).
DELIVERY_ESTIMATE_DAYS = {"post": 3, "other": 3, "": 3}


class Step(models.Model):
    """One attempt at one rung or channel: when it started, when the other side's time is up, what came back."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        REFUNDED = "refunded", _("Refunded")
        PROMISED = "promised", _("Promised a refund")
        REFUSED = "refused", _("Refused")
        NO_ANSWER = "no_answer", _("No answer")
        ACCEPTED = "accepted", _("Accepted the complaint")
        REDIRECTED = "redirected", _("Sent me to someone else")
        PARTIAL = "partial", _("Refunded part of it")

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        APP = "app", _("In-app ticket or chat")
        ONLINE = "online", _("Website or online platform")
        EMAIL = "email", _("Email")
        POST = "post", _("Post (EMS)")
        IN_PERSON = "in_person", _("In person")
        OTHER = "other", _("Other")

    class DeliveryProof(models.TextChoices):
        TRACKING = "tracking", _("Postal tracking (EMS) shows it delivered")
        READ_RECEIPT = "read_receipt", _("Read receipt or reply to my email")
        CONFIRMATION = "confirmation", _("Confirmation in their app, website or ticket")
        SIGNED = "signed", _("They signed or stamped a copy")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="steps", verbose_name=_("case"))
    rung = models.ForeignKey(Rung, on_delete=models.PROTECT, related_name="+", verbose_name=_("rung"))
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("channel")
    )
    rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("deadline rule")
    )
    started_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=16, choices=Method.choices, blank=True)
    reference = models.CharField(_("ticket, tracking or filing number"), max_length=100, blank=True)
    recipient = models.CharField(_("sent to"), max_length=200, blank=True)
    notes = models.TextField(_("what happened"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_notes = models.TextField(_("their answer"), blank=True)
    superseded = models.BooleanField(_("superseded by a later attempt"), default=False)
    extra = models.JSONField(_("other details from a case file"), default=dict, blank=True)
    delivered_on = models.DateField(
        _("delivered on"), null=True, blank=True, help_text=_("When the other side received it, if known.")
    )
    delivery_proof = models.CharField(
        _("how the delivery is known"), max_length=16, choices=DeliveryProof.choices, blank=True
    )
    promised_on = models.DateField(_("refund promised by"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("provisional due date"), default=False)
    due_extended_from = models.DateField(
        _("last day before the rest-day extension"),
        null=True,
        blank=True,
        help_text=_("Set when the period's last day was a weekend or holiday and it ran on to the next working day."),
    )
    maximum_on = models.DateField(_("latest date with extensions"), null=True, blank=True)
    unlocks_on = models.DateField(_("escalation unlocks on"), null=True, blank=True)
    next_reminder_at = models.DateTimeField(_("next reminder"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "disputes_step"
        ordering = ["started_on", "created_at"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.rung} · {self.started_on}"

    WAITING = [Outcome.PENDING, Outcome.PROMISED]

    @property
    def is_waiting(self) -> bool:
        return self.outcome in self.WAITING and not self.superseded

    @classmethod
    def live_condition(cls) -> models.Q:
        """``is_live`` as a query condition on steps."""
        return models.Q(outcome__in=cls.WAITING, superseded=False, rung=models.F("case__rung"))

    # ----- the deadline ------------------------------------------------------------------------------

    @property
    def counts_from_receipt(self) -> bool:
        """True when the rule's clock starts when the other side receives the step (domain.md §8.5)."""
        return self.rule is not None and self.rule.starts_on == DeadlineRule.Start.DELIVERED

    def estimated_delivery_on(self) -> datetime.date:
        """When a sent step probably reached the other side: EMS three days, electronic or by hand the same day."""
        days = DELIVERY_ESTIMATE_DAYS.get(self.method, 0)
        return self.started_on + datetime.timedelta(days=days)

    def clock_start(self) -> tuple[datetime.date, bool]:
        """The day the rule's period counts from, and whether that day is an estimate.

        A rule that runs from receipt counts from the recorded delivery date; until
        one is recorded, from the estimated delivery (``estimated_delivery_on``).
        Every other rule counts from the step's own date (sent, filed, accepted).
        """
        if not self.counts_from_receipt:
            return self.started_on, False
        if self.delivered_on is not None:
            return self.delivered_on, False
        if self.method in {self.Method.IN_PERSON, self.Method.PHONE}:
            return self.started_on, False  # handed over or said in person: received that day
        return self.estimated_delivery_on(), True

    @property
    def delivery_estimated(self) -> bool:
        return self.clock_start()[1]

    @property
    def has_due_notes(self) -> bool:
        """Whether the due date needs explaining: counted from receipt, moved past a holiday, or provisional."""
        from_receipt = self.counts_from_receipt and not self.promised_on
        return bool(from_receipt or self.due_extended_from or self.due_provisional)

    def due_on_for(self, rule: DeadlineRule, overrides: clock.Overrides = clock.NO_OVERRIDES) -> clock.Due:
        """The due date under ``rule`` counted from ``clock_start`` (a date in China's calendar)."""
        start = self.clock_start()[0] if rule == self.rule else self.started_on
        return clock.due_date(rule, start, overrides)

    def schedule(self, overrides: clock.Overrides = clock.NO_OVERRIDES, remind: bool = True) -> None:
        """Compute the due date, the latest date and the first reminder.

        A period's last day that is a rest day runs on to the next working day
        (``clock.add_days``). A promise to refund by a date makes that date the
        deadline: reminders then come on the promised date, not under the rule.
        ``remind=False`` computes the dates but plans no reminder (a step of a
        rung the case has left behind).
        """
        day = datetime.timedelta(days=1)
        if self.outcome == self.Outcome.PROMISED and self.promised_on is not None:
            # A promise whose date has not passed is not yet a refusal: the day after it, it is.
            self.due_on = self.promised_on
            self.unlocks_on = self.promised_on + day
            self.due_provisional = False
            self.due_extended_from = self.maximum_on = None
        elif self.rule is None:
            self.due_on = self.maximum_on = self.unlocks_on = self.due_extended_from = None
            self.due_provisional = False
        else:
            start = self.clock_start()[0]
            due = clock.due_date(self.rule, start, overrides)
            self.due_on = datetime.date(due.year, due.month, due.day)
            self.due_provisional = due.provisional
            self.due_extended_from = due.extended_from
            self.maximum_on = clock.maximum_date(self.rule, start, overrides)
            # Their time runs to the end of the last day (民法典 Art. 203): the next rung opens the day after.
            unlock = self.rule.escalation_unlocks
            if unlock == DeadlineRule.Unlock.ANYTIME:
                self.unlocks_on = self.started_on
            elif unlock == DeadlineRule.Unlock.AT_MAXIMUM and self.maximum_on:
                self.unlocks_on = self.maximum_on + day
            else:
                self.unlocks_on = self.due_on + day
        self.next_reminder_at = self.first_reminder_at() if remind else None

    SCHEDULE_FIELDS = [
        "due_on",
        "due_provisional",
        "due_extended_from",
        "maximum_on",
        "unlocks_on",
        "next_reminder_at",
    ]

    # ----- reminders ------------------------------------------------------------------------------

    def reminder_moments(self) -> Iterator[ReminderMoment]:
        """The reminders planned for this deadline, in order, as (kind, sequence, moment).

        Due soon (the rule's offset before the due date), lapsed (the morning
        after the last day, when their time is up), then a repeat every
        ``repeat_every_days`` after the due date: the repeats never end, so
        callers stop iterating. A promise to refund by a date plans a reminder
        on that date instead, then the repeats. All at 09:00 China time.
        """
        rule = self.rule
        if self.due_on is None:
            return
        due = self.due_on
        if self.outcome == self.Outcome.PROMISED and self.promised_on is not None:
            # Their own promise is the deadline: ask on that day whether the money came, then weekly.
            repeat = rule.repeat_every_days if rule is not None else 7
            sequence = 1
            while True:
                yield "promise", sequence, at_china_hour(due + datetime.timedelta(days=repeat * (sequence - 1)))
                if not repeat:
                    return
                sequence += 1
        if rule is None:
            return
        start = at_china_hour(self.started_on)
        if rule.remind_days_before:
            moment = at_china_hour(due - datetime.timedelta(days=rule.remind_days_before))
            if start <= moment < at_china_hour(due):
                yield "due_soon", 1, moment
        if rule.remind_on_due_date:
            yield "lapsed", 1, at_china_hour(due + datetime.timedelta(days=1))
        if rule.repeat_every_days:
            sequence = 1
            while True:
                yield (
                    "repeat",
                    sequence,
                    at_china_hour(due + datetime.timedelta(days=rule.repeat_every_days * sequence)),
                )
                sequence += 1

    def first_reminder_at(self) -> datetime.datetime | None:
        return next((moment for _kind, _sequence, moment in self.reminder_moments()), None)

    def reminder_due(self, now: datetime.datetime) -> tuple[ReminderMoment | None, datetime.datetime | None]:
        """What to send at ``now``: the latest planned reminder not after ``now`` (older ones are
        stale and skipped), and the moment of the next one after ``now`` (None when none is left)."""
        latest: ReminderMoment | None = None
        for kind, sequence, moment in self.reminder_moments():
            if moment > now:
                return latest, moment
            latest = (kind, sequence, moment)
        return latest, None

    def reminder_plan(self, limit: int = 4) -> list[ReminderMoment]:
        """The next reminders, as the sweep will send them: [(kind, sequence, moment)].

        The first goes out at ``next_reminder_at`` (which a snooze may have
        pushed back); the ones after it follow the rule.
        """
        start = self.next_reminder_at
        if start is None:
            return []
        latest, _next = self.reminder_due(start)
        plan = [(latest[0], latest[1], start)] if latest else []
        for kind, sequence, moment in self.reminder_moments():
            if len(plan) >= limit:
                break
            if moment > start:
                plan.append((kind, sequence, moment))
        return plan

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """True when the other side's time is up on a live deadline and no answer was recorded."""
        today = today or china_today()
        return self.due_on is not None and today > self.due_on and self.is_live()

    def escalation_unlocked(self, today: datetime.date | None = None) -> bool:
        today = today or china_today()
        return self.unlocks_on is not None and today >= self.unlocks_on

    def days_left(self, today: datetime.date | None = None) -> int | None:
        today = today or china_today()
        return (self.due_on - today).days if self.due_on else None

    def snooze(self, actor: User | None, days: int = 7, now: datetime.datetime | None = None) -> bool:
        """No reminder for this step for ``days`` days; the timeline notes it."""
        now = now or clock_now()
        until = at_china_hour(date_of(now) + datetime.timedelta(days=days))
        with transaction.atomic():
            updated = Step.objects.filter(pk=self.pk, next_reminder_at__isnull=False).update(next_reminder_at=until)
            if updated:
                self.next_reminder_at = until
                self.case.forget_steps()
                self.case.record(Event.Kind.SNOOZED, actor, step=str(self.pk), until=until.date().isoformat())
        return bool(updated)

    def is_live(self) -> bool:
        """True for a step whose deadline counts: waiting for an answer, at the rung the case is on.

        A step answered, superseded by a later attempt at the same place, or left
        behind when the case moved up the ladder is history, not a deadline.
        """
        return self.is_waiting and self.rung_id == self.case.rung_id

    def record_answer(
        self,
        outcome: str,
        answered_on: datetime.date,
        notes: str,
        actor: User | None,
        promised_on: datetime.date | None = None,
    ) -> Step | None:
        """Record what the other side answered.

        A refund, a refusal, silence or an acceptance ends this step's reminders.
        A promise to refund keeps the step waiting: with a date, that date becomes
        the deadline and the reminders come on it; without one, the rule's
        deadline and its reminders stand. When a regulator accepts a complaint,
        the channel's follow-up rule (for example 12315's 45 working days of
        mediation) starts a new step.
        """
        from escalation import cache as ladder

        with transaction.atomic():
            self.outcome = outcome
            self.answered_on = answered_on
            self.answer_notes = notes
            if outcome == self.Outcome.PROMISED:
                self.promised_on = promised_on
                if promised_on is not None:
                    self.schedule(ladder.overrides(), remind=self.is_live() and self.case.is_open)
            else:
                self.next_reminder_at = None
            self.save(update_fields=["outcome", "answered_on", "answer_notes", "promised_on", *self.SCHEDULE_FIELDS])
            self.case.forget_steps()
            self.case.record(
                Event.Kind.ANSWER_RECORDED,
                actor,
                step=str(self.pk),
                rung=self.rung.position,
                outcome=outcome,
                on=answered_on.isoformat(),
                promised_on=promised_on.isoformat() if promised_on else None,
            )
            follow_up = None
            if outcome == self.Outcome.ACCEPTED and self.channel_id:
                rule = DeadlineRule.objects.filter(
                    channel_id=self.channel_id, is_primary=False, starts_on=DeadlineRule.Start.ACCEPTED
                ).first()
                if rule is not None:
                    follow_up = self.case.log_step(
                        rung=self.rung,
                        channel=self.channel,
                        rule=rule,
                        actor=actor,
                        started_on=answered_on,
                        method=self.method,
                        reference=self.reference,
                        notes=rule.name_zh,
                    )
        return follow_up

    def record_delivery(
        self, delivered_on: datetime.date, proof: str, actor: User | None, today: datetime.date | None = None
    ) -> None:
        """Record when the other side received this step, and recompute a deadline counted from receipt.

        The reminders follow the new date; a written demand's delivery also
        restarts the limitation period from that day (民法典 Art. 195).
        """
        from escalation import cache as ladder

        today = today or china_today()
        if delivered_on < self.started_on or delivered_on > today:
            raise ValueError("a delivery date lies between the sending date and today")
        with transaction.atomic():
            before = self.due_on
            self.delivered_on = delivered_on
            self.delivery_proof = proof
            if self.is_waiting and not (self.outcome == self.Outcome.PROMISED and self.promised_on):
                self.schedule(ladder.overrides(), remind=self.is_live() and self.case.is_open)
            self.save(update_fields=["delivered_on", "delivery_proof", *self.SCHEDULE_FIELDS])
            case = self.case
            case.forget_steps()
            case.record(
                Event.Kind.DELIVERY_RECORDED,
                actor,
                step=str(self.pk),
                rung=self.rung.position,
                on=delivered_on.isoformat(),
                proof=proof,
                due_before=before.isoformat() if before else None,
                due_on=self.due_on.isoformat() if self.due_on else None,
            )
            if self.rung.code == Rung.Code.WRITTEN_APPLICATION:
                case.refresh_limitation()

    def reschedule(self, overrides: clock.Overrides, actor: User | None = None, reason: str = "") -> bool:
        """Recompute this waiting step's deadline (new holiday data, an edited rule); True when it moved.

        The timeline notes a moved deadline, with the reason.
        """
        before = (self.due_on, self.due_provisional, self.maximum_on)
        planned = self.next_reminder_at
        self.schedule(overrides, remind=self.is_live() and self.case.is_open)
        if (self.due_on, self.due_provisional, self.maximum_on) == before:
            self.next_reminder_at = planned  # nothing moved: a snooze stands
            return False
        self.save(update_fields=self.SCHEDULE_FIELDS)
        self.case.record(
            Event.Kind.DEADLINE_RECOMPUTED,
            actor,
            step=str(self.pk),
            rung=self.rung.position,
            due_before=before[0].isoformat() if before[0] else None,
            due_on=self.due_on.isoformat() if self.due_on else None,
            provisional=self.due_provisional,
            reason=reason,
        )
        return True
