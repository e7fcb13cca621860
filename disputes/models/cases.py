import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from escalation import cache as ladder
from escalation import clock, rungs
from escalation.models import Category, PolicyRevision, Provider, Province, Rung
from lib import chinatime

from ..personal import mask_id_number, mask_mobile
from .base import Answer, at_china_hour, china_today
from .events import Event
from .parties import Charge, Party
from .reminders import new_calendar_token
from .steps import Step


class MobileTaken(Exception):
    """Another account has already verified this mobile number."""


class Profile(models.Model):
    """A merchant's contact details, used in their letters.

    The mobile number is only a contact until a text-message code proves it
    (``mobile_verified_at``); then it is a login name too, and no other account
    may verify it (a unique constraint on verified numbers).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    full_name = models.CharField(_("full name"), max_length=60)
    mobile = models.CharField(_("mobile number"), max_length=20)
    mobile_verified_at = models.DateTimeField(
        _("mobile number verified at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a code sent by text message proved the number; only then does it log in."),
    )
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    id_number = models.CharField(
        _("ID card number"),
        max_length=18,
        blank=True,
        help_text=_("Optional. Only printed in the documents that legally need it; shown masked elsewhere."),
    )
    ethnicity = models.CharField(
        _("ethnicity"), max_length=20, blank=True, help_text=_("Optional; a civil complaint states it (e.g. 汉族).")
    )
    occupation = models.CharField(
        _("occupation"), max_length=60, blank=True, help_text=_("Optional; a civil complaint states it.")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="zh-hans")
    email_reminders = models.BooleanField(
        _("reminders by email"), default=True, help_text=_("In-app notices are always kept.")
    )
    sms_reminders = models.BooleanField(
        _("reminders by text message"),
        default=True,
        help_text=_("A short text to your mobile when the other side's time runs out."),
    )
    calendar_token = models.CharField(
        _("calendar feed key"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )

    class Meta:
        verbose_name = _("merchant profile")
        verbose_name_plural = _("merchant profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"],
                condition=models.Q(mobile_verified_at__isnull=False),
                name="disputes_profile_verified_mobile_unique",
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def mobile_verified(self):
        return self.mobile_verified_at is not None

    @staticmethod
    def verified_elsewhere(mobile, user=None):
        """Whether an account other than ``user``'s has verified ``mobile``."""
        others = Profile.objects.filter(mobile=mobile, mobile_verified_at__isnull=False)
        return others.exclude(user=user).exists() if user is not None else others.exists()

    def verify_mobile(self, mobile):
        """Record that a text-message code proved ``mobile`` is this merchant's; MobileTaken if another has it."""
        if Profile.verified_elsewhere(mobile, self.user_id):
            raise MobileTaken(mobile)
        self.mobile, self.mobile_verified_at = mobile, chinatime.now()
        try:
            with transaction.atomic():
                self.save(update_fields=["mobile", "mobile_verified_at"])
        except IntegrityError:  # verified by another account a moment ago
            self.refresh_from_db(fields=["mobile", "mobile_verified_at"])
            raise MobileTaken(mobile) from None

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def masked_mobile(self):
        return mask_mobile(self.mobile) if self.mobile else ""


