"""Group complaints (共同投诉): merchants hit by the same practice of one provider complain together.

A ``ComplaintGroup`` is started from one open case: it takes the case's provider
and one practice the case records (the agent, the promise or a fee). Merchants
with a case against the same provider join it with one of their own cases
(``Membership``). Each member consents, separately and with the time kept, to
be in the joint filing and to show their name to the other members; the
members choose up to two representatives (``Choice``), or a volunteer appoints
them. Every change is a method here that writes the group's timeline
(``GroupEvent``) and the member's own case timeline (``Case.record``) in one
transaction, and never changes the member's case itself. Issued joint filings
are frozen (``JointFiling``), like ``documents.Document``.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Charge, Event
from lib import chinatime
from lib.personal import mask_html

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

MAX_REPRESENTATIVES = 2
MAX_CHOICES = 2  # each member may choose up to two representatives


def new_invite_token() -> str:
    """An unguessable key for the invitation link (256 bits)."""
    return secrets.token_urlsafe(32)


def same_name(left: str, right: str) -> bool:
    """Two names typed by different people are the same name: spaces and case aside."""

    def norm(name: str) -> str:
        return "".join((name or "").split()).casefold()

    return bool(norm(left)) and norm(left) == norm(right)


class ComplaintGroup(models.Model):
    """Merchants with cases against one provider, over one practice, who complain together."""

    class Practice(models.TextChoices):
        AGENT = "agent", _("The same agent")
        PROMISE = "promise", _("The same promise")
        FEE = "fee", _("The same fee")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(
        "escalation.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    provider_name = models.CharField(_("provider's name"), max_length=200)
    practice = models.CharField(_("practice"), max_length=16, choices=Practice.choices)
    practice_text = models.CharField(
        _("the practice"), max_length=300, help_text=_("The agent's name, the promise, or the fee.")
    )
    invite_token = models.CharField(_("invitation key"), max_length=64, unique=True, default=new_invite_token)
    help_requested_at = models.DateTimeField(
        _("help choosing representatives asked for"), null=True, blank=True, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("started at"), default=chinatime.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("group complaint")
        verbose_name_plural = _("group complaints")

    def __str__(self) -> str:
        return f"{self.provider_name} · {self.practice_text}"

    # ----- reading -----------------------------------------------------------------------------------

    @property
    def active_members(self) -> models.QuerySet[Membership]:
        return self.members.filter(left_at__isnull=True).select_related("case", "case__owner__profile")

    def active_list(self) -> list[Membership]:
        members = self.__dict__.get("_active")
        if members is None:
            members = list(self.active_members.order_by("number"))
            self.__dict__["_active"] = members
        return members

    def forget(self) -> None:
        self.__dict__.pop("_active", None)

    @property
    def representatives(self) -> list[Membership]:
        return [member for member in self.active_list() if member.is_representative]

    @property
    def filing_members(self) -> list[Membership]:
        """The members who consented to the joint filing, in the order they joined."""
        return [member for member in self.active_list() if member.in_filing]

    def membership_of(self, user: User) -> Membership | None:
        """``user``'s active membership (the first, when several of their cases are members)."""
        return next((member for member in self.active_list() if member.case.owner_id == user.pk), None)

    def memberships_of(self, user: User) -> list[Membership]:
        return [member for member in self.active_list() if member.case.owner_id == user.pk]

    def matches(self, case: Case) -> bool:
        """True when ``case`` is against this group's provider (the directory's, else the same name)."""
        if self.provider_id and case.provider_id:
            return self.provider_id == case.provider_id
        return same_name(self.provider_name, case.provider_name)

    @property
    def majority(self) -> int:
        """How many members' choices make a representative: more than half of the members."""
        return len(self.active_list()) // 2 + 1

    @property
    def asks_for_help(self) -> bool:
        return self.help_requested_at is not None

    @staticmethod
    def practice_options(case: Case) -> list[tuple[str, str]]:
        """The practices ``case`` records that a group can be about: (Practice, how the case words it).

        The agent by its name; the promise in the merchant's words; each sum taken by
        what it was called and its amount.
        """
        options: list[tuple[str, str]] = []
        agent = case.agent
        if case.obtained_via == Case.ObtainedVia.AGENT and agent is not None and agent.name.strip():
            options.append((ComplaintGroup.Practice.AGENT, agent.name.strip()))
        if case.promise_form and case.promise_form != Case.PromiseForm.NONE and case.promise_details.strip():
            options.append((ComplaintGroup.Practice.PROMISE, case.promise_details.strip()[:300]))
        for charge in case.charge_list:
            label = Charge.Kind(charge.kind).label if charge.kind in Charge.Kind.values else charge.kind
            name = charge.called or str(label)
            text = f"{name} {charge.amount}" if charge.amount is not None else name
            options.append((ComplaintGroup.Practice.FEE, text[:300]))
        return options

    # ----- state changes -----------------------------------------------------------------------------

    @classmethod
    def start(
        cls, case: Case, practice: str, practice_text: str, actor: User, pk: uuid.UUID | None = None
    ) -> ComplaintGroup:
        """Start a group from ``case`` (its owner's open case) about one practice the case records.

        The case becomes member 1; the group's and the case's timelines say so.
        """
        if case.owner_id != actor.pk or not case.is_open:
            raise ValidationError(_("Start a group from one of your own open cases."), code="not_yours")
        if (practice, practice_text) not in cls.practice_options(case):
            raise ValidationError(_("Choose a practice your case records."), code="practice")
        if not case.provider_name:
            raise ValidationError(_("Say first who took the money: the provider."), code="provider")
        with transaction.atomic():
            group = cls.objects.create(
                pk=pk or uuid.uuid4(),
                provider=case.provider,
                provider_name=case.provider_name,
                practice=practice,
                # Shown to whoever holds the invitation link: a phone or ID number typed in the promise is masked.
                practice_text=mask_html(practice_text),
                created_by=actor,
            )
            group.record(GroupEvent.Kind.CREATED, actor, None, practice=practice)
            group.add_member(case, actor, started=True)
        return group

    def join(self, case: Case, actor: User, confirmed: bool) -> Membership:
        """Join with ``case`` (the actor's own open case against the same provider).

        ``confirmed``: the merchant says the same practice happened to them.
        """
        if case.owner_id != actor.pk or not case.is_open:
            raise ValidationError(_("Join with one of your own open cases."), code="not_yours")
        if not self.matches(case):
            raise ValidationError(_("This case is against another provider."), code="provider")
        if not confirmed:
            raise ValidationError(_("Say that the same thing happened to you."), code="confirm")
        with transaction.atomic():
            type(self).objects.select_for_update().filter(pk=self.pk).first()  # one number at a time
            if self.members.filter(case__owner=actor, left_at__isnull=True).exists():
                raise ValidationError(_("You are in this group already."), code="member")
            return self.add_member(case, actor)

    def add_member(self, case: Case, actor: User, started: bool = False) -> Membership:
        number = (self.members.aggregate(models.Max("number"))["number__max"] or 0) + 1
        member = Membership.objects.create(group=self, case=case, number=number)
        self.forget()
        self.record(GroupEvent.Kind.JOINED, actor, member)
        case.record(
            Event.Kind.GROUP_JOINED, actor, group=str(self.pk), member=number, started=started, practice=self.practice
        )
        return member

    def ask_for_help(self, actor: User) -> None:
        """Ask a volunteer to help the members choose their representatives (the group shows in their list)."""
        with transaction.atomic():
            if self.help_requested_at is None:
                self.help_requested_at = chinatime.now()
                self.save(update_fields=["help_requested_at"])
                self.record(GroupEvent.Kind.HELP_REQUESTED, actor, self.membership_of(actor))

    def appoint(self, members: list[Membership], actor: User) -> None:
        """A volunteer appoints (or replaces) the representatives: at most two members in the joint filing.

        Those not named stop being representatives; the request for help is answered.
        """
        chosen = {member.pk for member in members}
        if len(chosen) > MAX_REPRESENTATIVES:
            raise ValidationError(_("A group has at most two representatives."), code="too_many")
        with transaction.atomic():
            self.forget()
            active = {member.pk: member for member in self.active_list()}
            for pk in chosen:
                if pk not in active or not active[pk].in_filing:
                    raise ValidationError(
                        _("A representative is a member who agreed to the joint filing."), code="not_in_filing"
                    )
            for member in active.values():
                if member.is_representative and member.pk not in chosen:
                    member.end_representative(actor, reason="replaced")
            for pk in chosen:
                if not active[pk].is_representative:
                    active[pk].become_representative(Membership.ChosenBy.VOLUNTEER, actor)
            if self.help_requested_at is not None:
                self.help_requested_at = None
                self.save(update_fields=["help_requested_at"])

    def settle_representatives(self, actor: User | None) -> None:
        """Make the representatives follow the members' choices (call inside the change's transaction).

        A member who stands for it and is chosen by more than half of the members
        becomes a representative while a seat is free (two at most); one the members
        chose stops being one when that support is gone. Any representative stops
        being one on leaving, standing down or withdrawing from the joint filing.
        """
        self.forget()
        active = self.active_list()
        ids = {member.pk for member in active}
        support: dict[uuid.UUID, int] = dict.fromkeys(ids, 0)
        for voter_id, candidate_id in Choice.objects.filter(voter__group=self).values_list("voter", "candidate"):
            if voter_id in ids and candidate_id in ids:
                support[candidate_id] += 1
        for member in active:
            if not member.is_representative:
                continue
            if not member.in_filing:
                member.end_representative(actor, reason="no_consent")
            elif member.chosen_by == Membership.ChosenBy.MEMBERS and (
                not member.is_standing or support[member.pk] < self.majority
            ):
                member.end_representative(actor, reason="support")
        seats = MAX_REPRESENTATIVES - sum(1 for member in active if member.is_representative)
        candidates = [
            member
            for member in active
            if member.is_standing
            and member.in_filing
            and not member.is_representative
            and support[member.pk] >= self.majority
        ]
        candidates.sort(key=lambda member: (-support[member.pk], member.standing_since))
        for member in candidates[: max(seats, 0)]:
            member.become_representative(Membership.ChosenBy.MEMBERS, actor)

    def record(self, kind: str, actor: User | None, member: Membership | None, **data: Any) -> GroupEvent:
        """One line of the group's timeline (inside the change's transaction)."""
        return GroupEvent.objects.create(
            group=self,
            kind=kind,
            actor=actor,
            member=member,
            member_number=member.number if member else None,
            data=data,
        )


