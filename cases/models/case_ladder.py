"""How a case moves up the ladder: its live deadline, the rungs it may enter, the limitation
period, the volunteers' queue, and the state changes of the ladder (enter a rung, log a step,
resolve, withdraw, reopen). A mixin of Case; each change writes its timeline Event atomically."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from cases.models.base import at_china_hour, china_today
from cases.models.events import Event
from cases.models.steps import Step
from escalation import cache as ladder
from escalation import clock, rungs
from escalation.models import Rung
from lib import chinatime

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL: django-stubs' plugin resolves this alias to it.
    from django.contrib.auth.models import _User as User

    from cases.models.case import Case
    from cases.models.steps import ReminderMoment
    from escalation.models import Channel, DeadlineRule


class LadderMoves:
    """Case's ladder: its deadlines and the changes that move it (mixed into Case).

    The methods read and write Case's fields, so their ``self`` is annotated as the Case; mypy
    wants a method's self type to be a supertype of its class (misc), which a mixin's cannot be.
    """

    if TYPE_CHECKING:
        # Case's fields these methods assign, as Case has them: without these mypy would take the
        # assignments for new attributes of the mixin, then find Case's fields incompatible with them.
        rung: Rung
        status: str
        limitation_on: datetime.date | None
        limitation_reminder_at: datetime.datetime | None
        queued_at: datetime.datetime | None
        queue_reason: str
        assigned_to: User | None
        assigned_at: datetime.datetime | None
        recovered_amount: Decimal | None
        recovered_on: datetime.date | None
        recovered_rung: Rung | None
        closed_at: datetime.datetime | None
        withdrawn_reason: str
        purge_notice_sent_at: datetime.datetime | None

    # ----- the live deadline: one answer for every page, list, feed and reminder ------------------

    @staticmethod
    def live_steps_condition() -> models.Q:
        """``Step.is_live`` as a condition on a case's steps, for filters and annotations over cases."""
        return models.Q(steps__outcome__in=Step.WAITING, steps__superseded=False, steps__rung=models.F("rung"))

    def live_steps(self: Case) -> list[Step]:  # type: ignore[misc]
        """The steps whose deadlines count now (``Step.is_live``), soonest first."""
        live = [step for step in self.step_list if step.is_waiting and step.rung_id == self.rung_id]
        return sorted(live, key=lambda step: (step.due_on is None, step.due_on or datetime.date.min))

    def live_deadline(self: Case) -> Step | None:  # type: ignore[misc]
        """The live step whose deadline comes first, or None: "the" deadline everywhere it is shown."""
        if not self.is_open:
            return None
        return next((step for step in self.live_steps() if step.due_on is not None), None)

    def latest_step_here(self: Case) -> Step | None:  # type: ignore[misc]
        """The latest step not superseded at the rung the case is on, or None."""
        here = [step for step in self.step_list if step.rung_id == self.rung_id and not step.superseded]
        return max(here, key=lambda step: (step.started_on, step.created_at), default=None)

    def entry_blocker(self: Case, rung: Rung, today: datetime.date | None = None) -> str | None:  # type: ignore[misc]
        """Why entering ``rung`` now would be early, or None when the merchant may go there.

        In order means: not skipping a rung, and the current rung was tried and
        either answered with a refusal or silence, or the other side's time is up.
        """
        today = today or china_today()
        if rung.position <= self.rung.position:
            return None
        if rung.position > self.rung.position + 1:
            return "skips"
        if self.rung.position == rungs.POLICY:
            return None if self.policy_read_at else "not_tried"
        latest = self.latest_step_here()
        if latest is None:
            return "not_tried"
        if latest.outcome in {Step.Outcome.REFUSED, Step.Outcome.NO_ANSWER} or latest.escalation_unlocked(today):
            return None
        return "waiting"

    def application_rule(self: Case) -> DeadlineRule | None:  # type: ignore[misc]
        """The rule the written refund application asks the institution to keep (its reply days)."""
        return ladder.primary_rule(rung=ladder.rung(rungs.APPLICATION))

    def limitation_rule(self: Case) -> DeadlineRule | None:  # type: ignore[misc]
        return ladder.rule("limitation")

    def limitation_moments(self: Case) -> Iterator[ReminderMoment]:  # type: ignore[misc]
        """The limitation warnings for the current period: (kind, days before, moment), 90 and 30 days before."""
        if self.limitation_on is None:
            return
        rule = self.limitation_rule()
        first = rule.remind_days_before if rule and rule.remind_days_before else 90
        for days in sorted({first, 30}, reverse=True):
            yield "limitation", days, at_china_hour(self.limitation_on - datetime.timedelta(days=days))

    def refresh_limitation(self: Case) -> None:  # type: ignore[misc]
        """Recompute when the limitation period ends (民法典 Arts. 188, 195) and when to warn about it."""
        changes = self.limitation_changes()
        if changes:
            type(self).objects.filter(pk=self.pk).update(**changes)

    def limitation_end(  # type: ignore[misc]
        self: Case, overrides: clock.Overrides | None = None
    ) -> datetime.date | None:
        """When the limitation period ends (clock.limitation_end), from the facts as they stand; None when unknown."""
        return clock.limitation_end(
            self.limitation_rule(),
            self.harm_known_on,
            self.last_written_demand_on(),
            overrides=overrides or ladder.overrides(),
        )

    def limitation_changes(  # type: ignore[misc]
        self: Case, overrides: clock.Overrides | None = None
    ) -> dict[str, Any]:
        """Set the limitation fields from the facts; return the changed ones for the caller's UPDATE."""
        ends = self.limitation_end(overrides)
        if ends is not None:
            ends = datetime.date(ends.year, ends.month, ends.day)
        if ends == self.limitation_on:
            return {}
        self.limitation_on = ends
        self.limitation_reminder_at = next((moment for _k, _d, moment in self.limitation_moments()), None)
        return {"limitation_on": self.limitation_on, "limitation_reminder_at": self.limitation_reminder_at}

    def enqueue(self: Case, reason: str, actor: User | None = None) -> bool:  # type: ignore[misc]
        """Put the case in the volunteers' queue (once) and note why on the timeline."""
        with transaction.atomic():
            updated = (
                type(self)
                .objects.filter(pk=self.pk, queued_at__isnull=True)
                .update(queued_at=chinatime.now(), queue_reason=reason)
            )
            if updated:
                self.refresh_from_db(fields=["queued_at", "queue_reason"])
                self.record(Event.Kind.QUEUED, actor, reason=reason)
        return bool(updated)

    @property
    def in_queue(self: Case) -> bool:  # type: ignore[misc]
        return self.queued_at is not None and self.is_open

    def take(self: Case, volunteer: User) -> bool:  # type: ignore[misc]
        """A volunteer takes the case from the queue (nobody else had it)."""
        with transaction.atomic():
            taken = (
                type(self)
                .objects.filter(pk=self.pk, queued_at__isnull=False, assigned_to__isnull=True)
                .update(assigned_to=volunteer, assigned_at=chinatime.now())
            )
            if taken:
                self.refresh_from_db(fields=["assigned_to", "assigned_at"])
                self.record(Event.Kind.ASSIGNED, volunteer)
        return bool(taken)

    def release(self: Case, volunteer: User) -> bool:  # type: ignore[misc]
        """The volunteer is done: the case leaves the queue and their list."""
        with transaction.atomic():
            released = (
                type(self)
                .objects.filter(pk=self.pk, queued_at__isnull=False)
                .update(queued_at=None, queue_reason="", assigned_to=None, assigned_at=None)
            )
            if released:
                self.refresh_from_db(fields=["queued_at", "queue_reason", "assigned_to", "assigned_at"])
                self.record(Event.Kind.RELEASED, volunteer)
        return bool(released)

    # The wizard's step for each rung, and the steps around them.
    STEP_FOR_RUNG = {
        rungs.POLICY: "policy",
        rungs.CUSTOMER_SERVICE: "customer_service",
        rungs.APPLICATION: "application",
        rungs.THIRD_PARTY: "third_party",
        rungs.LITIGATION: "litigation",
    }

    def resume_step(self: Case, today: datetime.date | None = None) -> str:  # type: ignore[misc]
        """The wizard step of the latest unfinished rung: where the merchant picks up again."""
        if not self.is_open:
            return "outcome"
        if self.intake_completed_at is None:
            return "intake"
        if self.policy_read_at is None:
            return "policy"
        if self.money_back:
            return "outcome"
        position = self.rung.position
        if position == rungs.POLICY:
            return self.STEP_FOR_RUNG[rungs.CUSTOMER_SERVICE]
        if position < rungs.LAST:
            following = ladder.rung(position + 1)
            if self.entry_blocker(following, today) is None:
                return self.STEP_FOR_RUNG[position + 1]
        return self.STEP_FOR_RUNG[position]

    def enter_rung(self: Case, rung: Rung, actor: User | None, reason: str = "") -> bool:  # type: ignore[misc]
        """Move the case up to ``rung``; going early needs a reason, which the timeline keeps."""
        with transaction.atomic():
            case = type(self).objects.select_for_update().get(pk=self.pk)
            if rung.position <= case.rung.position:
                return False
            blocker = case.entry_blocker(rung)
            if blocker and not reason.strip():
                raise ValueError(f"entering rung {rung.position} early needs a reason ({blocker})")
            type(self).objects.filter(pk=self.pk).update(rung=rung, updated_at=chinatime.now())
            self.rung = rung
            self.steps.filter(rung__position__lt=rung.position).update(next_reminder_at=None)
            self.forget_steps()
            if blocker:
                self.record(Event.Kind.RUNG_ENTERED_EARLY, actor, rung=rung.position, reason=reason.strip())
            else:
                self.record(Event.Kind.RUNG_ENTERED, actor, rung=rung.position)
        return True

    def log_step(  # type: ignore[misc]
        self: Case,
        *,
        rung: Rung,
        actor: User | None,
        started_on: datetime.date,
        channel: Channel | None = None,
        rule: DeadlineRule | None = None,
        early_reason: str = "",
        **details: Any,
    ) -> Step:
        """Record one attempt at a rung (a contact, a letter sent, a filing) and start its deadline.

        A step at a higher rung moves the case up (``early_reason`` is kept when
        that is early) and the rungs left behind stop reminding; a step recorded
        at a lower rung is history and plans no reminder. It costs one query for
        the case's steps (none when already read), the INSERT, at most one UPDATE
        of earlier steps and one of the case, and the timeline events in one
        INSERT; it runs inside the caller's transaction when there is one.
        """
        if rule is None:
            rule = ladder.primary_rule(rung=rung, channel=channel)
        with transaction.atomic(savepoint=False):
            earlier = self.step_list
            step = Step(
                case=self, rung=rung, channel=channel, rule=rule, started_on=started_on, created_by=actor, **details
            )
            if step.outcome in Step.WAITING:
                step.schedule(ladder.overrides(), remind=rung.position >= self.rung.position and self.is_open)
            else:
                step.answered_on = step.answered_on or started_on
            step.save()
            # An earlier attempt at the same place stops reminding: this one is the live one.
            waiting = {Step.Outcome.PENDING, Step.Outcome.PROMISED}
            superseded = [
                other
                for other in earlier
                if other.rung_id == rung.pk
                and other.channel_id == (channel.pk if channel else None)
                and not other.superseded
                and other.outcome in waiting
            ]
            entering = rung.position > self.rung.position
            # Escalating ends the reminders of the rungs below.
            silenced = [
                other
                for other in earlier
                if entering and other.rung.position < rung.position and other.next_reminder_at is not None
            ]
            self._silence(superseded, silenced)
            earlier.append(step)
            events = []
            changes = {}
            if entering:
                self.rung = changes["rung"] = rung
                if early_reason.strip():
                    events.append(
                        Event(
                            case=self,
                            kind=Event.Kind.RUNG_ENTERED_EARLY,
                            actor=actor,
                            data={"rung": rung.position, "reason": early_reason.strip()},
                        )
                    )
                else:
                    events.append(
                        Event(case=self, kind=Event.Kind.RUNG_ENTERED, actor=actor, data={"rung": rung.position})
                    )
            events.append(
                Event(
                    case=self,
                    kind=Event.Kind.STEP_LOGGED,
                    actor=actor,
                    data={
                        "step": str(step.pk),
                        "rung": rung.position,
                        "channel": channel.name_zh if channel else "",
                        "channel_en": channel.name_en if channel else "",
                        "outcome": step.outcome,
                        "due_on": step.due_on.isoformat() if step.due_on else None,
                        "counts_from_receipt": step.counts_from_receipt,
                        "restarts_limitation": rung.code == Rung.Code.WRITTEN_APPLICATION,
                    },
                )
            )
            if rung.code == Rung.Code.WRITTEN_APPLICATION:
                changes.update(self.limitation_changes())
            if changes:
                type(self).objects.filter(pk=self.pk).update(**changes)
            Event.objects.bulk_create(events)
        return step

    def _silence(self, superseded: list[Step], silenced: list[Step]) -> None:
        """One UPDATE: ``superseded`` steps stop reminding and are marked superseded; ``silenced`` only stop."""
        ids = {step.pk for step in superseded} | {step.pk for step in silenced}
        if not ids:
            return
        marked = [step.pk for step in superseded]
        Step.objects.filter(pk__in=ids).update(
            next_reminder_at=None,
            superseded=models.Case(models.When(pk__in=marked, then=models.Value(True)), default=models.F("superseded"))
            if marked
            else models.F("superseded"),
        )
        for step in superseded:
            step.superseded = True
            step.next_reminder_at = None
        for step in silenced:
            step.next_reminder_at = None

    def leave_queue(self: Case) -> None:  # type: ignore[misc]
        type(self).objects.filter(pk=self.pk).update(
            queued_at=None, queue_reason="", assigned_to=None, assigned_at=None
        )
        self.queued_at, self.queue_reason, self.assigned_to, self.assigned_at = None, "", None, None

    def stop_reminders(self: Case) -> None:  # type: ignore[misc]
        """No more reminders for this case (it is closed)."""
        self.steps.filter(next_reminder_at__isnull=False).update(next_reminder_at=None)
        type(self).objects.filter(pk=self.pk).update(limitation_reminder_at=None)
        self.limitation_reminder_at = None
        for step in self.__dict__.get("_step_list") or []:
            step.next_reminder_at = None

    def resolve(  # type: ignore[misc]
        self: Case, amount: Decimal | None, on: datetime.date, rung: Rung, actor: User | None
    ) -> bool:
        """Close the case with the money (or part of it) back; return True when the refund was netted off the sums."""
        with transaction.atomic():
            self.status = self.Status.RESOLVED
            self.recovered_amount = amount
            self.recovered_on = on
            self.recovered_rung = rung
            self.closed_at = chinatime.now()
            self.save(
                update_fields=[
                    "status",
                    "recovered_amount",
                    "recovered_on",
                    "recovered_rung",
                    "closed_at",
                    "updated_at",
                ]
            )
            self.stop_reminders()
            self.leave_queue()
            self.record(Event.Kind.RESOLVED, actor, amount=str(amount), on=on.isoformat(), rung=rung.position)
            return self.net_refund(amount, on, actor)

    def withdraw(self: Case, reason: str, actor: User | None) -> None:  # type: ignore[misc]
        """Close the case without the money, keeping the merchant's reason."""
        with transaction.atomic():
            self.status = self.Status.WITHDRAWN
            self.withdrawn_reason = reason
            self.closed_at = chinatime.now()
            self.save(update_fields=["status", "withdrawn_reason", "closed_at", "updated_at"])
            self.stop_reminders()
            self.leave_queue()
            self.record(Event.Kind.WITHDRAWN, actor, reason=reason)

    def reopen(self: Case, actor: User | None) -> None:  # type: ignore[misc]
        """Open a closed case again (for example when a promised refund never arrived).

        ValidationError when the owner already has as many open cases as an account may.
        """
        with transaction.atomic():
            self.check_open_limit(self.owner)
            self.status = self.Status.OPEN
            self.closed_at = None
            self.purge_notice_sent_at = None
            self.save(update_fields=["status", "closed_at", "purge_notice_sent_at", "updated_at"])
            now = chinatime.now()
            for step in self.steps.filter(Step.live_condition()):
                step.next_reminder_at = step.reminder_due(now)[1]
                step.save(update_fields=["next_reminder_at"])
            self.forget_steps()
            self.limitation_reminder_at = next((m for _k, _d, m in self.limitation_moments() if m > now), None)
            type(self).objects.filter(pk=self.pk).update(limitation_reminder_at=self.limitation_reminder_at)
            self.record(Event.Kind.REOPENED, actor)
