"""The people and companies in a case, and every sum taken: the facts letters are built from.

A case has one merchant (the party that claims: a person, an individual
business or a company), one respondent (the licensed payment institution) and
at most one agent (the 服务商 who sold the terminal), as the case file format
has them (shared/docs/case-format.md). Each sum the merchant paid is a Charge,
claimed item by item.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.base import Answer
from cases.overcharge import total_overcharge, trades_of
from escalation.models import validate_credit_code
from lib.personal import mask_id_number, mask_mobile

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from cases.models.case import Case
    from cases.overcharge import Trade


class Party(models.Model):
    """One side of the dispute, as letters and filings name it."""

    class Role(models.TextChoices):
        MERCHANT = "merchant", _("Merchant (the party who claims)")
        RESPONDENT = "respondent", _("Payment institution (respondent)")
        AGENT = "agent", _("Agent or service provider")

    class Kind(models.TextChoices):
        PERSON = "person", _("A person, with no registered business")
        INDIVIDUAL_BUSINESS = "individual_business", _("An individual business (个体工商户)")
        COMPANY = "company", _("A company or other organisation")

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident ID card")
        PASSPORT = "passport", _("Passport")

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="parties", verbose_name=_("case"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, blank=True)
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("A person's name, or the registered name of a business.")
    )
    trade_name = models.CharField(_("trade name (字号)"), max_length=100, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    representative = models.CharField(
        _("legal representative or operator"),
        max_length=60,
        blank=True,
        help_text=_("A company's legal representative; an individual business's registered operator."),
    )
    representative_title = models.CharField(_("title of the legal representative"), max_length=60, blank=True)
    id_type = models.CharField(_("ID type"), max_length=16, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    occupation = models.CharField(_("occupation"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    contact = models.CharField(_("other contact (WeChat…)"), max_length=100, blank=True)
    co_respondent = models.BooleanField(
        _("named beside the institution"),
        default=False,
        help_text=_("For the agent: name it as a second respondent or defendant in complaints and the lawsuit."),
    )
    extra = models.JSONField(_("other details from a case file"), default=dict, blank=True)

    class Meta:
        db_table = "disputes_party"
        ordering = ["case", "role"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [models.UniqueConstraint(fields=["case", "role"], name="one_party_per_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.display_name}"

    @property
    def is_business(self) -> bool:
        return self.kind in {self.Kind.INDIVIDUAL_BUSINESS, self.Kind.COMPANY}

    @property
    def is_company(self) -> bool:
        return self.kind == self.Kind.COMPANY

    @property
    def is_individual_business(self) -> bool:
        return self.kind == self.Kind.INDIVIDUAL_BUSINESS

    @property
    def display_name(self) -> str:
        """The name a letter gives the party: an individual business by its trade name when it has one."""
        if self.kind == self.Kind.INDIVIDUAL_BUSINESS and self.trade_name:
            # The trade name is the party (民诉法解释 Art. 59): the registered name when it carries it.
            return self.name if self.name and self.trade_name in self.name else self.trade_name
        return self.name

    @property
    def masked_id_number(self) -> str:
        if not self.id_number:
            return ""
        if self.id_type == self.IdType.PASSPORT:
            return self.id_number[:2] + "*" * max(len(self.id_number) - 4, 0) + self.id_number[-2:]
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""


class Charge(models.Model):
    """One sum the merchant paid or had deducted: claimed on its own line, less what came back."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit (押金)")
        ACTIVATION_FEE = "activation_fee", _("Activation fee (激活费)")
        SERVICE_FEE = "service_fee", _("Service fee (服务费)")
        FLOW_FEE = "flow_fee", _("Data or flow fee (流量费)")
        FEE_OVERCHARGE = "fee_overcharge", _("Card fees above the agreed rate")
        OTHER = "other", _("Other sum")

    class How(models.TextChoices):
        DEDUCTED = "deducted_from_settlement", _("Deducted from a settlement")
        CASH_ON_DELIVERY = "cash_on_delivery", _("Paid in cash on delivery")
        PAID_TO_AGENT = "paid_to_agent", _("Paid to the agent")
        PAID_TO_PROVIDER = "paid_to_provider", _("Paid to the provider")
        SWIPED = "swiped_on_terminal", _("Swiped on the terminal")
        FROZEN = "frozen", _("Frozen in my account")
        OTHER = "other", _("Another way")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="charges", verbose_name=_("case"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("what it was"), max_length=20, choices=Kind.choices)
    called = models.CharField(
        _("what they called it"), max_length=60, blank=True, help_text=_("The seller's own word: 礼包, 服务费, 激活费…")
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    rate = models.CharField(_("rate"), max_length=20, blank=True, help_text=_("For a fee charged as a rate: 0.10%."))
    period = models.CharField(_("period"), max_length=40, blank=True, help_text=_("monthly, yearly, two years…"))
    taken_on = models.DateField(_("date taken"), null=True, blank=True)
    how = models.CharField(_("how it was taken"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    disclosed = models.CharField(
        _("marked or told beforehand"),
        max_length=8,
        choices=Answer.choices,
        blank=True,
        help_text=_("Were you told of this sum, and its amount, before it was taken?"),
    )
    refunded_amount = models.DecimalField(_("refunded (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    refunded_on = models.DateField(_("refunded on"), null=True, blank=True)
    agreed_rate = models.CharField(_("agreed card rate"), max_length=20, blank=True)
    agreed_rate_source = models.CharField(
        _("where the agreed rate is written"),
        max_length=200,
        blank=True,
        help_text=_("e.g. merchant agreement, clause 5; the rate table in the app."),
    )
    charged_rate = models.CharField(_("card rate charged"), max_length=20, blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("notice promised (days)"),
        null=True,
        blank=True,
        help_text=_("How many days' notice the agreement promises before a rate changes (often 30)."),
    )
    notice_given = models.CharField(
        _("told of the new rate beforehand"), max_length=8, choices=Answer.choices, blank=True
    )
    # Each trade overcharged: {"on": "2026-02-24", "amount": "70000.00", "fee_charged": "1431.00"}.
    trades = models.JSONField(_("trades"), default=list, blank=True)
    extra = models.JSONField(_("other details from a case file"), default=dict, blank=True)

    class Meta:
        db_table = "disputes_charge"
        ordering = ["case", "position", "taken_on"]
        verbose_name = _("sum taken")
        verbose_name_plural = _("sums taken")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount or self.rate}"

    @property
    def how_label(self) -> StrOrPromise:
        """The known way it was taken, in the reader's language, or the merchant's own words."""
        return self.How(self.how).label if self.how in self.How.values else self.how

    @property
    def is_overcharge(self) -> bool:
        return self.kind == self.Kind.FEE_OVERCHARGE

    @property
    def trade_list(self) -> list[Trade]:
        """The overcharged trades as records, oldest first."""
        return trades_of(self)

    @property
    def computed_overcharge(self) -> Decimal | None:
        """What the trades add up to at the agreed rate, or None."""
        return total_overcharge(self.trade_list, self.agreed_rate)

    @property
    def awaits_confirmation(self) -> bool:
        """An overcharge whose trades the merchant has not confirmed the total of yet."""
        return self.is_overcharge and self.amount is None and bool(self.computed_overcharge)

    def disclosed_answer(self, case: Case) -> str:
        """Whether this sum was marked beforehand: its own answer, or for the intake's sum the policy checklist's."""
        if self.disclosed:
            return self.disclosed
        first = case.first_charge()
        return case.fees_disclosed if first is not None and first.pk == self.pk else ""

    @property
    def claimed(self) -> Decimal | None:
        """What is still owed on this item: the amount less what was refunded (never below zero)."""
        if self.amount is None:
            return None
        return max(self.amount - (self.refunded_amount or Decimal("0")), Decimal("0"))
