"""What the ladder is: rungs, channels, providers, deadline rules, policy text.

Nothing here knows about a particular case. Content that admins edit in both
languages lives in paired ``*_zh`` / ``*_en`` columns; every legal fact carries
its sources and a verification mark taken from ../shared/docs/domain.md.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lib import chinatime

from . import markup

STALE_AFTER_DAYS = 180


def localized_suffix():
    language = translation.get_language() or settings.LANGUAGE_CODE
    return "en" if language.startswith("en") else "zh"


class Localized:
    """Pick ``<field>_zh`` or ``<field>_en`` for the active language (Chinese when English is empty)."""

    def localized(self, field):
        value = getattr(self, f"{field}_{localized_suffix()}")
        return value or getattr(self, f"{field}_zh")


class Verification(models.TextChoices):
    PRIMARY = "primary", _("Verified against the legal text")
    SECONDARY = "secondary", _("Verified in a secondary source")
    UNVERIFIED = "unverified", _("Unverified")
    APP_DEFAULT = "default", _("App default, not law")


INTERNAL_REFERENCE = re.compile(r"\s*\(?\bdomain\.md(?:\s*§[\w.()]+(?:,?\s*(?:§|item)\s*[\w.()]+)*)?\)?[;,]?\s*")
MIRRORED_FILE = re.compile(r"^[^:]*:\s*(?P<path>\S+)\.md$")


def public_source(line):
    """One source line without internal references: a mirrored law file becomes the law's name.

    "LawRefBook (github.com/…): 行政法规/非银行支付机构监督管理条例(2023-12-09).md" reads
    "非银行支付机构监督管理条例(2023-12-09)", "…: 民法典/合同编.md" reads "民法典合同编", and
    "domain.md §6 (rung 2)" is dropped.
    """
    mirrored = MIRRORED_FILE.match(line)
    if mirrored:
        *folders, name = mirrored["path"].split("/")
        return f"民法典{name}" if folders and folders[-1] == "民法典" else name
    line = INTERNAL_REFERENCE.sub(" ", line).strip(" ;,")
    if re.fullmatch(r"\(rung \d\)", line):
        return ""
    if line.startswith("(") and line.endswith(")"):
        line = line[1:-1]
    return line


class Sourced(Localized, models.Model):
    """A legal fact: its basis, where it can be re-checked, and how far it was verified."""

    legal_basis_zh = models.TextField(_("legal basis (Chinese)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("One address or legal-text reference per line."))
    verification = models.CharField(
        _("verification"), max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )

    class Meta:
        abstract = True

    @property
    def legal_basis(self):
        return self.localized("legal_basis")

    @property
    def source_list(self):
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def public_source_list(self):
        """The sources as a merchant reads them: laws and pages by name, without the team's file references."""
        return [line for line in map(public_source, self.source_list) if line]

    @property
    def is_verified(self):
        return self.verification in {Verification.PRIMARY, Verification.SECONDARY}


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

    def __str__(self):
        return f"{self.position}. {self.title}"

    @property
    def title(self):
        return self.localized("title")

    @property
    def summary(self):
        return self.localized("summary")

    @property
    def prepare_items(self):
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

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.localized("name")

    @property
    def description(self):
        return self.localized("description")

    @property
    def working_hours(self):
        return self.localized("working_hours")


