"""The wizard's step forms: what the merchant did at each rung and what came of it."""

import datetime
import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.forms.money import MAX_AMOUNT
from cases.models import Answer, Step, china_today
from escalation import rungs
from escalation.models import Channel, PolicyRevision, Rung
from lib.forms import DateInput, FormDefaults, past_date

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
