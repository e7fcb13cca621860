from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cases.models.base import Answer
from cases.models.case_facts import FactEdits
from cases.models.case_ladder import LadderMoves
from cases.models.events import Event
from cases.models.parties import Charge, Party
from cases.models.steps import Step
from escalation import cache as ladder
from escalation import clock, rungs
from escalation.models import Category, PolicyRevision, Provider, Province, Rung

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL: django-stubs' plugin resolves this alias to it.
    from django.contrib.auth.models import _User as User

    from escalation.routing import CaseFacts


class Case(FactEdits, LadderMoves, models.Model):
    """One merchant's dispute over a deposit or fee that was not returned."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Money recovered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class QueueReason(models.TextChoices):
        """Why a case is in the volunteers' queue."""

        REMINDERS_UNANSWERED = "reminders_unanswered", _("two reminders went unanswered")
        HELP_REQUESTED = "help_requested", _("the merchant asked for help")
        LETTER_REVIEW = "letter_review", _("a letter was submitted for review")
        IMPORTED = "imported", _("a volunteer imported it")

    class ObtainedVia(models.TextChoices):
        OFFICIAL = "official", _("The provider's official channel")
        AGENT = "agent", _("An agent or reseller")

    class PromiseForm(models.TextChoices):
        WRITTEN = "written", _("In writing (agreement, contract clause, chat message)")
        ADVERT = "advert", _("In an advert, flyer or sales post")
        ORAL = "oral", _("Orally only")
        NONE = "none", _("Nothing was promised")

    class PromisedBy(models.TextChoices):
        AGENT = "agent", _("The agent")
        PROVIDER = "provider", _("The provider itself")
        UNKNOWN = "unknown", _("I don't know")

    class Use(models.TextChoices):
        BUSINESS = "business", _("For my business")
        PERSONAL = "personal", _("For personal consumption")

    class PosedAs(models.TextChoices):
        """Whose staff the seller claimed to be (domain.md §8.7: courts convicted such promoters of fraud)."""

        BANK = "bank", _("Bank staff")
        UNIONPAY = "unionpay", _("UnionPay staff")
        PROVIDER = "provider", _("Staff of the payment company itself")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cases", verbose_name=_("owner")
    )
    rung = models.ForeignKey(Rung, on_delete=models.PROTECT, related_name="+", verbose_name=_("current rung"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)

    # Intake: the facts of the case.
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("provider")
    )
    obtained_via = models.CharField(_("obtained through"), max_length=16, choices=ObtainedVia.choices, blank=True)
    merchant_number = models.CharField(_("merchant number (商户号)"), max_length=40, blank=True)
    terminal_model = models.CharField(_("terminal model"), max_length=60, blank=True)
    terminal_sn = models.CharField(_("terminal serial number (SN)"), max_length=60, blank=True)
    activation_date = models.DateField(_("activation date"), null=True, blank=True)
    # The sum of the amounts taken (Charge rows), kept here for lists, routing and the small-claims test.
    amount = models.DecimalField(
        _("amount taken (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    promise_form = models.CharField(
        _("how the return was promised"), max_length=16, choices=PromiseForm.choices, blank=True
    )
    promised_by = models.CharField(_("who promised it"), max_length=16, choices=PromisedBy.choices, blank=True)
    promise_target = models.DecimalField(
        _("transaction target (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    promise_period_months = models.PositiveSmallIntegerField(_("within (months)"), null=True, blank=True)
    promise_within_days = models.PositiveSmallIntegerField(_("within (days)"), null=True, blank=True)
    promise_details = models.TextField(_("the promise in your words"), blank=True)
    promise_source = models.CharField(
        _("where the promise can be seen"), max_length=200, blank=True, help_text=_("The chat, flyer or clause.")
    )
    volume_reached = models.DecimalField(
        _("volume you reached (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reached_in_days = models.PositiveSmallIntegerField(_("reached within (days)"), null=True, blank=True)
    # Deception, only as the merchant recorded it: letters state it only then (民法典 Arts. 148–149).
    posed_as = models.CharField(_("the seller posed as"), max_length=40, choices=PosedAs.choices, blank=True)
    pitch = models.CharField(
        _("the seller's pitch"), max_length=100, blank=True, help_text=_("e.g. 提额: it would raise a card's limit.")
    )
    small_print = models.TextField(_("the agreement's clause on this money"), blank=True)
    forum_court = models.CharField(_("court named in the agreement"), max_length=200, blank=True)
    story = models.TextField(_("what happened, in your words"), blank=True)
    witnesses = models.TextField(
        _("witnesses"), blank=True, help_text=_("Names and addresses of people who saw or heard what happened.")
    )
    claim_interest = models.BooleanField(_("claim interest in court"), default=False)
    element_table = models.BooleanField(
        _("add an element table to the civil complaint"),
        default=False,
        help_text=_("The table form (要素式) courts encourage: the same facts, element by element."),
    )
    interest_from = models.DateField(_("interest from"), null=True, blank=True)
    court_name = models.CharField(
        _("the court you file with"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the court of the defendant's domicile, of where you receive the money, or the agreed one."),
    )
    language = models.CharField(_("letters' language"), max_length=8, choices=settings.LANGUAGES, default="zh-hans")
    extra = models.JSONField(_("other details from a case file"), default=dict, blank=True)
    category = models.CharField(_("what the complaint is about"), max_length=20, choices=Category.choices, blank=True)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices, blank=True)
    use = models.CharField(_("the terminal is used"), max_length=16, choices=Use.choices, blank=True)
    harm_known_on = models.DateField(_("date you learned it would not be returned"), null=True, blank=True)
    intake_completed_at = models.DateTimeField(_("intake completed"), null=True, blank=True)

    # Rung 1: what the merchant read and found.
    policy_revision = models.ForeignKey(
        PolicyRevision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("policy revision read"),
    )
    policy_read_at = models.DateTimeField(_("policy read"), null=True, blank=True)
    target_met = models.CharField(_("target met"), max_length=8, choices=Answer.choices, blank=True)
    unsettled_transactions = models.CharField(
        _("unsettled transactions"), max_length=8, choices=Answer.choices, blank=True
    )
    arbitration_clause = models.CharField(_("arbitration clause"), max_length=8, choices=Answer.choices, blank=True)
    forum_clause = models.CharField(_("forum clause"), max_length=8, choices=Answer.choices, blank=True)
    fees_disclosed = models.CharField(_("fees disclosed"), max_length=8, choices=Answer.choices, blank=True)

    # The ending.
    recovered_amount = models.DecimalField(
        _("amount recovered (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recovered_on = models.DateField(_("recovered on"), null=True, blank=True)
    recovered_rung = models.ForeignKey(
        Rung, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recovered at rung")
    )
    withdrawn_reason = models.TextField(_("why the case was withdrawn"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, db_index=True)
    purge_notice_sent_at = models.DateTimeField(_("told of deletion on"), null=True, blank=True)

    # The three-year limitation period, restarted by each written demand, and its warnings.
    limitation_on = models.DateField(_("limitation period ends"), null=True, blank=True)
    limitation_reminder_at = models.DateTimeField(_("next limitation warning"), null=True, blank=True, db_index=True)

    # The volunteers' queue (the human fallback).
    queued_at = models.DateTimeField(_("in the review queue since"), null=True, blank=True, db_index=True)
    queue_reason = models.CharField(_("why it is in the queue"), max_length=24, blank=True, choices=QueueReason.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("volunteer"),
    )
    assigned_at = models.DateTimeField(_("taken on"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The case's own intake fields; the parties and the first sum taken come with them (save_intake).
    INTAKE_FIELDS = [
        "provider",
        "obtained_via",
        "merchant_number",
        "terminal_model",
        "terminal_sn",
        "activation_date",
        "promise_form",
        "promised_by",
        "promise_target",
        "promise_period_months",
        "promise_details",
        "promise_source",
        "volume_reached",
        "category",
        "province",
        "use",
        "harm_known_on",
    ]
    CHECKLIST_FIELDS = ["target_met", "unsettled_transactions", "arbitration_clause", "forum_clause", "fees_disclosed"]

    class Meta:
        db_table = "disputes_case"
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["owner", "-created_at"])]
        permissions = [("review_case", _("Can help with cases in the volunteers' queue"))]

    def __str__(self) -> str:
        return f"{self.provider_name or _('Case')} · {self.amount or ''}"

    # ----- derived facts -------------------------------------------------------------------------

    @property
    def provider_name(self) -> str:
        """The respondent as letters name it: the name typed for this case, else the directory's.

        Lists annotate ``respondent_name`` (``with_respondent_name``) so they read no party per row.
        """
        if "respondent_name" in self.__dict__:
            typed = self.__dict__["respondent_name"]
        else:
            respondent = self.party(Party.Role.RESPONDENT)
            typed = respondent.name if respondent is not None else ""
        if typed:
            return typed
        return self.provider.name if self.provider is not None else ""

    @staticmethod
    def respondent_name_subquery() -> models.Subquery:
        """The name typed for the respondent of the outer case, for ``.annotate(respondent_name=...)``."""
        return models.Subquery(
            Party.objects.filter(case=models.OuterRef("pk"), role=Party.Role.RESPONDENT).values("name")[:1]
        )

    # ----- the parties and the sums taken, read once ----------------------------------------------

    @property
    def party_list(self) -> list[Party]:
        parties = self.__dict__.get("_party_list")
        if parties is None:
            parties = list(self.parties.all())
            self.__dict__["_party_list"] = parties
        return parties

    def party(self, role: str) -> Party | None:
        """The party with ``role`` (Party.Role), or None."""
        return next((party for party in self.party_list if party.role == role), None)

    @property
    def merchant(self) -> Party | None:
        return self.party(Party.Role.MERCHANT)

    @property
    def respondent(self) -> Party | None:
        return self.party(Party.Role.RESPONDENT)

    @property
    def agent(self) -> Party | None:
        return self.party(Party.Role.AGENT)

    @property
    def merchant_kind(self) -> str:
        merchant = self.merchant
        return merchant.kind if merchant else ""

    @property
    def charge_list(self) -> list[Charge]:
        charges = self.__dict__.get("_charge_list")
        if charges is None:
            charges = list(self.charges.all())
            self.__dict__["_charge_list"] = charges
        return charges

    def forget_facts(self) -> None:
        for key in ("_party_list", "_charge_list", "respondent_name"):
            self.__dict__.pop(key, None)

    @property
    def only_overcharge(self) -> bool:
        """True when every sum claimed is card fees above the agreed rate: no deposit, no promise of a return."""
        return bool(self.charge_list) and all(charge.is_overcharge for charge in self.charge_list)

    @property
    def has_deposit(self) -> bool:
        return any(charge.kind == Charge.Kind.DEPOSIT for charge in self.charge_list)

    @property
    def nothing_owed(self) -> bool:
        """True when money came back and every sum taken has been refunded in full: no letter claims anything."""
        charges = self.charge_list
        if not any(charge.refunded_amount for charge in charges):
            return False
        pending = any(charge.is_overcharge and charge.amount is None for charge in charges)
        return not pending and self.claimed_total == 0

    @property
    def claimed_total(self) -> Decimal:
        """What is still owed: each sum taken, less what came back."""
        return sum((charge.claimed or Decimal("0") for charge in self.charge_list), Decimal("0"))

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_resolved(self) -> bool:
        """Closed with money back (not withdrawn)."""
        return self.status == self.Status.RESOLVED

    # ----- the steps, read once --------------------------------------------------------------------

    @property
    def step_list(self) -> list[Step]:
        """Every step of the case, with its rung, channel and rule, read once per instance.

        The derived facts below (money back, next deadline, where to resume) come
        from this list, so a page pays one query for all of them. Methods that
        change steps keep the list up to date or forget it.
        """
        steps = self.__dict__.get("_step_list")
        if steps is None:
            steps = list(self.steps.select_related("rung", "channel", "rule").order_by("started_on", "created_at"))
            self.__dict__["_step_list"] = steps
        return steps

    def forget_steps(self) -> None:
        self.__dict__.pop("_step_list", None)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        self.forget_steps()
        self.forget_facts()
        return super().refresh_from_db(*args, **kwargs)

    @property
    def money_back(self) -> bool:
        """True once the money came back (recorded as an answer or as the case's ending)."""
        if self.status == self.Status.RESOLVED:
            return True
        return any(step.outcome == Step.Outcome.REFUNDED for step in self.step_list)

    @property
    def masked_merchant_number(self) -> str:
        number = self.merchant_number
        return number[:3] + "*" * max(len(number) - 6, 0) + number[-3:] if len(number) > 6 else number

    def last_written_demand_on(self) -> datetime.date | None:
        """The latest written refund application: it restarts the limitation period (民法典 Art. 195).

        A demand takes effect when it reaches the other side: the recorded delivery
        date counts; until one is recorded, the sending date (never a later guess).
        """
        days = [
            step.delivered_on or step.started_on
            for step in self.step_list
            if step.rung.code == Rung.Code.WRITTEN_APPLICATION
        ]
        return max(days, default=None)

    def contacted_institution(self) -> bool:
        return any(step.rung.position in {rungs.CUSTOMER_SERVICE, rungs.APPLICATION} for step in self.step_list)

    def routing_facts(self) -> CaseFacts:
        """The facts escalation's routing needs, from this case."""
        from escalation.routing import CaseFacts

        return CaseFacts(
            category=self.category or Category.REFUND,
            obtained_via=self.obtained_via or self.ObtainedVia.OFFICIAL,
            amount=self.amount,
            province=self.province or None,
            personal_consumption=self.use == self.Use.PERSONAL,
            natural_person=self.merchant_kind != Party.Kind.COMPANY,
            contacted_institution=self.contacted_institution(),
            harm_known_on=self.harm_known_on,
            last_demand_on=self.last_written_demand_on(),
            arbitration_clause={"yes": True, "no": False}.get(self.arbitration_clause),
            limitation_on=self.limitation_end(),
            harm_limit_on=clock.limitation_end(
                self.limitation_rule(), self.harm_known_on, overrides=ladder.overrides()
            ),
        )

    # ----- state changes ---------------------------------------------------------------------------

    @classmethod
    def open(cls, owner: User, actor: User | None = None, pk: uuid.UUID | None = None) -> Case:
        """Open a new case at the first rung and record it on the timeline.

        ValidationError when the owner already has as many open cases as an account may.
        The merchant party starts with the owner's profile details (name, mobile,
        address, ID, ethnicity, occupation); the case can change them.
        """
        with transaction.atomic():
            cls.check_open_limit(owner)
            # The owner's profile, read fresh; accounts sits above cases, so it is reached by name.
            profile = apps.get_model("accounts", "Profile").objects.filter(user=owner).first()
            case = cls.objects.create(
                pk=pk or uuid.uuid4(),
                owner=owner,
                rung=ladder.rung(rungs.FIRST),
                language=profile.language if profile else settings.LANGUAGE_CODE,
            )
            merchant = Party(case=case, role=Party.Role.MERCHANT, kind=Party.Kind.PERSON)
            if profile is not None:
                merchant.name = profile.full_name
                merchant.mobile = profile.mobile
                merchant.address = profile.postal_address
                merchant.ethnicity = profile.ethnicity
                merchant.occupation = profile.occupation
                if profile.id_number:
                    merchant.id_type, merchant.id_number = Party.IdType.RESIDENT_ID, profile.id_number
            merchant.email = owner.email
            merchant.save()
            case.record(Event.Kind.OPENED, actor or owner)
        return case

    @classmethod
    def check_open_limit(cls, owner: User) -> None:
        """Refuse one more open case for ``owner`` past MAX_OPEN_CASES_PER_ACCOUNT (0: no limit).

        Called inside the transaction that opens the case. The owner's row is locked first,
        so two requests at the same moment cannot both take the last place.
        """
        limit = settings.MAX_OPEN_CASES_PER_ACCOUNT
        if limit <= 0:
            return
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
        if cls.objects.filter(owner=owner, status=cls.Status.OPEN).count() >= limit:
            raise ValidationError(
                _(
                    "You already have %(limit)s open cases, the most one account may have. Close a case you no "
                    "longer follow (record how it ended), then try again."
                )
                % {"limit": limit},
                code="open_cases",
            )

    def record(self, kind: str, actor: User | None, **data: Any) -> Event:
        """Write one timeline event for this case (call inside the state change's transaction)."""
        return Event.objects.create(case=self, kind=kind, actor=actor, data=data)

    @staticmethod
    def record_each(kind: str, actor: User | None, entries: Iterable[tuple[Case, dict[str, Any]]]) -> list[Event]:
        """One timeline event per ``(case, details)``, all written by one INSERT (inside the change's transaction)."""
        return Event.objects.bulk_create(
            [Event(case=case, kind=kind, actor=actor, data=data) for case, data in entries]
        )
