import datetime
import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from escalation import clock
from escalation.models import Channel, DeadlineRule, Rung
from lib.chinatime import date_of

from .base import at_china_hour, china_today
from .base import now as clock_now
from .events import Event


class Step(models.Model):
    """One attempt at one rung or channel: when it started, when the other side's time is up, what came back."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        REFUNDED = "refunded", _("Refunded")
        PROMISED = "promised", _("Promised a refund")
        REFUSED = "refused", _("Refused")
        NO_ANSWER = "no_answer", _("No answer")
        ACCEPTED = "accepted", _("Accepted the complaint")

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        APP = "app", _("In-app ticket or chat")
        ONLINE = "online", _("Website or online platform")
        EMAIL = "email", _("Email")
        POST = "post", _("Post (EMS)")
        IN_PERSON = "in_person", _("In person")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("disputes.Case", on_delete=models.CASCADE, related_name="steps", verbose_name=_("case"))
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
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("provisional due date"), default=False)
    maximum_on = models.DateField(_("latest date with extensions"), null=True, blank=True)
    unlocks_on = models.DateField(_("escalation unlocks on"), null=True, blank=True)
    next_reminder_at = models.DateTimeField(_("next reminder"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["started_on", "created_at"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return f"{self.rung} · {self.started_on}"

    @property
    def is_waiting(self):
        return self.outcome in {self.Outcome.PENDING, self.Outcome.PROMISED} and not self.superseded

    def due_on_for(self, rule, overrides=clock.NO_OVERRIDES):
        """The due date under ``rule`` for this step's start date (a date in China's calendar)."""
        return clock.due_date(rule, self.started_on, overrides)

    def schedule(self, overrides=clock.NO_OVERRIDES):
        """Compute the due date, the latest date and the first reminder from the step's rule."""
        if self.rule is None:
            self.due_on = self.maximum_on = self.unlocks_on = self.next_reminder_at = None
            return
        due = self.due_on_for(self.rule, overrides)
        self.due_on = due
        self.due_provisional = due.provisional
        self.maximum_on = clock.maximum_date(self.rule, self.started_on, overrides)
        unlock = self.rule.escalation_unlocks
        if unlock == DeadlineRule.Unlock.ANYTIME:
            self.unlocks_on = self.started_on
        elif unlock == DeadlineRule.Unlock.AT_MAXIMUM and self.maximum_on:
            self.unlocks_on = self.maximum_on
        else:
            self.unlocks_on = due
        self.next_reminder_at = self.first_reminder_at()

    # ----- reminders ------------------------------------------------------------------------------

    def reminder_moments(self):
        """The reminders the rule plans for this deadline, in order, as (kind, sequence, moment).

        Due soon (the rule's offset before the due date), lapsed (on the due
        date), then a repeat every ``repeat_every_days``: the repeats never end,
        so callers stop iterating. All at 09:00 China time.
        """
        rule = self.rule
        if rule is None or self.due_on is None:
            return
        due = self.due_on
        start = at_china_hour(self.started_on)
        if rule.remind_days_before:
            moment = at_china_hour(due - datetime.timedelta(days=rule.remind_days_before))
            if start <= moment < at_china_hour(due):
                yield "due_soon", 1, moment
        if rule.remind_on_due_date:
            yield "lapsed", 1, at_china_hour(due)
        if rule.repeat_every_days:
            sequence = 1
            while True:
                yield (
                    "repeat",
                    sequence,
                    at_china_hour(due + datetime.timedelta(days=rule.repeat_every_days * sequence)),
                )
                sequence += 1

    def first_reminder_at(self):
        return next((moment for _kind, _sequence, moment in self.reminder_moments()), None)

    def reminder_due(self, now):
        """What to send at ``now``: the latest planned reminder not after ``now`` (older ones are
        stale and skipped), and the moment of the next one after ``now`` (None when none is left)."""
        latest = None
        for kind, sequence, moment in self.reminder_moments():
            if moment > now:
                return latest, moment
            latest = (kind, sequence, moment)
        return latest, None

    def reminder_plan(self, limit=4):
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

    def is_overdue(self, today=None):
        """True when the other side's time is up and no answer was recorded."""
        today = today or china_today()
        return self.is_waiting and self.due_on is not None and today > self.due_on

    def escalation_unlocked(self, today=None):
        today = today or china_today()
        return self.unlocks_on is not None and today >= self.unlocks_on

    def days_left(self, today=None):
        today = today or china_today()
        return (self.due_on - today).days if self.due_on else None

    def snooze(self, actor, days=7, now=None):
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

    def record_answer(self, outcome, answered_on, notes, actor):
        """Record what the other side answered; an answer stops this step's reminders.

        When a regulator accepts a complaint, the channel's follow-up rule
        (for example 12315's 45 working days of mediation) starts a new step.
        """
        with transaction.atomic():
            self.outcome = outcome
            self.answered_on = answered_on
            self.answer_notes = notes
            self.next_reminder_at = None
            self.save(update_fields=["outcome", "answered_on", "answer_notes", "next_reminder_at"])
            self.case.forget_steps()
            self.case.record(
                Event.Kind.ANSWER_RECORDED,
                actor,
                step=str(self.pk),
                rung=self.rung.position,
                outcome=outcome,
                on=answered_on.isoformat(),
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
