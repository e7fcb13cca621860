import datetime
import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from escalation import rungs
from escalation.models import Category, Channel, PolicyRevision, Provider, Province, Rung, validate_credit_code

from ..models import Answer, Case, Charge, Party, Step, china_today
from .common import MAX_AMOUNT, DateInput, FormDefaults, check_money, must_choose, past_date, rate_field

MAX_PROMISE_DAYS = 366


def check_promised_on(form, cleaned, since):
    """The date a refund was promised by: only for a promise, not before ``since``, within a year."""
    promised_on = cleaned.get("promised_on")
    if promised_on is None:
        return
    if cleaned.get("outcome") != Step.Outcome.PROMISED:
        cleaned["promised_on"] = None  # a date typed before choosing another answer means nothing
    elif cleaned.get(since) and promised_on < cleaned[since]:
        form.add_error(
            "promised_on",
            ValidationError(_("The promised date cannot be before the day they promised it."), "before_answer"),
        )
    elif promised_on > china_today() + datetime.timedelta(days=MAX_PROMISE_DAYS):
        form.add_error(
            "promised_on", ValidationError(_("That is more than a year away: please check the date."), "too_far")
        )


class StepForm(FormDefaults, forms.Form):
    """A wizard step. ``token`` makes a double submission harmless: the same token is applied once."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())


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


# Yes / no / not sure side by side: three short answers fit one line of a phone (issue 17).
YES_NO = forms.RadioSelect(attrs={"class": "inline-choices"})


class PolicyForm(StepForm):
    revision = forms.ModelChoiceField(queryset=PolicyRevision.objects.all(), widget=forms.HiddenInput, required=False)
    target_met = forms.ChoiceField(
        label=_("Did you reach the promised transaction target in time?"),
        choices=Answer.choices,
        widget=YES_NO,
    )
    unsettled_transactions = forms.ChoiceField(
        label=_("Are any of your transactions still unsettled?"), choices=Answer.choices, widget=YES_NO
    )
    arbitration_clause = forms.ChoiceField(
        label=_("Does the agreement send disputes to arbitration?"), choices=Answer.choices, widget=YES_NO
    )
    forum_clause = forms.ChoiceField(
        label=_("Does the agreement name a court for disputes?"), choices=Answer.choices, widget=YES_NO
    )
    fees_disclosed = forms.ChoiceField(
        label=_("Was this charge disclosed to you in writing beforehand?"),
        choices=Answer.choices,
        widget=YES_NO,
    )
    confirm = forms.BooleanField(label=_("I have read the text above and checked my agreement."))


CONTACT_METHODS = [
    (value, label)
    for value, label in Step.Method.choices
    if value in {Step.Method.PHONE, Step.Method.APP, Step.Method.ONLINE, Step.Method.EMAIL, Step.Method.IN_PERSON}
]
CONTACT_OUTCOMES = [
    (Step.Outcome.PENDING, _("They will get back to me / I am waiting")),
    (Step.Outcome.PROMISED, _("They promised a refund")),
    (Step.Outcome.REFUSED, _("They refused")),
    (Step.Outcome.NO_ANSWER, _("Nobody answered")),
    (Step.Outcome.REFUNDED, _("They refunded me")),
]


class DatedActionForm(StepForm):
    """Shared checks for anything the merchant did on a date: not in the future, not before activation.

    ``early`` (why acting at this rung now is early, see ``Case.entry_blocker``)
    adds a required reason: looking at a later rung changes nothing, recording
    an action there moves the case up and the timeline keeps the reason.
    """

    date_field = "started_on"

    def __init__(self, *args, early=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.early = early
        if early:
            self.fields["early_reason"] = forms.CharField(
                label=_("Why act at this rung now?"),
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=1000,
                help_text=_("For example: the agent has disappeared, or the limitation period is about to run out."),
                error_messages={"required": _("Say why you are going further now: the timeline keeps the reason.")},
            )

    def clean_early_reason(self):
        reason = self.cleaned_data["early_reason"].strip()
        if not reason:
            raise ValidationError(_("Say why you are going further now: the timeline keeps the reason."), "required")
        return reason

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get(self.date_field)
        if day:
            try:
                past_date(day, _("The date"))
            except ValidationError as error:
                self.add_error(self.date_field, error)
            else:
                if self.case and self.case.activation_date and day < self.case.activation_date:
                    self.add_error(
                        self.date_field,
                        ValidationError(_("This date is before the activation date."), code="before_activation"),
                    )
        return cleaned


# Asked only when they promised a refund: the page's script hides it for any other outcome.
PROMISED_DATE = DateInput(attrs={"data-shown-if": "outcome=promised"})


class ContactForm(DatedActionForm):
    started_on = forms.DateField(label=_("Date of contact"), widget=DateInput)
    method = forms.ChoiceField(label=_("How"), choices=CONTACT_METHODS)
    reference = forms.CharField(label=_("Ticket number"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("What did they say?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CONTACT_OUTCOMES, widget=forms.RadioSelect)
    promised_on = forms.DateField(
        label=_("They promised to refund by"),
        widget=PROMISED_DATE,
        required=False,
        help_text=_("Only if they promised a date. We remind you on that day to check that the money came."),
    )

    def clean(self):
        cleaned = super().clean()
        check_promised_on(self, cleaned, since="started_on")
        return cleaned


APPLICATION_METHODS = [
    (value, label)
    for value, label in Step.Method.choices
    if value in {Step.Method.POST, Step.Method.EMAIL, Step.Method.APP, Step.Method.IN_PERSON}
]


class ApplicationForm(DatedActionForm):
    started_on = forms.DateField(label=_("Date sent"), widget=DateInput)
    method = forms.ChoiceField(label=_("Sent by"), choices=APPLICATION_METHODS)
    reference = forms.CharField(
        label=_("EMS tracking number, email subject or ticket number"), max_length=100, required=False
    )
    recipient = forms.CharField(label=_("Sent to (address or email)"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == Step.Method.POST and not cleaned.get("reference", "").strip():
            self.add_error(
                "reference", ValidationError(_("Keep the EMS tracking number: it proves delivery."), code="tracking")
            )
        return cleaned


FILING_METHODS = [
    (value, label)
    for value, label in Step.Method.choices
    if value in {Step.Method.PHONE, Step.Method.ONLINE, Step.Method.POST, Step.Method.EMAIL, Step.Method.IN_PERSON}
]


class FilingForm(DatedActionForm):
    channel = forms.ModelChoiceField(
        label=_("Where did you file?"),
        queryset=Channel.objects.filter(is_active=True, rung__position=rungs.THIRD_PARTY),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    started_on = forms.DateField(label=_("Date submitted"), widget=DateInput)
    method = forms.ChoiceField(label=_("How"), choices=FILING_METHODS)
    reference = forms.CharField(label=_("Reference or complaint number"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False)


class LawsuitForm(DatedActionForm):
    channel = forms.ModelChoiceField(
        label=_("Court or arbitration"),
        queryset=Channel.objects.filter(is_active=True, rung__position=rungs.LITIGATION),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    recipient = forms.CharField(label=_("Name of the court or commission"), max_length=200)
    notes = forms.CharField(
        label=_("Why this court"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("For example: the defendant's domicile, or where you receive the money."),
    )
    started_on = forms.DateField(label=_("Date filed"), widget=DateInput)
    method = forms.ChoiceField(label=_("How"), choices=FILING_METHODS)
    reference = forms.CharField(label=_("Case number"), max_length=100, required=False)


class OutcomeForm(StepForm):
    RECOVERED = "recovered"
    WITHDRAWN = "withdrawn"
    result = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[(RECOVERED, _("I got money back")), (WITHDRAWN, _("I am giving up the case"))],
        widget=forms.RadioSelect,
    )
    recovered_amount = forms.DecimalField(
        label=_("Amount recovered (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        required=False,
    )
    recovered_on = forms.DateField(label=_("Date received"), widget=DateInput, required=False)
    recovered_rung = forms.ModelChoiceField(label=_("At which rung?"), queryset=Rung.objects.all(), required=False)
    withdrawn_reason = forms.CharField(
        label=_("Why are you giving up?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == self.RECOVERED:
            for name in ("recovered_amount", "recovered_on", "recovered_rung"):
                if not cleaned.get(name):
                    self.add_error(name, ValidationError(_("Needed when money came back."), code="required"))
            day = cleaned.get("recovered_on")
            if day:
                try:
                    past_date(day, _("The date received"))
                except ValidationError as error:
                    self.add_error("recovered_on", error)
            amount = cleaned.get("recovered_amount")
            if amount and self.case and self.case.amount and amount > self.case.amount * 10:
                self.add_error(
                    "recovered_amount",
                    ValidationError(_("This is far more than the amount taken: please check it."), code="absurd"),
                )
        elif cleaned.get("result") == self.WITHDRAWN and not cleaned.get("withdrawn_reason", "").strip():
            self.add_error("withdrawn_reason", ValidationError(_("Please say why."), code="required"))
        return cleaned


class AnswerForm(FormDefaults, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Their answer"),
        choices=[
            (Step.Outcome.REFUNDED, _("Refunded")),
            (Step.Outcome.PROMISED, _("Promised a refund")),
            (Step.Outcome.REFUSED, _("Refused")),
            (Step.Outcome.ACCEPTED, _("Accepted the complaint")),
            (Step.Outcome.NO_ANSWER, _("No answer by the deadline")),
        ],
    )
    answered_on = forms.DateField(label=_("Date"), widget=DateInput)
    promised_on = forms.DateField(
        label=_("They promised to refund by"),
        widget=PROMISED_DATE,
        required=False,
        help_text=_("Only for a promise. We remind you on that day to check that the money came."),
    )
    answer_notes = forms.CharField(
        label=_("What they said"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )

    def __init__(self, *args, step=None, **kwargs):
        self.step = step
        super().__init__(*args, **kwargs)

    def clean_answered_on(self):
        day = past_date(self.cleaned_data["answered_on"], _("The date"))
        if self.step and day < self.step.started_on:
            raise ValidationError(_("An answer cannot come before the request."), code="before_request")
        return day

    def clean(self):
        cleaned = super().clean()
        check_promised_on(self, cleaned, since="answered_on")
        return cleaned


class DeliveryForm(FormDefaults, forms.Form):
    """When the other side received a sent step: it moves a deadline counted from receipt."""

    delivered_on = forms.DateField(label=_("Date they received it"), widget=DateInput)
    delivery_proof = forms.ChoiceField(
        label=_("How do you know?"), choices=Step.DeliveryProof.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, step=None, **kwargs):
        self.step = step
        super().__init__(*args, **kwargs)

    def clean_delivered_on(self):
        day = self.cleaned_data["delivered_on"]
        if day > china_today():
            raise ValidationError(_("The delivery date cannot be in the future."), code="future")
        if self.step and day < self.step.started_on:
            raise ValidationError(
                _("It cannot have arrived before you sent it (%(date)s).") % {"date": self.step.started_on.isoformat()},
                code="before_sending",
            )
        return day