class Membership(models.Model):
    """One case in a group: its consents (each with its time) and whether it represents the group."""

    class ChosenBy(models.TextChoices):
        MEMBERS = "members", _("Chosen by the members")
        VOLUNTEER = "volunteer", _("Appointed with a volunteer's help")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(ComplaintGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group"))
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("case")
    )
    number = models.PositiveSmallIntegerField(_("member number"))
    joined_at = models.DateTimeField(_("joined at"), default=chinatime.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    filing_consent_at = models.DateTimeField(
        _("agreed to the joint filing at"),
        null=True,
        blank=True,
        help_text=_(
            "Their name, sums, facts and exhibits listed in it and sent to the regulator by the representatives."
        ),
    )
    name_consent_at = models.DateTimeField(_("agreed to show their name to the members at"), null=True, blank=True)
    standing_since = models.DateTimeField(_("offers to represent the group since"), null=True, blank=True)
    representative_since = models.DateTimeField(_("representative since"), null=True, blank=True)
    chosen_by = models.CharField(_("representative chosen by"), max_length=16, choices=ChosenBy.choices, blank=True)

    class Meta:
        ordering = ["group", "number"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="unique_member_number"),
            models.UniqueConstraint(
                fields=["group", "case"], condition=models.Q(left_at__isnull=True), name="one_active_membership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.number}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None

    @property
    def in_filing(self) -> bool:
        return self.is_active and self.filing_consent_at is not None

    @property
    def shows_name(self) -> bool:
        return self.is_active and self.name_consent_at is not None

    @property
    def is_standing(self) -> bool:
        return self.standing_since is not None

    @property
    def is_representative(self) -> bool:
        return self.is_active and self.representative_since is not None

    @property
    def owner_id(self) -> int:
        return self.case.owner_id

    @property
    def name(self) -> str:
        """The member's name as their case's merchant party has it (their profile's otherwise)."""
        party = self.case.merchant
        if party is not None and party.display_name:
            return party.display_name
        profile = getattr(self.case.owner, "profile", None)
        return profile.full_name if profile is not None else ""

    # ----- state changes -----------------------------------------------------------------------------

    def _locked(self) -> Membership:
        """This row read again under a lock, so two tabs cannot both change it."""
        return Membership.objects.select_for_update().select_related("group", "case").get(pk=self.pk)

    def _refresh(self, fresh: Membership) -> None:
        for field in (
            "left_at",
            "filing_consent_at",
            "name_consent_at",
            "standing_since",
            "representative_since",
            "chosen_by",
        ):
            setattr(self, field, getattr(fresh, field))

    def _record(self, kind: str, case_kind: str, actor: User | None, **data: Any) -> None:
        self.group.record(kind, actor, self, **data)
        self.case.record(case_kind, actor, group=str(self.group_id), member=self.number, **data)

    def _require_active(self) -> None:
        if not self.is_active:
            raise ValidationError(_("You left this group."), code="left")

    def set_filing_consent(self, agree: bool, actor: User) -> None:
        """Agree to be in the joint filing (name, sums, facts, exhibits), or withdraw that agreement.

        Withdrawing ends standing for and being a representative.
        """
        with transaction.atomic():
            fresh = self._locked()
            fresh._require_active()
            if (fresh.filing_consent_at is not None) == agree:
                self._refresh(fresh)
                return
            fresh.filing_consent_at = chinatime.now() if agree else None
            update = ["filing_consent_at"]
            if not agree:
                fresh.standing_since = None
                update.append("standing_since")
            fresh.save(update_fields=update)
            kind = GroupEvent.Kind.FILING_CONSENT_GIVEN if agree else GroupEvent.Kind.FILING_CONSENT_WITHDRAWN
            fresh._record(kind, Event.Kind.GROUP_CONSENT, actor, consent="filing", given=agree)
            if not agree:
                Choice.objects.filter(candidate=fresh).delete()
            fresh.group.settle_representatives(actor)
            self._refresh(Membership.objects.get(pk=self.pk))

    def set_name_consent(self, agree: bool, actor: User) -> None:
        """Agree to show their name to the other members, or withdraw that agreement."""
        with transaction.atomic():
            fresh = self._locked()
            fresh._require_active()
            if (fresh.name_consent_at is not None) == agree:
                self._refresh(fresh)
                return
            fresh.name_consent_at = chinatime.now() if agree else None
            fresh.save(update_fields=["name_consent_at"])
            kind = GroupEvent.Kind.NAME_CONSENT_GIVEN if agree else GroupEvent.Kind.NAME_CONSENT_WITHDRAWN
            fresh._record(kind, Event.Kind.GROUP_CONSENT, actor, consent="name", given=agree)
            self._refresh(fresh)

    def stand(self, willing: bool, actor: User) -> None:
        """Offer to represent the group (needs the joint-filing consent), or stand down."""
        with transaction.atomic():
            fresh = self._locked()
            fresh._require_active()
            if willing and fresh.filing_consent_at is None:
                raise ValidationError(
                    _("A representative is a member who agreed to the joint filing."), code="not_in_filing"
                )
            if fresh.is_standing == willing and (willing or not fresh.is_representative):
                self._refresh(fresh)
                return
            fresh.standing_since = chinatime.now() if willing else None
            fresh.save(update_fields=["standing_since"])
            fresh.group.record(GroupEvent.Kind.STOOD if willing else GroupEvent.Kind.STOOD_DOWN, actor, fresh)
            if not willing and fresh.is_representative:
                fresh.end_representative(actor, reason="stood_down")
            fresh.group.settle_representatives(actor)
            self._refresh(Membership.objects.get(pk=self.pk))

    def choose(self, candidate: Membership, chosen: bool, actor: User) -> None:
        """Choose ``candidate`` (a member of the same group, maybe oneself) as a representative, or un-choose."""
        with transaction.atomic():
            fresh = self._locked()
            fresh._require_active()
            if candidate.group_id != fresh.group_id or not candidate.is_active:
                raise ValidationError(_("Choose a member of this group."), code="candidate")
            existing = Choice.objects.filter(voter=fresh, candidate=candidate)
            if chosen and not existing.exists():
                if Choice.objects.filter(voter=fresh).count() >= MAX_CHOICES:
                    raise ValidationError(
                        _("You can choose two representatives at most: un-choose one first."), code="too_many"
                    )
                Choice.objects.create(voter=fresh, candidate=candidate)
                fresh.group.record(GroupEvent.Kind.CHOSE, actor, fresh, candidate=candidate.number)
            elif not chosen and existing.exists():
                existing.delete()
                fresh.group.record(GroupEvent.Kind.UNCHOSE, actor, fresh, candidate=candidate.number)
            fresh.group.settle_representatives(actor)
            self._refresh(Membership.objects.get(pk=self.pk))

    def leave(self, actor: User) -> None:
        """Leave the group. The member's case is not changed; only its timeline says so.

        A representative who leaves stops being one; their choices, and the choices of them, end.
        """
        with transaction.atomic():
            fresh = self._locked()
            if not fresh.is_active:
                self._refresh(fresh)
                return
            if fresh.is_representative:
                fresh.end_representative(actor, reason="left")
            fresh.left_at = chinatime.now()
            fresh.standing_since = None
            fresh.save(update_fields=["left_at", "standing_since"])
            Choice.objects.filter(models.Q(voter=fresh) | models.Q(candidate=fresh)).delete()
            fresh._record(GroupEvent.Kind.LEFT, Event.Kind.GROUP_LEFT, actor)
            fresh.group.settle_representatives(actor)
            self._refresh(Membership.objects.get(pk=self.pk))

    def become_representative(self, chosen_by: str, actor: User | None) -> None:
        self.representative_since = chinatime.now()
        self.chosen_by = chosen_by
        self.save(update_fields=["representative_since", "chosen_by"])
        self._record(
            GroupEvent.Kind.REPRESENTATIVE_CHOSEN,
            Event.Kind.GROUP_REPRESENTATIVE,
            actor,
            representative=True,
            chosen_by=chosen_by,
        )

    def end_representative(self, actor: User | None, reason: str) -> None:
        self.representative_since = None
        self.chosen_by = ""
        self.save(update_fields=["representative_since", "chosen_by"])
        self._record(
            GroupEvent.Kind.REPRESENTATIVE_ENDED,
            Event.Kind.GROUP_REPRESENTATIVE,
            actor,
            representative=False,
            reason=reason,
        )


class Choice(models.Model):
    """One member's choice of a representative (up to two each)."""

    voter = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="choices", verbose_name=_("member"))
    candidate = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="chosen_by_members", verbose_name=_("chosen member")
    )
    created_at = models.DateTimeField(_("chosen at"), default=chinatime.now)

    class Meta:
        verbose_name = _("choice of a representative")
        verbose_name_plural = _("choices of representatives")
        constraints = [models.UniqueConstraint(fields=["voter", "candidate"], name="one_choice_per_candidate")]

    def __str__(self) -> str:
        return f"{self.voter.number} → {self.candidate.number}"


