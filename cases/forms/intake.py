"""The intake: the questions that route a case, one small group per phone screen."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.forms.money import MAX_AMOUNT, check_money, rate_field
from cases.forms.steps import StepForm
from cases.models import Case, Charge, Party
from escalation.models import Category, Provider, Province, validate_credit_code
from lib.forms import DateInput, must_choose, past_date

# The intake on a phone, one small group of questions per screen: (heading, fields, a note under the first field).
INTAKE_PARTS = [
    (_("The company"), ["provider", "provider_other", "obtained_via", "agent_name", "agent_contact"], ""),
    (
        _("Who claims the money back"),
        [
            "merchant_kind",
            "merchant_name",
            "merchant_trade_name",
            "merchant_credit_code",
            "merchant_representative",
            "merchant_representative_title",
        ],
        _(
            "A company claims in its own name; an individual business (个体工商户) by its trade name, with its "
            "operator; a person in their own name. Fill in the business lines only for a business."
        ),
    ),
    (
        _("Your terminal"),
        ["merchant_number", "terminal_model", "terminal_sn", "activation_date", "province", "use"],
        "",
    ),
    (
        _("The money"),
        ["amount", "charge_kind", "charge_called", "agreed_rate", "charged_rate", "payment_method", "charged_on"],
        _(
            "More than one sum taken (an activation fee and a flow fee, say)? Add the others on the page "
            "“Parties and money” after saving."
        ),
    ),
    (
        _("What was promised"),
        [
            "promise_form",
            "promised_by",
            "promise_target",
            "promise_period_months",
            "volume_reached",
            "promise_details",
            "promise_source",
        ],
        "",
    ),
    (_("The complaint"), ["category", "harm_known_on"], ""),
]


class IntakeForm(StepForm):
    provider = forms.ModelChoiceField(
        label=_("Payment company"),
        queryset=Provider.objects.filter(is_active=True),
        required=False,
        empty_label=_("Other (type its name below)"),
    )
    provider_other = forms.CharField(label=_("Other company's name"), max_length=200, required=False)
    obtained_via = forms.ChoiceField(
        label=_("How did you get the POS?"), choices=Case.ObtainedVia.choices, widget=forms.RadioSelect
    )
    agent_name = forms.CharField(label=_("Agent's name"), max_length=100, required=False)
    agent_contact = forms.CharField(label=_("Agent's phone or WeChat"), max_length=100, required=False)
    merchant_kind = forms.ChoiceField(
        label=_("Who claims the money back?"), choices=Party.Kind.choices, widget=forms.RadioSelect
    )
    merchant_name = forms.CharField(
        label=_("Registered name of the business"),
        max_length=200,
        required=False,
        help_text=_("As on the business licence (营业执照)."),
    )
    merchant_trade_name = forms.CharField(
        label=_("Trade name (字号)"), max_length=100, required=False, help_text=_("For an individual business.")
    )
    merchant_credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("18 characters, on the business licence."),
    )
    merchant_representative = forms.CharField(
        label=_("Legal representative or operator"),
        max_length=60,
        required=False,
        help_text=_("A company's legal representative; an individual business's operator as registered."),
    )
    merchant_representative_title = forms.CharField(
        label=_("The legal representative's title"), max_length=60, required=False, help_text=_("e.g. 执行董事")
    )
    merchant_number = forms.RegexField(
        label=_("Merchant number (商户号)"),
        regex=r"^[0-9A-Za-z-]{4,40}$",
        required=False,
        help_text=_("Shown in the provider's app or on your settlement statements."),
        error_messages={"invalid": _("A merchant number has 4 to 40 letters and digits.")},
    )
    terminal_model = forms.CharField(label=_("Terminal model"), max_length=60, required=False)
    terminal_sn = forms.RegexField(
        label=_("Terminal serial number (SN)"),
        regex=r"^[0-9A-Za-z-]{4,60}$",
        required=False,
        help_text=_("On the label on the back of the terminal."),
        error_messages={"invalid": _("A serial number has 4 to 60 letters and digits.")},
    )
    activation_date = forms.DateField(label=_("Activation date"), widget=DateInput)
    amount = forms.DecimalField(
        label=_("Amount taken (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        required=False,
        help_text=_("For card fees above the agreed rate, leave it empty: you add each trade later."),
        error_messages={
            "min_value": _("The amount must be more than 0 yuan."),
            "invalid": _("Type a number of yuan, e.g. 299."),
        },
    )
    charge_kind = forms.ChoiceField(label=_("What was it?"), choices=must_choose(Charge.Kind.choices))
    charge_called = forms.CharField(
        label=_("What did they call it?"),
        max_length=60,
        required=False,
        help_text=_("Their own word, if any: 礼包, 激活费, 服务费…"),
    )
    agreed_rate = forms.CharField(
        label=_("Agreed card rate"),
        max_length=20,
        required=False,
        help_text=_("Only for card fees above the agreed rate: the rate in your agreement, e.g. 0.60%."),
    )
    charged_rate = forms.CharField(
        label=_("Card rate charged"),
        max_length=20,
        required=False,
        help_text=_("The rate you were charged, e.g. 2.00%."),
    )
    payment_method = forms.ChoiceField(label=_("How was it taken?"), choices=must_choose(Charge.How.choices))
    charged_on = forms.DateField(label=_("Date taken"), widget=DateInput, required=False)
    promise_form = forms.ChoiceField(
        label=_("How was its return promised?"), choices=Case.PromiseForm.choices, widget=forms.RadioSelect
    )
    promised_by = forms.ChoiceField(
        label=_("Who promised it?"), choices=must_choose(Case.PromisedBy.choices), required=False
    )
    promise_target = forms.DecimalField(
        label=_("Transaction target (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    promise_period_months = forms.IntegerField(
        label=_("Within how many months?"), min_value=1, max_value=60, required=False
    )
    volume_reached = forms.DecimalField(
        label=_("Volume you reached (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    promise_details = forms.CharField(
        label=_("The promise in your words"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    promise_source = forms.CharField(
        label=_("Where can the promise be seen?"),
        max_length=200,
        required=False,
        help_text=_("e.g. the agent's WeChat message of 3 March, clause 5 of the agreement, a flyer."),
    )
    category = forms.ChoiceField(label=_("What is the complaint about?"), choices=must_choose(Category.choices))
    province = forms.ChoiceField(
        label=_("Province where you do business"),
        choices=must_choose(Province.choices),
        help_text=_("It decides which regulator’s branch your complaint goes to."),
    )
    use = forms.ChoiceField(label=_("The terminal is used"), choices=Case.Use.choices, widget=forms.RadioSelect)
    harm_known_on = forms.DateField(
        label=_("When did you learn it would not be returned?"),
        widget=DateInput,
        required=False,
        help_text=_("Used to work out the three-year limitation period."),
    )

    # What a merchant who skipped a question reads: what to answer, not "this field is required".
    REQUIRED_MESSAGES = {
        "obtained_via": _("Say how you got the POS: from the company itself or from an agent."),
        "merchant_kind": _("Say who claims the money back: a company, an individual business or you yourself."),
        "activation_date": _("Type the day the terminal was activated (the day of your first card payment will do)."),
        "charge_kind": _("Choose what the money was for."),
        "payment_method": _("Choose how the money was taken."),
        "promise_form": _("Say how its return was promised, or that nothing was promised."),
        "category": _("Choose what your complaint is about."),
        "province": _("Choose the province where you do business: it decides where your complaint goes."),
        "use": _("Say whether the terminal is for your business or for personal use."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message

    def errors_only_in(self, names):
        """Keep only the errors of these fields (one part of the intake is checked at a time); True if none."""
        for name in list(self.errors):
            if name not in names:
                del self.errors[name]
        return not self.errors

    def clean_activation_date(self):
        return past_date(self.cleaned_data["activation_date"], _("The activation date"))

    def clean_charged_on(self):
        return past_date(self.cleaned_data.get("charged_on"), _("The date taken"))

    def clean_agreed_rate(self):
        return rate_field(self.cleaned_data["agreed_rate"])

    def clean_charged_rate(self):
        return rate_field(self.cleaned_data["charged_rate"])

    def clean_harm_known_on(self):
        return past_date(self.cleaned_data.get("harm_known_on"), _("This date"))

    def clean_merchant_number(self):
        return self.cleaned_data["merchant_number"].strip().upper()

    def clean_terminal_sn(self):
        return self.cleaned_data["terminal_sn"].strip().upper()

    def clean_merchant_credit_code(self):
        code = self.cleaned_data["merchant_credit_code"].strip().upper()
        if code:
            validate_credit_code(code)
        return code

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("provider") and not cleaned.get("provider_other", "").strip():
            self.add_error(
                "provider_other", ValidationError(_("Choose the company, or type its name."), code="provider")
            )
        kind = cleaned.get("merchant_kind")
        if kind == Party.Kind.COMPANY:
            required = {
                "merchant_name": _("A company claims in its own name: type its registered name."),
                "merchant_representative": _("Type the name of the company's legal representative."),
            }
        elif kind == Party.Kind.INDIVIDUAL_BUSINESS:
            required = {
                "merchant_name": _("Type the business's name as on its licence (with the trade name if it has one)."),
                "merchant_representative": _("Type the operator's name as on the licence."),
            }
        else:
            required = {}
        for name, message in required.items():
            if not cleaned.get(name, "").strip():
                self.add_error(name, ValidationError(message, code="required"))
        if cleaned.get("promise_form") not in {None, "", Case.PromiseForm.NONE} and not cleaned.get("promised_by"):
            self.add_error(
                "promised_by",
                ValidationError(_("Say who promised it, or choose “I don't know”."), code="required"),
            )
        check_money(self, cleaned, "charge_kind")
        activation = cleaned.get("activation_date")
        for name in ("charged_on", "harm_known_on"):
            value = cleaned.get(name)
            if activation and value and value < activation:
                self.add_error(
                    name, ValidationError(_("This date is before the activation date."), code="before_activation")
                )
        return cleaned

    @staticmethod
    def initial_for(case):
        """The form's initial values from the case, its parties and its first sum taken."""
        initial = {name: getattr(case, name) for name in Case.INTAKE_FIELDS}
        initial["provider"] = case.provider_id
        merchant, respondent, agent, charge = case.merchant, case.respondent, case.agent, case.first_charge()
        if merchant is not None:
            initial["merchant_kind"] = merchant.kind
            if merchant.is_business:
                initial.update(
                    merchant_name=merchant.name,
                    merchant_trade_name=merchant.trade_name,
                    merchant_credit_code=merchant.credit_code,
                    merchant_representative=merchant.representative,
                    merchant_representative_title=merchant.representative_title,
                )
            else:
                initial["merchant_representative"] = merchant.name
        if case.provider_id and not case.provider.is_active:
            # A company this merchant added, not checked yet: shown as typed.
            initial.update(provider=None, provider_other=case.provider.name)
        elif respondent is not None and not case.provider_id:
            initial["provider_other"] = respondent.name
        if agent is not None:
            initial.update(agent_name=agent.name, agent_contact=agent.contact)
        if charge is not None:
            initial.update(
                amount=charge.amount,
                agreed_rate=charge.agreed_rate,
                charged_rate=charge.charged_rate,
                charge_kind=charge.kind,
                charge_called=charge.called,
                payment_method=charge.how,
                charged_on=charge.taken_on,
            )
        return initial

    def values(self):
        """The intake answers for ``Case.save_intake``: case fields, the parties and the first sum taken."""
        return intake_values(self.cleaned_data, self.case.merchant if self.case else None)