def validate_credit_code(value):
    """Check a unified social credit code (统一社会信用代码, GB 32100-2015) and its check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    code = value.strip().upper()
    if len(code) != 18 or any(char not in alphabet for char in code):
        raise ValidationError(
            _("A unified social credit code has 18 characters (digits and capital letters without I, O, Z, S, V)."),
            code="credit_code_format",
        )
    total = sum(alphabet.index(char) * weight for char, weight in zip(code[:17], weights, strict=True))
    if alphabet[(31 - total % 31) % 31] != code[17]:
        raise ValidationError(_("This unified social credit code has a wrong check character."), code="credit_code")


class Provider(Localized, models.Model):
    """A licensed payment institution that letters name as the respondent."""

    name = models.CharField(_("full legal name"), max_length=200, unique=True)
    short_name_zh = models.CharField(_("short name (Chinese)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    credit_code_source = models.CharField(_("source of the credit code"), max_length=300, blank=True)
    credit_code_checked_on = models.DateField(_("credit code checked on"), null=True, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True)
    registered_address_source = models.CharField(_("source of the address"), max_length=300, blank=True)
    registered_address_checked_on = models.DateField(_("address checked on"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    legal_representative_source = models.CharField(_("source of the legal representative"), max_length=300, blank=True)
    legal_representative_checked_on = models.DateField(_("legal representative checked on"), null=True, blank=True)
    complaints_to = models.CharField(
        _("where written complaints go"),
        max_length=300,
        blank=True,
        help_text=_("The address, email or online channel that takes written complaints and refund applications."),
    )
    complaints_to_source = models.CharField(_("source of the complaints address"), max_length=300, blank=True)
    complaints_to_checked_on = models.DateField(_("complaints address checked on"), null=True, blank=True)
    service_phone = models.CharField(_("customer-service phone"), max_length=60, blank=True)
    service_email = models.EmailField(_("customer-service email"), blank=True)
    service_web = models.URLField(_("customer-service web address"), blank=True)
    details_verified = models.BooleanField(
        _("details checked by an admin"),
        default=False,
        help_text=_("Leave off until the name, code, address and contacts were checked against an official record."),
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("One address per line."))
    is_active = models.BooleanField(_("shown to merchants"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by a merchant"),
        help_text=_("A company a merchant added; shown to others once an admin has checked it and ticks 'shown'."),
    )

    # What letters print about the provider, each with where it comes from.
    SOURCED_FIELDS = ["credit_code", "registered_address", "legal_representative", "complaints_to"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self):
        return self.short_name or self.name

    @property
    def short_name(self):
        return self.localized("short_name")

    def fact(self, field):
        """(value, source, checked on) of one of ``SOURCED_FIELDS``; the value is "" when unknown."""
        return (
            getattr(self, field),
            getattr(self, f"{field}_source"),
            getattr(self, f"{field}_checked_on"),
        )

    def clean(self):
        missing = [
            str(self._meta.get_field(field).verbose_name)
            for field in self.SOURCED_FIELDS
            if getattr(self, field) and not getattr(self, f"{field}_source")
        ]
        if missing:
            raise ValidationError(
                _("Say where each detail comes from: %(fields)s.") % {"fields": ", ".join(missing)}, code="source"
            )


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

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.localized("name")

    def duration_text(self, amount=None):
        """ "7 working days", "15天": the amount in its unit, in the active language."""
        amount = self.amount if amount is None else amount
        formats = {
            self.Unit.CALENDAR_DAYS: ngettext("%(n)d day", "%(n)d days", amount),
            self.Unit.WORKING_DAYS: ngettext("%(n)d working day", "%(n)d working days", amount),
            self.Unit.MONTHS: ngettext("%(n)d month", "%(n)d months", amount),
            self.Unit.YEARS: ngettext("%(n)d year", "%(n)d years", amount),
        }
        return formats[self.unit] % {"n": amount}

    @property
    def maximum_text(self):
        return self.duration_text(self.maximum) if self.maximum is not None else ""

    def clean(self):
        if self.rung_id is None and self.channel_id is None:
            raise ValidationError(_("A deadline rule belongs to a rung or a channel."), code="no_owner")
        if self.maximum is not None and self.maximum < self.amount:
            raise ValidationError({"maximum": _("The maximum cannot be shorter than the deadline itself.")})

    @classmethod
    def primary_for(cls, rung=None, channel=None):
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

    def __str__(self):
        return self.citation_in("zh")

    def clean(self):
        if self.repealed_on and self.repealed_on <= self.effective_from:
            raise ValidationError({"repealed_on": _("A rule is repealed after it comes into force.")})

    def in_force(self, day):
        return self.effective_from <= day and (self.repealed_on is None or day < self.repealed_on)

    def citation_in(self, suffix):
        law = getattr(self, f"short_{suffix}") or getattr(self, f"law_{suffix}") or self.law_zh
        article = getattr(self, f"article_{suffix}")
        if suffix == "zh":
            number = f"（{self.number}）" if self.number and not self.short_zh else ""
            return f"{law}{number}{article}"
        number = f" ({self.number})" if self.number and not self.short_en else ""
        return f"{law}{number}, {article}" if article else f"{law}{number}"

    @property
    def citation(self):
        """How a letter names it: 《民法典》第509条 / Civil Code, Art. 509."""
        return self.citation_in(localized_suffix())

    @property
    def text(self):
        return self.localized("text")

    @property
    def is_verified(self):
        return self.verification in {Verification.PRIMARY, Verification.SECONDARY}

    @classmethod
    def in_force_on(cls, day):
        """{code: basis} of every record in force on ``day`` (one query)."""
        query = cls.objects.filter(effective_from__lte=day).filter(Q(repealed_on__isnull=True) | Q(repealed_on__gt=day))
        return {basis.code: basis for basis in query}


class PolicyText(models.Model):
    """The text merchants read at a rung, per language and optionally per provider.

    The text itself lives in revisions: every edit adds one, none is ever changed,
    and a case records the revision its merchant read.
    """

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Simplified Chinese")
        EN = "en", _("English")

    rung = models.ForeignKey(Rung, on_delete=models.PROTECT, related_name="policy_texts", verbose_name=_("rung"))
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_texts",
        verbose_name=_("provider"),
        help_text=_("Empty for the text that applies to every provider."),
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    current = models.ForeignKey(
        "PolicyRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current revision"),
    )

    class Meta:
        ordering = ["rung__position", "provider__name", "language"]
        verbose_name = _("policy text")
        verbose_name_plural = _("policy texts")
        constraints = [
            models.UniqueConstraint(
                fields=["rung", "language"], condition=Q(provider__isnull=True), name="one_general_policy_per_rung"
            ),
            models.UniqueConstraint(fields=["rung", "provider", "language"], name="one_policy_per_rung_provider"),
        ]

    def __str__(self):
        return self.title

    def revise(self, body, author, reviewed=False):
        """Save ``body`` as a new revision and make it current; return it.

        Nothing is saved when the body is unchanged (the current revision is returned).
        """
        with transaction.atomic():
            locked = PolicyText.objects.select_for_update().get(pk=self.pk)
            current = locked.current
            if current is not None and current.body == body and not reviewed:
                return current
            number = (locked.revisions.aggregate(models.Max("number"))["number__max"] or 0) + 1
            revision = PolicyRevision.objects.create(
                policy=locked,
                number=number,
                body=body,
                body_html=markup.render(body),
                author=author,
                reviewed_by=author if reviewed else None,
                reviewed_on=chinatime.today() if reviewed else None,
            )
            PolicyText.objects.filter(pk=self.pk).update(current=revision)
            self.current = revision
        return revision

    def restore(self, revision, author):
        """Make an old revision's text current again, as a new revision (history is kept)."""
        if revision.policy_id != self.pk:
            raise ValueError("revision belongs to another policy text")
        return self.revise(revision.body, author)

    def is_stale(self, today=None):
        """True when the current text was never reviewed, or not in the last 180 days."""
        today = today or chinatime.today()
        reviewed_on = self.current.reviewed_on if self.current else None
        return reviewed_on is None or (today - reviewed_on).days > STALE_AFTER_DAYS

    @classmethod
    def general_by_rung(cls, language=None):
        """{rung id: the general text} in ``language`` (Chinese where missing), in one query."""
        language = language or ("en" if localized_suffix() == "en" else "zh-hans")
        texts = {}
        query = cls.objects.filter(provider__isnull=True, current__isnull=False).select_related("current")
        for text in query.filter(language__in={language, "zh-hans"}):
            if text.language == language or text.rung_id not in texts:
                texts[text.rung_id] = text
        return texts

    @classmethod
    def for_rung(cls, rung, language=None, provider=None):
        """The text a merchant should read: the provider's own if there is one, else the general one.

        Chinese is the fallback when the language has no text.
        """
        language = language or ("en" if localized_suffix() == "en" else "zh-hans")
        candidates = cls.objects.filter(rung=rung, current__isnull=False).select_related("current")
        for lang in dict.fromkeys([language, "zh-hans"]):
            if provider is not None:
                text = candidates.filter(provider=provider, language=lang).first()
                if text:
                    return text
            text = candidates.filter(provider__isnull=True, language=lang).first()
            if text:
                return text
        return None


