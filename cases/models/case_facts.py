"""The facts a merchant states about a case: the intake, the parties, the sums taken and their
trades, the deception, the policy read and net refunds. A mixin of Case; each change writes its
timeline Event atomically."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction

from cases.models.events import Event
from cases.models.parties import Charge, Party
from escalation.models import Provider
from lib import chinatime

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL: django-stubs' plugin resolves this alias to it.
    from django.contrib.auth.models import _User as User

    from cases.models.case import Case
    from cases.overcharge import Trade
    from escalation.models import PolicyRevision


class FactEdits:
    """Case's recorded facts: the changes a merchant makes to what the case states (mixed into Case).

    The methods read and write Case's fields, so their ``self`` is annotated as the Case; mypy
    wants a method's self type to be a supertype of its class (misc), which a mixin's cannot be.
    """

    if TYPE_CHECKING:
        # Case's fields these methods assign, as Case has them: without these mypy would take the
        # assignments for new attributes of the mixin, then find Case's fields incompatible with them.
        amount: Decimal | None
        intake_completed_at: datetime.datetime | None
        policy_revision: PolicyRevision | None
        policy_read_at: datetime.datetime | None

    def save_intake(self: Case, values: Mapping[str, Any], actor: User | None) -> list[str]:  # type: ignore[misc]
        """Store the intake answers; the timeline notes which facts changed.

        ``values`` holds Case fields (``INTAKE_FIELDS``) and, optionally,
        ``merchant``, ``respondent`` and ``agent`` (dicts of Party fields; an
        ``agent`` of None removes the agent) and ``first_charge`` (a dict of
        Charge fields for the first sum taken).
        """
        with transaction.atomic():
            values = self._directory_entry(values, actor)
            changed = [name for name in self.INTAKE_FIELDS if name in values and getattr(self, name) != values[name]]
            for name in changed:
                setattr(self, name, values[name])
            for role in (Party.Role.MERCHANT, Party.Role.RESPONDENT, Party.Role.AGENT):
                if role in values:
                    changed += [f"{role}.{name}" for name in self._update_party(role, values[role])]
            if values.get("first_charge") is not None:
                charge_changes = self._update_charge(self.first_charge(), values["first_charge"])
                changed += [f"charge.{name}" for name in charge_changes]
            first = self.intake_completed_at is None
            if first:
                self.intake_completed_at = chinatime.now()
            if changed or first:
                self.save()
                self.record(Event.Kind.INTAKE_SAVED, actor, fields=changed, first=first)
            if "harm_known_on" in changed or first:
                self.refresh_limitation()
        return changed

    DETAIL_FIELDS = [
        "story",
        "small_print",
        "forum_court",
        "court_name",
        "witnesses",
        "claim_interest",
        "interest_from",
        "element_table",
    ]

    # What a fact read from evidence may fill, once the merchant confirms it (reading.models.OfferedFact).
    EVIDENCE_FIELDS = ["merchant_number", "terminal_sn"]

    def fill_from_evidence(  # type: ignore[misc]
        self: Case, values: Mapping[str, Any], actor: User | None
    ) -> list[str]:
        """Set the EVIDENCE_FIELDS in ``values`` (a fact the merchant confirmed, checked against the field);
        the changed fields."""
        return self._save_fields(self.EVIDENCE_FIELDS, values, actor, check=True)

    def save_details(self: Case, values: Mapping[str, Any], actor: User | None) -> list[str]:  # type: ignore[misc]
        """What the letters need beyond the intake (the court, witnesses, interest, the story); the changed fields."""
        return self._save_fields(self.DETAIL_FIELDS, values, actor)

    def _save_fields(  # type: ignore[misc]
        self: Case, names: Sequence[str], values: Mapping[str, Any], actor: User | None, check: bool = False
    ) -> list[str]:
        """Set those of ``names`` that ``values`` changes (validated first with ``check``), noting them on the
        timeline in the same transaction; the changed fields."""
        with transaction.atomic():
            changed = [name for name in names if name in values and getattr(self, name) != values[name]]
            if changed:
                for name in changed:
                    setattr(self, name, values[name])
                if check:
                    self.full_clean(exclude=[f.name for f in type(self)._meta.fields if f.name not in changed])
                self.save(update_fields=[*changed, "updated_at"])
                self.record(Event.Kind.DETAILS_SAVED, actor, fields=changed)
        return changed

    @staticmethod
    def _directory_entry(values: Mapping[str, Any], actor: User | None) -> Mapping[str, Any]:
        """A company typed by name joins the provider directory, hidden from others until an admin checks it."""
        respondent = values.get("respondent") or {}
        name = (respondent.get("name") or "").strip()
        if "provider" not in values or values["provider"] is not None or not name:
            return values
        provider, _created = Provider.objects.get_or_create(
            name=name[:200], defaults={"added_by": actor, "is_active": False}
        )
        return {**values, "provider": provider, "respondent": {**respondent, "name": ""}}

    def save_party(  # type: ignore[misc]
        self: Case, role: str, values: Mapping[str, Any] | None, actor: User | None
    ) -> list[str]:
        """Change one party's details (the letters' names, IDs and addresses); return the changed fields."""
        with transaction.atomic():
            changed = self._update_party(role, values)
            if changed:
                self.record(Event.Kind.PARTY_SAVED, actor, role=role, fields=changed)
        return changed

    def _update_party(self: Case, role: str, values: Mapping[str, Any] | None) -> list[str]:  # type: ignore[misc]
        """Create, change or (with ``values`` None) remove the party with ``role``; return the changed fields."""
        party = self.party(role)
        if values is None:
            if party is None:
                return []
            party.delete()
            self.forget_facts()
            return ["removed"]
        if party is None:
            party = Party(case=self, role=role)
        changed = [name for name, value in values.items() if getattr(party, name) != value]
        if changed or party._state.adding:
            for name in changed:
                setattr(party, name, values[name])
            # Only what changes is checked: an old value typed elsewhere never blocks an update.
            party.full_clean(exclude=[f.name for f in Party._meta.fields if f.name not in changed])
            party.save()
            self.forget_facts()
        return changed

    def first_charge(self: Case) -> Charge | None:  # type: ignore[misc]
        return self.charge_list[0] if self.charge_list else None

    def save_charge(  # type: ignore[misc]
        self: Case, charge: Charge | None, values: Mapping[str, Any], actor: User | None
    ) -> Charge:
        """Add (``charge`` None) or change one sum taken; the case's total follows. Returns the charge."""
        with transaction.atomic():
            charge = charge or Charge(case=self, position=max((c.position for c in self.charge_list), default=-1) + 1)
            adding = charge._state.adding
            changed = self._update_charge(charge, values)
            if changed:
                self.record(
                    Event.Kind.CHARGE_SAVED,
                    actor,
                    charge=str(charge.pk),
                    charge_kind=charge.kind,
                    amount=str(charge.amount) if charge.amount is not None else None,
                    added=adding,
                    fields=changed,
                )
        return charge

    def delete_charge(self: Case, charge: Charge, actor: User | None) -> None:  # type: ignore[misc]
        """Remove one sum taken (not the first: the intake holds it); the case's total follows."""
        with transaction.atomic():
            self.record(
                Event.Kind.CHARGE_REMOVED,
                actor,
                charge_kind=charge.kind,
                amount=str(charge.amount) if charge.amount is not None else None,
            )
            charge.delete()
            self.forget_facts()
            self.refresh_amount()

    def _update_charge(self: Case, charge: Charge | None, values: Mapping[str, Any]) -> list[str]:  # type: ignore[misc]
        if charge is None:
            charge = Charge(case=self, position=0)
        changed = [name for name, value in values.items() if getattr(charge, name) != value]
        if changed or charge._state.adding:
            for name in changed:
                setattr(charge, name, values[name])
            charge.save()
            self.forget_facts()
            self.refresh_amount()
        return changed

    def refresh_amount(self: Case) -> None:  # type: ignore[misc]
        """Keep ``amount`` the sum of the amounts taken."""
        amounts = [charge.amount for charge in self.charge_list if charge.amount is not None]
        total = sum(amounts, Decimal("0")) if amounts else None
        if total != self.amount:
            self.amount = total
            type(self).objects.filter(pk=self.pk).update(amount=total)

    def save_trades(  # type: ignore[misc]
        self: Case, charge: Charge, trades: Sequence[Trade], actor: User | None
    ) -> Decimal | None:
        """Replace the overcharged trades of ``charge`` (Trade records); return the new total.

        A confirmed overcharge that the trades no longer add up to is unset: the
        merchant confirms the new total before a letter claims it.
        """
        with transaction.atomic():
            charge.trades = [trade.as_json() for trade in sorted(trades, key=lambda trade: trade.on)]
            fields = ["trades"]
            total = charge.computed_overcharge
            if charge.amount is not None and charge.amount != total:
                charge.amount = None
                fields.append("amount")
            charge.save(update_fields=fields)
            self.forget_facts()
            self.refresh_amount()
            self.record(
                Event.Kind.TRADES_SAVED,
                actor,
                charge=str(charge.pk),
                trades=len(trades),
                total=str(total) if total is not None else None,
            )
        return total

    def confirm_overcharge(  # type: ignore[misc]
        self: Case, charge: Charge, total: Decimal | None, actor: User | None
    ) -> None:
        """Claim the overcharge the merchant saw (``total``); refused when the trades add up to another sum."""
        computed = charge.computed_overcharge
        if computed is None or computed <= 0 or total != computed:
            raise ValueError("the trades add up to another sum")
        with transaction.atomic():
            if charge.amount != computed:
                charge.amount = computed
                charge.save(update_fields=["amount"])
                self.forget_facts()
                self.refresh_amount()
            self.record(Event.Kind.OVERCHARGE_CONFIRMED, actor, charge=str(charge.pk), amount=str(computed))

    def record_deception(self: Case, posed_as: str, pitch: str, actor: User | None) -> list[str]:  # type: ignore[misc]
        """Record whose staff the seller claimed to be, and the pitch; return the changed fields."""
        values = {"posed_as": posed_as, "pitch": pitch.strip()}
        with transaction.atomic():
            changed = [name for name, value in values.items() if getattr(self, name) != value]
            if changed:
                for name in changed:
                    setattr(self, name, values[name])
                self.save(update_fields=[*changed, "updated_at"])
                self.record(Event.Kind.DECEPTION_SAVED, actor, posed_as=posed_as, pitch=bool(values["pitch"]))
        return changed

    @property
    def deceived(self: Case) -> bool:  # type: ignore[misc]
        """True when the merchant recorded that the seller posed as someone else's staff or pitched a limit rise."""
        return bool(self.posed_as or self.pitch)

    def net_refund(  # type: ignore[misc]
        self: Case, amount: Decimal | None, on: datetime.date, actor: User | None
    ) -> bool:
        """Net a refund off the sums still owed, where it is clear which: return True when it was netted.

        A refund of everything still owed settles every item; with one item owed it goes to that item.
        Otherwise the merchant says item by item (the page "Parties and money").
        """
        owed = [charge for charge in self.charge_list if charge.claimed]
        if not owed or amount is None or amount <= 0:
            return False
        if amount >= self.claimed_total:
            # ``owed`` holds only the charges with something claimed.
            parts = [(charge, cast(Decimal, charge.claimed)) for charge in owed]
        elif len(owed) == 1:
            parts = [(owed[0], amount)]
        else:
            return False
        with transaction.atomic():
            for charge, part in parts:
                charge.refunded_amount = (charge.refunded_amount or Decimal("0")) + part
                charge.refunded_on = on
                charge.save(update_fields=["refunded_amount", "refunded_on"])
                self.record(
                    Event.Kind.REFUND_RECORDED,
                    actor,
                    charge=str(charge.pk),
                    charge_kind=charge.kind,
                    amount=str(part),
                    on=on.isoformat(),
                )
            self.forget_facts()
        return True

    def record_policy_read(  # type: ignore[misc]
        self: Case, revision: PolicyRevision | None, checklist: Mapping[str, str], actor: User | None
    ) -> None:
        """Note which policy revision the merchant read and what they found in their agreement."""
        with transaction.atomic():
            self.policy_revision = revision
            self.policy_read_at = chinatime.now()
            for name in self.CHECKLIST_FIELDS:
                setattr(self, name, checklist.get(name, ""))
            self.save(update_fields=["policy_revision", "policy_read_at", *self.CHECKLIST_FIELDS, "updated_at"])
            self.record(
                Event.Kind.POLICY_READ,
                actor,
                revision=revision.number if revision else None,
                **{name: checklist.get(name, "") for name in self.CHECKLIST_FIELDS},
            )
