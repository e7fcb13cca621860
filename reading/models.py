"""Facts offered from an exhibit's text, for the merchant to confirm into the case or dismiss.

Nothing read from a picture enters the case by itself: each fact waits, linked to its exhibit and
the line it came from, until the merchant says it is right (then it fills the case's empty field
where one matches, and the timeline says so) or wrong.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cases.models import Event, Party
from lib import chinatime
from reading.extract import AmountLabel, Kind, PromiseLabel, suggest

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from cases.models import Case, Evidence

MAX_LINE = 300


class OfferedFact(models.Model):
    """One fact found in an exhibit's text: offered, then confirmed or dismissed by the case's owner."""

    Kind = Kind

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    # Where a confirmed fact goes when the case's own field is still empty: (party role or None, field).
    FILLS: dict[str, tuple[str | None, str]] = {
        Kind.COMPANY: (Party.Role.RESPONDENT, "name"),
        Kind.CREDIT_CODE: (Party.Role.RESPONDENT, "credit_code"),
        Kind.MERCHANT_NUMBER: (None, "merchant_number"),
        Kind.TERMINAL_SERIAL: (None, "terminal_sn"),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="offered_facts")
    evidence = models.ForeignKey("cases.Evidence", on_delete=models.CASCADE, related_name="offered_facts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("what it is"), max_length=24, blank=True)
    value = models.CharField(_("value"), max_length=MAX_LINE)
    line = models.PositiveIntegerField(_("line"))
    line_text = models.CharField(_("the line it came from"), max_length=MAX_LINE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    filled = models.CharField(_("filled in"), max_length=40, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "line", "created_at"]
        verbose_name = _("fact read from evidence")
        verbose_name_plural = _("facts read from evidence")
        constraints = [models.UniqueConstraint(fields=["evidence", "kind", "value"], name="one_offer_per_fact")]
        indexes = [models.Index(fields=["case", "status"], name="offered_fact_case_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def is_offered(self) -> bool:
        return self.status == self.Status.OFFERED

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_dismissed(self) -> bool:
        return self.status == self.Status.DISMISSED

    @property
    def label_text(self) -> str:
        """What the words around it say it is (a deposit, a fee, a kind of promise), or ""."""
        choices = dict(AmountLabel.choices) | dict(PromiseLabel.choices)
        return str(choices.get(self.label, "")) if self.label else ""

    @classmethod
    def offer_from(cls, evidence: Evidence, today: datetime.date | None = None) -> int:
        """Offer the facts ``evidence``'s text holds (once each); the number of new offers."""
        lines = evidence.text.splitlines()
        found = suggest(lines, today=today or chinatime.date_of(evidence.uploaded_at))
        offers = [
            OfferedFact(
                case_id=evidence.case_id,
                evidence=evidence,
                kind=item.kind,
                label=item.label,
                value=item.value[:MAX_LINE],
                line=item.line,
                line_text=lines[item.line][:MAX_LINE],
            )
            for item in found
        ]
        with transaction.atomic():
            before = OfferedFact.objects.filter(evidence=evidence).count()
            OfferedFact.objects.bulk_create(offers, ignore_conflicts=True)
            added = OfferedFact.objects.filter(evidence=evidence).count() - before
            if added:
                evidence.case.record(Event.Kind.FACTS_OFFERED, None, exhibit=evidence.exhibit_number, facts=added)
        return added

    def confirm(self, actor: User) -> str:
        """The merchant says it is right: fill the case's matching field if it is empty; the field filled or ""."""
        with transaction.atomic():
            fact = type(self).objects.select_for_update().get(pk=self.pk)
            if not fact.is_offered:
                return fact.filled
            case: Case = fact.case
            filled = ""
            target = self.FILLS.get(fact.kind)
            if target is not None:
                role, field = target
                if role is None:
                    if not getattr(case, field):
                        case.fill_from_evidence({field: fact.value}, actor)
                        filled = field
                else:
                    party = case.party(role)
                    if party is None or not getattr(party, field):
                        case.save_party(role, {field: fact.value}, actor)
                        filled = f"{role}.{field}"
            self.status, self.filled = self.Status.CONFIRMED, filled
            self.decided_at, self.decided_by = chinatime.now(), actor
            self.save(update_fields=["status", "filled", "decided_at", "decided_by"])
            case.record(
                Event.Kind.FACT_CONFIRMED,
                actor,
                exhibit=fact.evidence.exhibit_number,
                fact=fact.kind,
                value=fact.value,
                line=fact.line + 1,
                filled=filled,
            )
        return filled

    def dismiss(self, actor: User) -> bool:
        """The merchant says it is wrong or beside the point; False if it was decided already."""
        with transaction.atomic():
            done = (
                type(self)
                .objects.filter(pk=self.pk, status=self.Status.OFFERED)
                .update(status=self.Status.DISMISSED, decided_at=chinatime.now(), decided_by=actor)
            )
            if done:
                self.status = self.Status.DISMISSED
                self.case.record(Event.Kind.FACT_DISMISSED, actor, exhibit=self.evidence.exhibit_number, fact=self.kind)
        return bool(done)