class GroupEvent(models.Model):
    """One line of a group's timeline: what happened, to which member (by number), when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Group started")
        JOINED = "joined", _("Member joined")
        LEFT = "left", _("Member left")
        FILING_CONSENT_GIVEN = "filing_consent_given", _("Agreed to the joint filing")
        FILING_CONSENT_WITHDRAWN = "filing_consent_withdrawn", _("Withdrew from the joint filing")
        NAME_CONSENT_GIVEN = "name_consent_given", _("Agreed to show their name to the members")
        NAME_CONSENT_WITHDRAWN = "name_consent_withdrawn", _("No longer shows their name to the members")
        STOOD = "stood", _("Offered to represent the group")
        STOOD_DOWN = "stood_down", _("No longer offers to represent the group")
        CHOSE = "chose", _("Chose a representative")
        UNCHOSE = "unchose", _("Took back a choice of representative")
        REPRESENTATIVE_CHOSEN = "representative_chosen", _("Representative chosen")
        REPRESENTATIVE_ENDED = "representative_ended", _("No longer a representative")
        HELP_REQUESTED = "help_requested", _("Asked a volunteer to help choose representatives")
        FILING_ISSUED = "filing_issued", _("Joint filing issued")

    group = models.ForeignKey(ComplaintGroup, on_delete=models.CASCADE, related_name="events", verbose_name=_("group"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    member = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    member_number = models.PositiveSmallIntegerField(_("member number"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=chinatime.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("group event")
        verbose_name_plural = _("group events")

    def __str__(self) -> str:
        return self.get_kind_display()


def filing_path(instance: JointFiling, filename: str) -> str:
    return f"groups/{instance.group_id}/{filename}"


class JointFiling(models.Model):
    """An issued joint filing: frozen HTML and PDF of the copy filed, and of the copy the members share.

    The filed copy (``html``, ``pdf``) names every consenting member and gives the
    issuing representative's contact details; only that representative downloads
    it. The shared copy (``shared_html``, ``shared_pdf``) is the same filing with
    the names of members who did not agree to show their name replaced by their
    number, and no contact details: the other members and volunteers get that one.
    """

    class Recipient(models.TextChoices):
        SAMR = "samr", _("Market regulator (SAMR): joint complaint or report")
        PBOC = "pboc", _("People's Bank of China: joint complaint")
        PCAC = "pcac", _("Payment & Clearing Association of China: joint report")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Simplified Chinese")
        EN = "en", _("English")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(ComplaintGroup, on_delete=models.CASCADE, related_name="filings", verbose_name=_("group"))
    recipient = models.CharField(_("addressed to"), max_length=8, choices=Recipient.choices)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    version = models.PositiveIntegerField(_("version"))
    issued_by_member = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by representative")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"), default=chinatime.now)
    member_numbers = models.JSONField(_("members in the filing"), default=list)
    html = models.TextField(_("frozen HTML (filed copy)"))
    pdf = models.FileField(_("PDF (filed copy)"), upload_to=filing_path, max_length=200)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    shared_html = models.TextField(_("frozen HTML (members' copy)"))
    shared_pdf = models.FileField(_("PDF (members' copy)"), upload_to=filing_path, max_length=200)
    shared_sha256 = models.CharField(_("SHA-256 of the members' PDF"), max_length=64)
    shared_size = models.PositiveIntegerField(_("size of the members' PDF (bytes)"))
    template_version = models.CharField(_("template version"), max_length=20)

    class Meta:
        ordering = ["recipient", "language", "-version"]
        verbose_name = _("joint filing")
        verbose_name_plural = _("joint filings")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "recipient", "language", "version"], name="unique_joint_filing_version"
            )
        ]

    # Set by ``issue``: False when the latest version was returned instead of a new one.
    created: bool

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} v{self.version}"

    def filename(self, shared: bool) -> str:
        return f"joint-{self.recipient}-v{self.version}{'-members' if shared else ''}.{self.language}.pdf"

    def is_issuer(self, user: User) -> bool:
        member = self.issued_by_member
        return member is not None and member.is_active and member.case.owner_id == user.pk

    @classmethod
    def issue(
        cls,
        group: ComplaintGroup,
        recipient: str,
        language: str,
        member: Membership,
        filed: tuple[str, bytes],
        shared: tuple[str, bytes],
        member_numbers: list[int],
        template_version: str,
        actor: User,
    ) -> JointFiling:
        """Freeze a rendered joint filing as the next version (the same one again is not a new version)."""
        html, pdf = filed
        shared_html, shared_pdf = shared
        with transaction.atomic():
            ComplaintGroup.objects.select_for_update().filter(pk=group.pk).first()
            previous = cls.objects.filter(group=group, recipient=recipient, language=language)
            latest = previous.order_by("-version").first()
            if latest is not None and latest.html == html and latest.issued_by_member_id == member.pk:
                latest.created = False
                return latest
            version = (latest.version if latest else 0) + 1
            filing = cls(
                group=group,
                recipient=recipient,
                language=language,
                version=version,
                issued_by_member=member,
                issued_by=actor,
                member_numbers=member_numbers,
                html=html,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                shared_html=shared_html,
                shared_sha256=hashlib.sha256(shared_pdf).hexdigest(),
                shared_size=len(shared_pdf),
                template_version=template_version,
            )
            filing.created = True
            filing.pdf.save(f"{filing.id}.pdf", ContentFile(pdf), save=False)
            filing.shared_pdf.save(f"{filing.id}-members.pdf", ContentFile(shared_pdf), save=False)
            try:
                filing.save()
                group.record(
                    GroupEvent.Kind.FILING_ISSUED,
                    actor,
                    member,
                    recipient=recipient,
                    language=language,
                    version=version,
                    members=member_numbers,
                    sha256=filing.sha256,
                )
            except Exception:
                filing.pdf.delete(save=False)
                filing.shared_pdf.delete(save=False)
                raise
        return filing