class PolicyRevision(models.Model):
    """One immutable version of a policy text."""

    policy = models.ForeignKey(
        PolicyText, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("policy text")
    )
    number = models.PositiveIntegerField(_("revision"))
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(_("text as shown"), editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    class Meta:
        ordering = ["policy", "-number"]
        verbose_name = _("policy revision")
        verbose_name_plural = _("policy revisions")
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="unique_policy_revision_number")]

    def __str__(self):
        return f"{self.policy} · r{self.number}"

    def mark_reviewed(self, reviewer, on=None):
        """Stamp this revision as reviewed (who and when); the text itself never changes."""
        self.reviewed_by = reviewer
        self.reviewed_on = on or chinatime.today()
        self.save(update_fields=["reviewed_by", "reviewed_on"])


class HolidayCalendar(models.Model):
    """Official holidays and make-up workdays an admin adds for a year the library does not know.

    The State Council publishes each year's schedule in November. Once the whole
    year is entered and marked complete, deadlines in it are no longer provisional.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(
        _("the whole year is entered"),
        default=False,
        help_text=_("Tick once every holiday and make-up workday of the published schedule is entered."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("The State Council notice."))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("holiday calendar")
        verbose_name_plural = _("holiday calendars")

    def __str__(self):
        return str(self.year)

    @classmethod
    def replace_schedule(cls, schedule, source, actor=None):
        """Save a whole year's schedule (escalation.holidays.Schedule) in one transaction; return the calendar.

        The year's earlier dates are replaced, the year is marked complete, and
        ``holidays_saved`` lets the deadlines that depend on the year be
        recomputed in the same transaction: all of it is saved, or none.
        """
        from . import cache
        from .signals import holidays_saved

        with transaction.atomic():
            calendar, _created = cls.objects.update_or_create(
                year=schedule.year, defaults={"complete": True, "source": source}
            )
            calendar.dates.all().delete()
            HolidayDate.objects.bulk_create(
                [
                    HolidayDate(calendar=calendar, date=day, kind=HolidayDate.Kind.HOLIDAY, name=name)
                    for day, name in sorted(schedule.holidays.items())
                ]
                + [
                    HolidayDate(calendar=calendar, date=day, kind=HolidayDate.Kind.WORKDAY, name=name)
                    for day, name in sorted(schedule.workdays.items())
                ]
            )
            cache.forget()
            holidays_saved.send(sender=cls, year=schedule.year, actor=actor)
            transaction.on_commit(cache.forget)
        return calendar


class HolidayDate(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (day off)")
        WORKDAY = "workday", _("Make-up workday (调休)")

    calendar = models.ForeignKey(
        HolidayCalendar, on_delete=models.CASCADE, related_name="dates", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday date")
        verbose_name_plural = _("holiday dates")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    def clean(self):
        try:
            calendar = self.calendar  # unsaved while the admin adds calendar and dates together
        except HolidayCalendar.DoesNotExist:
            return
        if self.date and calendar.year and self.date.year != calendar.year:
            raise ValidationError({"date": _("This date is not in the calendar's year.")}, code="wrong_year")


class Province(models.TextChoices):
    """Mainland China's 31 provincial-level divisions, by their full names."""

    BEIJING = "beijing", _("Beijing")
    TIANJIN = "tianjin", _("Tianjin")
    HEBEI = "hebei", _("Hebei")
    SHANXI = "shanxi", _("Shanxi")
    INNER_MONGOLIA = "inner_mongolia", _("Inner Mongolia")
    LIAONING = "liaoning", _("Liaoning")
    JILIN = "jilin", _("Jilin")
    HEILONGJIANG = "heilongjiang", _("Heilongjiang")
    SHANGHAI = "shanghai", _("Shanghai")
    JIANGSU = "jiangsu", _("Jiangsu")
    ZHEJIANG = "zhejiang", _("Zhejiang")
    ANHUI = "anhui", _("Anhui")
    FUJIAN = "fujian", _("Fujian")
    JIANGXI = "jiangxi", _("Jiangxi")
    SHANDONG = "shandong", _("Shandong")
    HENAN = "henan", _("Henan")
    HUBEI = "hubei", _("Hubei")
    HUNAN = "hunan", _("Hunan")
    GUANGDONG = "guangdong", _("Guangdong")
    GUANGXI = "guangxi", _("Guangxi")
    HAINAN = "hainan", _("Hainan")
    CHONGQING = "chongqing", _("Chongqing")
    SICHUAN = "sichuan", _("Sichuan")
    GUIZHOU = "guizhou", _("Guizhou")
    YUNNAN = "yunnan", _("Yunnan")
    TIBET = "tibet", _("Tibet")
    SHAANXI = "shaanxi", _("Shaanxi")
    GANSU = "gansu", _("Gansu")
    QINGHAI = "qinghai", _("Qinghai")
    NINGXIA = "ningxia", _("Ningxia")
    XINJIANG = "xinjiang", _("Xinjiang")