class Case(models.Model):
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
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["owner", "-created_at"])]
        permissions = [("review_case", _("Can help with cases in the volunteers' queue"))]

    def __str__(self):
        return f"{self.provider_name or _('Case')} · {self.amount or ''}"

    # ----- derived facts -------------------------------------------------------------------------

    @property
    def provider_name(self):
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
        return self.provider.name if self.provider_id else ""

    @staticmethod
    def respondent_name_subquery():
        """The name typed for the respondent of the outer case, for ``.annotate(respondent_name=...)``."""
        return models.Subquery(
            Party.objects.filter(case=models.OuterRef("pk"), role=Party.Role.RESPONDENT).values("name")[:1]
        )

    # ----- the parties and the sums taken, read once ----------------------------------------------

    @property
    def party_list(self):
        parties = self.__dict__.get("_party_list")
        if parties is None:
            parties = list(self.parties.all())
            self.__dict__["_party_list"] = parties
        return parties

    def party(self, role):
        """The party with ``role`` (Party.Role), or None."""
        return next((party for party in self.party_list if party.role == role), None)

    @property
    def merchant(self):
        return self.party(Party.Role.MERCHANT)

    @property
    def respondent(self):
        return self.party(Party.Role.RESPONDENT)

    @property
    def agent(self):
        return self.party(Party.Role.AGENT)

    @property
    def merchant_kind(self):
        merchant = self.merchant
        return merchant.kind if merchant else ""

    @property
    def charge_list(self):
        charges = self.__dict__.get("_charge_list")
        if charges is None:
            charges = list(self.charges.all())
            self.__dict__["_charge_list"] = charges
        return charges

    def forget_facts(self):
        for key in ("_party_list", "_charge_list", "respondent_name"):
            self.__dict__.pop(key, None)

    @property
    def only_overcharge(self):
        """True when every sum claimed is card fees above the agreed rate: no deposit, no promise of a return."""
        return bool(self.charge_list) and all(charge.is_overcharge for charge in self.charge_list)

    @property
    def has_deposit(self):
        return any(charge.kind == Charge.Kind.DEPOSIT for charge in self.charge_list)

    @property
    def nothing_owed(self):
        """True when money came back and every sum taken has been refunded in full: no letter claims anything."""
        charges = self.charge_list
        if not any(charge.refunded_amount for charge in charges):
            return False
        pending = any(charge.is_overcharge and charge.amount is None for charge in charges)
        return not pending and self.claimed_total == 0

    @property
    def claimed_total(self):
        """What is still owed: each sum taken, less what came back."""
        return sum((charge.claimed or Decimal("0") for charge in self.charge_list), Decimal("0"))

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_resolved(self):
        """Closed with money back (not withdrawn)."""
        return self.status == self.Status.RESOLVED

    # ----- the steps, read once --------------------------------------------------------------------

    @property
    def step_list(self):
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

    def forget_steps(self):
        self.__dict__.pop("_step_list", None)

    def refresh_from_db(self, *args, **kwargs):
        self.forget_steps()
        self.forget_facts()
        return super().refresh_from_db(*args, **kwargs)

    @property
    def money_back(self):
        """True once the money came back (recorded as an answer or as the case's ending)."""
        if self.status == self.Status.RESOLVED:
            return True
        return any(step.outcome == Step.Outcome.REFUNDED for step in self.step_list)

    @property
    def masked_merchant_number(self):
        number = self.merchant_number
        return number[:3] + "*" * max(len(number) - 6, 0) + number[-3:] if len(number) > 6 else number

    def last_written_demand_on(self):
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

    def contacted_institution(self):
        return any(step.rung.position in {rungs.CUSTOMER_SERVICE, rungs.APPLICATION} for step in self.step_list)

    def routing_facts(self):
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

    # ----- the live deadline: one answer for every page, list, feed and reminder ------------------

    @staticmethod
    def live_steps_condition():
        """``Step.is_live`` as a condition on a case's steps, for filters and annotations over cases."""
        return models.Q(steps__outcome__in=Step.WAITING, steps__superseded=False, steps__rung=models.F("rung"))

    def live_steps(self):
        """The steps whose deadlines count now (``Step.is_live``), soonest first."""
        live = [step for step in self.step_list if step.is_waiting and step.rung_id == self.rung_id]
        return sorted(live, key=lambda step: (step.due_on is None, step.due_on or datetime.date.min))

    def live_deadline(self):
        """The live step whose deadline comes first, or None: "the" deadline everywhere it is shown."""
        if not self.is_open:
            return None
        return next((step for step in self.live_steps() if step.due_on is not None), None)

    def latest_step_here(self):
        """The latest step not superseded at the rung the case is on, or None."""
        here = [step for step in self.step_list if step.rung_id == self.rung_id and not step.superseded]
        return max(here, key=lambda step: (step.started_on, step.created_at), default=None)

    def entry_blocker(self, rung, today=None):
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

    def application_rule(self):
        """The rule the written refund application asks the institution to keep (its reply days)."""
        return ladder.primary_rule(rung=ladder.rung(rungs.APPLICATION))

    def limitation_rule(self):
        return ladder.rule("limitation")

    def limitation_moments(self):
        """The limitation warnings for the current period: (kind, days before, moment), 90 and 30 days before."""
        if self.limitation_on is None:
            return
        rule = self.limitation_rule()
        first = rule.remind_days_before if rule and rule.remind_days_before else 90
        for days in sorted({first, 30}, reverse=True):
            yield "limitation", days, at_china_hour(self.limitation_on - datetime.timedelta(days=days))

    def refresh_limitation(self):
        """Recompute when the limitation period ends (民法典 Arts. 188, 195) and when to warn about it."""
        changes = self.limitation_changes()
        if changes:
            Case.objects.filter(pk=self.pk).update(**changes)

    def limitation_end(self, overrides=None):
        """When the limitation period ends (clock.limitation_end), from the facts as they stand; None when unknown."""
        return clock.limitation_end(
            self.limitation_rule(),
            self.harm_known_on,
            self.last_written_demand_on(),
            overrides=overrides or ladder.overrides(),
        )

    def limitation_changes(self, overrides=None):
        """Set the limitation fields from the facts; return the changed ones for the caller's UPDATE."""
        ends = self.limitation_end(overrides)
        if ends is not None:
            ends = datetime.date(ends.year, ends.month, ends.day)
        if ends == self.limitation_on:
            return {}
        self.limitation_on = ends
        self.limitation_reminder_at = next((moment for _k, _d, moment in self.limitation_moments()), None)
        return {"limitation_on": self.limitation_on, "limitation_reminder_at": self.limitation_reminder_at}

    def enqueue(self, reason, actor=None):
        """Put the case in the volunteers' queue (once) and note why on the timeline."""
        with transaction.atomic():
            updated = Case.objects.filter(pk=self.pk, queued_at__isnull=True).update(
                queued_at=chinatime.now(), queue_reason=reason
            )
            if updated:
                self.refresh_from_db(fields=["queued_at", "queue_reason"])
                self.record(Event.Kind.QUEUED, actor, reason=reason)
        return bool(updated)

    @property
    def in_queue(self):
        return self.queued_at is not None and self.is_open

    def take(self, volunteer):
        """A volunteer takes the case from the queue (nobody else had it)."""
        with transaction.atomic():
            taken = Case.objects.filter(pk=self.pk, queued_at__isnull=False, assigned_to__isnull=True).update(
                assigned_to=volunteer, assigned_at=chinatime.now()
            )
            if taken:
                self.refresh_from_db(fields=["assigned_to", "assigned_at"])
                self.record(Event.Kind.ASSIGNED, volunteer)
        return bool(taken)

    def release(self, volunteer):
        """The volunteer is done: the case leaves the queue and their list."""
        with transaction.atomic():
            released = Case.objects.filter(pk=self.pk, queued_at__isnull=False).update(
                queued_at=None, queue_reason="", assigned_to=None, assigned_at=None
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

    def resume_step(self, today=None):
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

    # ----- state changes ---------------------------------------------------------------------------

    @classmethod
    def open(cls, owner, actor=None, pk=None):
        """Open a new case at the first rung and record it on the timeline.

        ValidationError when the owner already has as many open cases as an account may.
        The merchant party starts with the owner's profile details (name, mobile,
        address, ID, ethnicity, occupation); the case can change them.
        """
        with transaction.atomic():
            cls.check_open_limit(owner)
            profile = Profile.objects.filter(user=owner).first()
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
    def check_open_limit(cls, owner):
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

    def record(self, kind, actor, **data):
        """Write one timeline event for this case (call inside the state change's transaction)."""
        return Event.objects.create(case=self, kind=kind, actor=actor, data=data)

    def save_intake(self, values, actor):
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

    def save_details(self, values, actor):
        """What the letters need beyond the intake (the court, witnesses, interest, the story); the changed fields."""
        with transaction.atomic():
            changed = [name for name in self.DETAIL_FIELDS if name in values and getattr(self, name) != values[name]]
            if changed:
                for name in changed:
                    setattr(self, name, values[name])
                self.save(update_fields=[*changed, "updated_at"])
                self.record(Event.Kind.DETAILS_SAVED, actor, fields=changed)
        return changed

    @staticmethod
    def _directory_entry(values, actor):
        """A company typed by name joins the provider directory, hidden from others until an admin checks it."""
        respondent = values.get("respondent") or {}
        name = (respondent.get("name") or "").strip()
        if "provider" not in values or values["provider"] is not None or not name:
            return values
        provider, _created = Provider.objects.get_or_create(
            name=name[:200], defaults={"added_by": actor, "is_active": False}
        )
        return {**values, "provider": provider, "respondent": {**respondent, "name": ""}}

    def save_party(self, role, values, actor):
        """Change one party's details (the letters' names, IDs and addresses); return the changed fields."""
        with transaction.atomic():
            changed = self._update_party(role, values)
            if changed:
                self.record(Event.Kind.PARTY_SAVED, actor, role=role, fields=changed)
        return changed

    def _update_party(self, role, values):
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

    def first_charge(self):
        return self.charge_list[0] if self.charge_list else None

    def save_charge(self, charge, values, actor):
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

    def delete_charge(self, charge, actor):
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

    def _update_charge(self, charge, values):
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

    def refresh_amount(self):
        """Keep ``amount`` the sum of the amounts taken."""
        amounts = [charge.amount for charge in self.charge_list if charge.amount is not None]
        total = sum(amounts, Decimal("0")) if amounts else None
        if total != self.amount:
            self.amount = total
            Case.objects.filter(pk=self.pk).update(amount=total)

    def save_trades(self, charge, trades, actor):
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

    def confirm_overcharge(self, charge, total, actor):
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

    def record_deception(self, posed_as, pitch, actor):
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
    def deceived(self):
        """True when the merchant recorded that the seller posed as someone else's staff or pitched a limit rise."""
        return bool(self.posed_as or self.pitch)

    def net_refund(self, amount, on, actor):
        """Net a refund off the sums still owed, where it is clear which: return True when it was netted.

        A refund of everything still owed settles every item; with one item owed it goes to that item.
        Otherwise the merchant says item by item (the page "Parties and money").
        """
        owed = [charge for charge in self.charge_list if charge.claimed]
        if not owed or amount is None or amount <= 0:
            return False
        if amount >= self.claimed_total:
            parts = [(charge, charge.claimed) for charge in owed]
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

    def record_policy_read(self, revision, checklist, actor):
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

    def enter_rung(self, rung, actor, reason=""):
        """Move the case up to ``rung``; going early needs a reason, which the timeline keeps."""
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=self.pk)
            if rung.position <= case.rung.position:
                return False
            blocker = case.entry_blocker(rung)
            if blocker and not reason.strip():
                raise ValueError(f"entering rung {rung.position} early needs a reason ({blocker})")
            Case.objects.filter(pk=self.pk).update(rung=rung, updated_at=chinatime.now())
            self.rung = rung
            self.steps.filter(rung__position__lt=rung.position).update(next_reminder_at=None)
            self.forget_steps()
            if blocker:
                self.record(Event.Kind.RUNG_ENTERED_EARLY, actor, rung=rung.position, reason=reason.strip())
            else:
                self.record(Event.Kind.RUNG_ENTERED, actor, rung=rung.position)
        return True

    def log_step(self, *, rung, actor, started_on, channel=None, rule=None, early_reason="", **details):
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
                Case.objects.filter(pk=self.pk).update(**changes)
            Event.objects.bulk_create(events)
        return step

    def _silence(self, superseded, silenced):
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

    def leave_queue(self):
        Case.objects.filter(pk=self.pk).update(queued_at=None, queue_reason="", assigned_to=None, assigned_at=None)
        self.queued_at, self.queue_reason, self.assigned_to, self.assigned_at = None, "", None, None

    def stop_reminders(self):
        """No more reminders for this case (it is closed)."""
        self.steps.filter(next_reminder_at__isnull=False).update(next_reminder_at=None)
        Case.objects.filter(pk=self.pk).update(limitation_reminder_at=None)
        self.limitation_reminder_at = None
        for step in self.__dict__.get("_step_list") or []:
            step.next_reminder_at = None

    def resolve(self, amount, on, rung, actor):
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

    def withdraw(self, reason, actor):
        """Close the case without the money, keeping the merchant's reason."""
        with transaction.atomic():
            self.status = self.Status.WITHDRAWN
            self.withdrawn_reason = reason
            self.closed_at = chinatime.now()
            self.save(update_fields=["status", "withdrawn_reason", "closed_at", "updated_at"])
            self.stop_reminders()
            self.leave_queue()
            self.record(Event.Kind.WITHDRAWN, actor, reason=reason)

    def reopen(self, actor):
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
            Case.objects.filter(pk=self.pk).update(limitation_reminder_at=self.limitation_reminder_at)
            self.record(Event.Kind.REOPENED, actor)
