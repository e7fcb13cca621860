"""The ladder itself: its rungs, the channels on each, the deadline rules, and the legal bases they cite."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from escalation.models.base import Localized, Sourced, Verification, localized_suffix


class Category(models.TextChoices):
    """What the complaint is about, after seed 004's grouping (渠道、使用、品牌、费用)."""

    CHANNEL = "channel", _("How the POS was sold (official channel or agent)")
    TECHNICAL = "technical", _("Technical problem (card reading, failed transactions)")
    OPERATION = "operation", _("Operating the terminal")
    PRODUCT_QUALITY = "product_quality", _("Product quality")
    AFTER_SALES = "after_sales", _("After-sales service")
    FEES = "fees", _("Fees and charges")
    REFUND = "refund", _("Deposit or fee not refunded")


class Rung(Localized, models.Model):
    """One of the five fixed rungs of the ladder, in order."""

    class Code(models.TextChoices):
        READ_POLICY = "read_policy", _("Read the policy")
        CUSTOMER_SERVICE = "customer_service", _("Contact customer service")
        WRITTEN_APPLICATION = "written_application", _("Written application")
        THIRD_PARTY = "third_party", _("Third-party complaint")
        LITIGATION = "litigation", _("Litigation or arbitration")

    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    code = models.CharField(_("code"), max_length=32, choices=Code.choices, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    prepare_zh = models.TextField(_("what to prepare (Chinese)"), blank=True, help_text=_("One item per line."))
    prepare_en = models.TextField(_("what to prepare (English)"), blank=True, help_text=_("One item per line."))

    class Meta:
        ordering = ["position"]
        verbose_name = _("rung")
        verbose_name_plural = _("rungs")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def summary(self) -> str:
        return self.localized("summary")

    @property
    def prepare_items(self) -> list[str]:
        return [line.strip() for line in self.localized("prepare").splitlines() if line.strip()]


class Channel(Sourced):
    """A place a merchant can go at a rung: the provider's service desk, a regulator, a court."""

    class Kind(models.TextChoices):
        PROVIDER = "provider", _("The provider's customer service")
        FINANCIAL_REGULATOR = "financial_regulator", _("Financial regulator (PBoC)")
        BANKING_REGULATOR = "banking_regulator", _("Financial regulator (NFRA)")
        INDUSTRY_ASSOCIATION = "industry_association", _("Payment industry association")
        MARKET_REGULATOR = "market_regulator", _("Market regulator (12315)")
        CONSUMER_ASSOCIATION = "consumer_association", _("Consumer association")
        PLATFORM = "platform", _("Online complaint platform")
        COURT = "court", _("People's court")
        ARBITRATION = "arbitration", _("Arbitration")

    class Eligibility(models.TextChoices):
        ANYONE = "anyone", _("Anyone")
        NATURAL_PERSON = "natural_person", _("Natural persons only")
        CONSUMER = "consumer", _("Consumers (personal consumption) only")

    class Filing(models.TextChoices):
        NONE = "", _("No filing document")
        FINANCIAL = "financial", _("Complaint to a financial regulator")
        MARKET = "market", _("Complaint to a market regulator or consumer association")
        ASSOCIATION = "association", _("Report to the payment industry association")
        CIVIL = "civil", _("Civil complaint")

    rung = models.ForeignKey(Rung, on_delete=models.PROTECT, related_name="channels", verbose_name=_("rung"))
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("order within the rung"), default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True, help_text=_("Hotline, email or address."))
    web_address = models.URLField(_("web address"), blank=True)
    working_hours_zh = models.CharField(_("working hours (Chinese)"), max_length=200, blank=True)
    working_hours_en = models.CharField(_("working hours (English)"), max_length=200, blank=True)
    eligibility = models.CharField(
        _("who may use it"), max_length=20, choices=Eligibility.choices, default=Eligibility.ANYONE
    )
    requires_prior_complaint = models.BooleanField(_("requires complaining to the institution first"), default=False)
    pressure_only = models.BooleanField(
        _("pressure only"),
        default=False,
        help_text=_("A report or public platform that cannot itself order a refund."),
    )
    filing = models.CharField(_("filing document"), max_length=16, choices=Filing.choices, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["rung__position", "position", "code"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def description(self) -> str:
        return self.localized("description")

    @property
    def working_hours(self) -> str:
        return self.localized("working_hours")


class DeadlineRule(Sourced):
    """How long the other side has at a rung or channel, and when to remind the merchant."""

    class Unit(models.TextChoices):
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        WORKING_DAYS = "working_days", _("working days")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")

    class Start(models.TextChoices):
        SENT = "sent", _("when sent or submitted")
        DELIVERED = "delivered", _("when delivered or received")
        ACCEPTED = "accepted", _("when accepted")
        HARM_KNOWN = "harm_known", _("when the harm became known, or the last demand")

    class Unlock(models.TextChoices):
        AT_DUE = "at_due", _("when the deadline lapses")
        AT_MAXIMUM = "at_maximum", _("when the maximum lapses")
        ANYTIME = "anytime", _("at any time")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    rung = models.ForeignKey(
        Rung, on_delete=models.PROTECT, null=True, blank=True, related_name="deadline_rules", verbose_name=_("rung")
    )
    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadline_rules",
        verbose_name=_("channel"),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.CALENDAR_DAYS)
    starts_on = models.CharField(_("the clock starts"), max_length=16, choices=Start.choices, default=Start.SENT)
    maximum = models.PositiveSmallIntegerField(
        _("maximum with extensions"), null=True, blank=True, help_text=_("In the same unit; empty when none.")
    )
    remind_days_before = models.PositiveSmallIntegerField(_("remind this many days before"), default=2)
    remind_on_due_date = models.BooleanField(
        _("remind when their time is up"), default=True, help_text=_("The morning after the last day.")
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("then repeat every (days)"), default=7, help_text=_("0 for no repeat.")
    )
    escalation_unlocks = models.CharField(
        _("escalation unlocks"), max_length=16, choices=Unlock.choices, default=Unlock.AT_DUE
    )
    is_primary = models.BooleanField(
        _("primary rule"),
        default=True,
        help_text=_("The rule that starts when the merchant records this rung or channel; others follow it."),
    )

    class Meta:
        ordering = ["rung__position", "channel__position", "code"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(rung__isnull=False) | Q(channel__isnull=False), name="deadline_rule_has_rung_or_channel"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    def duration_text(self, amount: int | None = None) -> str:
        """ "7 working days", "15天": the amount in its unit, in the active language."""
        amount = self.amount if amount is None else amount
        formats: dict[str, str] = {
            self.Unit.CALENDAR_DAYS: ngettext("%(n)d day", "%(n)d days", amount),
            self.Unit.WORKING_DAYS: ngettext("%(n)d working day", "%(n)d working days", amount),
            self.Unit.MONTHS: ngettext("%(n)d month", "%(n)d months", amount),
            self.Unit.YEARS: ngettext("%(n)d year", "%(n)d years", amount),
        }
        return formats[self.unit] % {"n": amount}

    @property
    def maximum_text(self) -> str:
        return self.duration_text(self.maximum) if self.maximum is not None else ""

    def clean(self) -> None:
        if self.rung_id is None and self.channel_id is None:
            raise ValidationError(_("A deadline rule belongs to a rung or a channel."), code="no_owner")
        if self.maximum is not None and self.maximum < self.amount:
            raise ValidationError({"maximum": _("The maximum cannot be shorter than the deadline itself.")})

    @classmethod
    def primary_for(cls, rung: Rung | None = None, channel: Channel | None = None) -> DeadlineRule | None:
        """The rule that applies when a merchant acts at this channel (or, failing that, this rung)."""
        if channel is not None:
            rule = cls.objects.filter(channel=channel, is_primary=True).first()
            if rule is not None:
                return rule
            rung = rung or channel.rung
        if rung is None:
            return None
        return cls.objects.filter(rung=rung, channel__isnull=True, is_primary=True).first()


class LegalBasis(Localized, models.Model):
    """One rule a letter may cite: the law, its number, the article, what it says, and when it is in force.

    Admins edit these; a letter cites only the records in force on its date
    (``in_force_on``), so a repealed rule (the SAMR's Order No. 20, replaced by
    Order No. 121 on 2026-04-15) drops out of every letter on the day it goes.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    law_zh = models.CharField(_("law or rule (Chinese)"), max_length=200, help_text=_("e.g. 《中华人民共和国民法典》"))
    law_en = models.CharField(_("law or rule (English)"), max_length=200)
    short_zh = models.CharField(_("short name (Chinese)"), max_length=100, blank=True, help_text=_("e.g. 《民法典》"))
    short_en = models.CharField(_("short name (English)"), max_length=100, blank=True)
    number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("e.g. 总局令第121号, 中支协发〔2022〕12号")
    )
    article_zh = models.CharField(_("article (Chinese)"), max_length=60, blank=True, help_text=_("e.g. 第509条"))
    article_en = models.CharField(_("article (English)"), max_length=60, blank=True, help_text=_("e.g. Art. 509"))
    text_zh = models.TextField(
        _("what it says (Chinese)"), help_text=_("The sentence a letter uses, faithful to the text.")
    )
    text_en = models.TextField(_("what it says (English)"))
    effective_from = models.DateField(_("in force from"))
    repealed_on = models.DateField(
        _("repealed on"), null=True, blank=True, help_text=_("The first day it no longer applies.")
    )
    sources = models.TextField(_("sources"), help_text=_("One address or legal-text reference per line."))
    verification = models.CharField(
        _("verification"), max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self) -> str:
        return self.citation_in("zh")

    def clean(self) -> None:
        if self.repealed_on and self.repealed_on <= self.effective_from:
            raise ValidationError({"repealed_on": _("A rule is repealed after it comes into force.")})

    def in_force(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.repealed_on is None or day < self.repealed_on)

    def citation_in(self, suffix: str) -> str:
        law = getattr(self, f"short_{suffix}") or getattr(self, f"law_{suffix}") or self.law_zh
        article = getattr(self, f"article_{suffix}")
        if suffix == "zh":
            number = f"（{self.number}）" if self.number and not self.short_zh else ""
            return f"{law}{number}{article}"
        number = f" ({self.number})" if self.number and not self.short_en else ""
        return f"{law}{number}, {article}" if article else f"{law}{number}"

    @property
    def citation(self) -> str:
        """How a letter names it: 《民法典》第509条 / Civil Code, Art. 509."""
        return self.citation_in(localized_suffix())

    @property
    def text(self) -> str:
        return self.localized("text")

    @property
    def is_verified(self) -> bool:
        return self.verification in {Verification.PRIMARY, Verification.SECONDARY}

    @classmethod
    def in_force_on(cls, day: datetime.date) -> dict[str, LegalBasis]:
        """{code: basis} of every record in force on ``day`` (one query)."""
        query = cls.objects.filter(effective_from__lte=day).filter(Q(repealed_on__isnull=True) | Q(repealed_on__gt=day))
        return {basis.code: basis for basis in query}
