"""Forms of the page "Parties and money": who the parties are as letters name them, and each sum taken."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import overcharge
from cases.forms.money import MAX_AMOUNT, check_money, rate_field
from cases.models import Case, Charge, Party, china_today
from escalation.models import validate_credit_code
from lib.forms import DateInput, FormDefaults, past_date
from lib.personal import normalize_id_number, normalize_mobile, validate_id_number, validate_mobile

PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")


class PersonDetails(FormDefaults, forms.ModelForm):
    """A person's details for the letters: the merchant (or the operator of its business), or a person agent.

    The ID number is never shown back in full: leave it empty to keep it.
    """

    remove_id_number = forms.BooleanField(label=_("Remove the ID number on file"), required=False)

    class Meta:
        model = Party
        fields = [
            "name",
            "id_type",
            "id_number",
            "sex",
            "birth_date",
            "ethnicity",
            "occupation",
            "address",
            "mobile",
            "email",
        ]
        widgets = {"birth_date": DateInput, "id_number": forms.TextInput(attrs={"autocomplete": "off"})}
        labels = {"ethnicity": _("Ethnicity"), "occupation": _("Occupation")}

    # A company's party details are its own (in the intake); here only how to reach it.
    COMPANY_FIELDS = ["address", "mobile", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind == Party.Kind.COMPANY:
            for name in [name for name in self.fields if name not in self.COMPANY_FIELDS]:
                del self.fields[name]
            self.fields["address"].label = _("Domicile (registered address)")
        elif self.instance.kind == Party.Kind.INDIVIDUAL_BUSINESS:
            self.fields["address"].label = _("Place of business")
            del self.fields["name"]
        self.stored_id_number = self.instance.id_number
        self.initial["id_number"] = ""
        if self.stored_id_number:
            self.fields["id_number"].help_text = _(
                "On file: %(masked)s. Leave empty to keep it, or type a new one to replace it."
            ) % {"masked": self.instance.masked_id_number}
        else:
            del self.fields["remove_id_number"]

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data["mobile"])
        if mobile:
            validate_mobile(mobile)
        return mobile

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born is not None and not datetime.date(1900, 1, 1) <= born <= china_today():
            raise ValidationError(_("This is not a possible date of birth."), code="birth_date")
        return born

    def clean(self):
        cleaned = super().clean()
        if "id_number" not in self.fields:
            return cleaned
        number = (cleaned.get("id_number") or "").strip().upper()
        if not number:
            cleaned["id_number"] = "" if cleaned.get("remove_id_number") else self.stored_id_number
            if cleaned["id_number"] and not cleaned.get("id_type"):
                cleaned["id_type"] = self.instance.id_type or Party.IdType.RESIDENT_ID
            return cleaned
        id_type = cleaned.get("id_type") or Party.IdType.RESIDENT_ID
        cleaned["id_type"] = id_type
        if id_type == Party.IdType.PASSPORT:
            if not PASSPORT_RE.match(number):
                self.add_error("id_number", ValidationError(_("A passport number has 5 to 20 letters and digits.")))
            cleaned["id_number"] = number
        else:
            number = normalize_id_number(number)
            try:
                validate_id_number(number)
            except ValidationError as error:
                self.add_error("id_number", error)
            cleaned["id_number"] = number
        return cleaned

    def values(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class RespondentForm(FormDefaults, forms.ModelForm):
    """The institution's details as this case's letters print them; empty fields use the directory's."""

    class Meta:
        model = Party
        fields = ["credit_code", "address", "representative"]
        labels = {"address": _("Registered address (domicile)"), "representative": _("Legal representative")}
        help_texts = {"representative": ""}

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def values(self):
        return dict(self.cleaned_data)


class AgentForm(FormDefaults, forms.ModelForm):
    """The agent who sold the terminal, as a party of its own."""

    class Meta:
        model = Party
        fields = ["kind", "name", "credit_code", "representative", "address", "mobile", "contact", "co_respondent"]
        labels = {
            "name": _("Agent's name (a company's registered name, or a person's name)"),
            "representative": _("Legal representative (a company)"),
            "address": _("Address or domicile"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (Party.Kind.COMPANY, _("A company")),
            (Party.Kind.PERSON, _("A person")),
        ]
        self.fields["kind"].required = True
        self.fields["name"].required = True

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        if code:
            validate_credit_code(code)
        return code

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data["mobile"])
        if mobile:
            validate_mobile(mobile)
        return mobile

    def values(self):
        return dict(self.cleaned_data)