def intake_values(data, current_merchant=None):
    """Flat intake answers (the form's fields) as ``Case.save_intake`` takes them.

    Seed data, benchmarks and tests pass the same flat answers the form has;
    missing text answers are empty, missing dates and numbers None.
    """
    values = {name: data.get(name) for name in Case.INTAKE_FIELDS}
    for name, value in values.items():
        if value is None and name not in NULLABLE_INTAKE_FIELDS:
            values[name] = ""

    def text(name):
        return (data.get(name) or "").strip()

    kind = data.get("merchant_kind") or Party.Kind.PERSON
    if kind == Party.Kind.PERSON:
        merchant = {"kind": kind, "trade_name": "", "credit_code": "", "representative_title": ""}
        if current_merchant is not None and current_merchant.is_business:
            # Back from a business to a person: the person is the one who represented it.
            merchant.update(name=current_merchant.representative or current_merchant.name, representative="")
    else:
        merchant = {
            "kind": kind,
            "name": text("merchant_name"),
            "trade_name": text("merchant_trade_name") if kind == Party.Kind.INDIVIDUAL_BUSINESS else "",
            "credit_code": text("merchant_credit_code").upper(),
            "representative": text("merchant_representative"),
            "representative_title": text("merchant_representative_title") if kind == Party.Kind.COMPANY else "",
        }
    values["merchant"] = merchant
    values["respondent"] = {"name": "" if data.get("provider") else text("provider_other")}
    agent_name, agent_contact = text("agent_name"), text("agent_contact")
    values["agent"] = {"name": agent_name, "contact": agent_contact} if agent_name or agent_contact else None
    values["first_charge"] = {
        "kind": data.get("charge_kind") or Charge.Kind.DEPOSIT,
        "amount": data.get("amount"),
        "how": data.get("payment_method") or "",
        "taken_on": data.get("charged_on"),
        "called": text("charge_called"),
    }
    overcharged = values["first_charge"]["kind"] == Charge.Kind.FEE_OVERCHARGE
    values["first_charge"].update(
        agreed_rate=text("agreed_rate") if overcharged else "",
        charged_rate=text("charged_rate") if overcharged else "",
    )
    return values


NULLABLE_INTAKE_FIELDS = {
    "provider",
    "activation_date",
    "promise_target",
    "promise_period_months",
    "volume_reached",
    "harm_known_on",
}