# The official Chinese name of each division, as PBoC branch names use it
# (中国人民银行北京市分行, 四川省分行, 宁夏回族自治区分行; domain.md §1.1).
PROVINCE_OFFICIAL_NAMES = {
    "beijing": "北京市",
    "tianjin": "天津市",
    "hebei": "河北省",
    "shanxi": "山西省",
    "inner_mongolia": "内蒙古自治区",
    "liaoning": "辽宁省",
    "jilin": "吉林省",
    "heilongjiang": "黑龙江省",
    "shanghai": "上海市",
    "jiangsu": "江苏省",
    "zhejiang": "浙江省",
    "anhui": "安徽省",
    "fujian": "福建省",
    "jiangxi": "江西省",
    "shandong": "山东省",
    "henan": "河南省",
    "hubei": "湖北省",
    "hunan": "湖南省",
    "guangdong": "广东省",
    "guangxi": "广西壮族自治区",
    "hainan": "海南省",
    "chongqing": "重庆市",
    "sichuan": "四川省",
    "guizhou": "贵州省",
    "yunnan": "云南省",
    "tibet": "西藏自治区",
    "shaanxi": "陕西省",
    "gansu": "甘肃省",
    "qinghai": "青海省",
    "ningxia": "宁夏回族自治区",
    "xinjiang": "新疆维吾尔自治区",
}


class ProvinceWage(models.Model):
    """A province's last published average annual wage of employed persons: the small-claims yardstick.

    民事诉讼法 Art. 165: small claims apply up to 50 % of it. No figure is seeded:
    an admin enters it with its source.
    """

    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    year = models.PositiveSmallIntegerField(_("statistics year"))
    average_annual_wage = models.PositiveIntegerField(_("average annual wage (yuan)"))
    source = models.CharField(_("source"), max_length=300)
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        ordering = ["province", "-year"]
        verbose_name = _("provincial average wage")
        verbose_name_plural = _("provincial average wages")
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="unique_province_wage_year")]

    def __str__(self):
        return f"{self.get_province_display()} {self.year}"

    @classmethod
    def latest_for(cls, province):
        return cls.objects.filter(province=province).order_by("-year").first()