class CaseDetailsForm(FormDefaults, forms.ModelForm):
    """What the letters need beyond the intake: the court, witnesses, interest, the story, the clause."""

    class Meta:
        model = Case
        fields = Case.DETAIL_FIELDS
        widgets = {
            "story": forms.Textarea(attrs={"rows": 4}),
            "small_print": forms.Textarea(attrs={"rows": 3}),
            "witnesses": forms.Textarea(attrs={"rows": 2}),
            "interest_from": DateInput,
        }

    def clean_interest_from(self):
        return past_date(self.cleaned_data.get("interest_from"), _("The date interest runs from"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("claim_interest") and not cleaned.get("interest_from"):
            self.add_error(
                "interest_from", ValidationError(_("Say from which day interest runs (usually the day it was due)."))
            )
        return cleaned


class ChargeForm(FormDefaults, forms.ModelForm):
    """One sum taken; refunds are recorded on it, and only the rest is claimed."""

    class Meta:
        model = Charge
        fields = [
            "kind",
            "called",
            "amount",
            "rate",
            "period",
            "agreed_rate",
            "charged_rate",
            "agreed_rate_source",
            "notice_days",
            "notice_given",
            "taken_on",
            "how",
            "disclosed",
            "refunded_amount",
            "refunded_on",
            "note",
        ]
        widgets = {"taken_on": DateInput, "refunded_on": DateInput, "note": forms.Textarea(attrs={"rows": 2})}

    OVERCHARGE_FIELDS = ["agreed_rate", "charged_rate", "agreed_rate_source", "notice_days", "notice_given"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["how"] = forms.ChoiceField(
            label=_("How was it taken?"), choices=[("", "—"), *Charge.How.choices], required=False
        )
        for name in ("amount", "refunded_amount"):
            self.fields[name].max_value = MAX_AMOUNT
        self.fields["notice_days"].max_value = 365
        self.fields["notice_given"].label = _("Were you told of the new rate before it was charged?")
        self.fields["agreed_rate"].help_text = _("Card fees above the agreed rate only: e.g. 0.60%.")
        if not self.instance._state.adding:
            # A saved sum shows only what fits its kind: an overcharge its rates, any other sum its amount.
            if self.instance.is_overcharge:
                drop = ["rate", "period", "disclosed"] + (["amount"] if self.instance.trades else [])
            else:
                drop = self.OVERCHARGE_FIELDS
            for name in drop:
                del self.fields[name]

    def clean_taken_on(self):
        return past_date(self.cleaned_data.get("taken_on"), _("The date taken"))

    def clean_refunded_on(self):
        return past_date(self.cleaned_data.get("refunded_on"), _("The refund date"))

    def clean_rate(self):
        return rate_field(self.cleaned_data["rate"])

    def clean_agreed_rate(self):
        return rate_field(self.cleaned_data["agreed_rate"])

    def clean_charged_rate(self):
        return rate_field(self.cleaned_data["charged_rate"])

    def clean(self):
        cleaned = super().clean()
        check_money(self, cleaned, "kind")
        amount = cleaned.get("amount")
        if cleaned.get("kind") == Charge.Kind.FEE_OVERCHARGE and self.instance.trades:
            amount = self.instance.amount  # an overcharge with trades is claimed as confirmed, not typed
        refunded = cleaned.get("refunded_amount")
        if refunded is not None:
            if refunded < Decimal("0"):
                self.add_error("refunded_amount", ValidationError(_("A refund cannot be negative.")))
            elif amount is not None and refunded > amount:
                self.add_error(
                    "refunded_amount", ValidationError(_("More was refunded than was taken: please check both sums."))
                )
        taken_on, refunded_on = cleaned.get("taken_on"), cleaned.get("refunded_on")
        if taken_on and refunded_on and refunded_on < taken_on:
            self.add_error("refunded_on", ValidationError(_("The refund cannot come before the money was taken.")))
        return cleaned

    def values(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class TradeForm(FormDefaults, forms.Form):
    """One trade settled above the agreed rate: its date, its amount and the fee charged on it."""

    on = forms.DateField(label=_("Date of the trade"), widget=DateInput)
    amount = forms.DecimalField(
        label=_("Trade amount (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_AMOUNT
    )
    fee_charged = forms.DecimalField(
        label=_("Fee charged on it (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("From the settlement record: the trade amount less what reached your account."),
    )

    def __init__(self, *args, charge, **kwargs):
        self.charge = charge
        super().__init__(*args, **kwargs)

    def clean_on(self):
        return past_date(self.cleaned_data["on"], _("The date of the trade"))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        trade = overcharge.Trade(cleaned["on"], cleaned["amount"], cleaned["fee_charged"])
        for name, message in overcharge.trade_errors(trade, self.charge.agreed_rate).items():
            self.add_error(name, ValidationError(message, code="trade"))
        if trade in self.charge.trade_list:
            self.add_error(None, ValidationError(_("This trade is already in the list."), code="duplicate"))
        cleaned["trade"] = trade
        return cleaned


class DeceptionForm(FormDefaults, forms.Form):
    """Whose staff the seller claimed to be, and whether they pitched a credit-limit rise: only as it happened."""

    posed_as = forms.ChoiceField(
        label=_("Did the seller say they were staff of…"),
        choices=[("", _("None of these")), *Case.PosedAs.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    pitch = forms.BooleanField(
        label=_("The seller said the terminal would raise my credit card limit (提额)"), required=False
    )

    def pitch_text(self, case):
        """The pitch as kept: the words already recorded, else 提额; nothing when unticked."""
        if not self.cleaned_data["pitch"]:
            return ""
        return case.pitch or "提额"
