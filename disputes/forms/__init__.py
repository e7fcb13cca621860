from .accounts import LoginForm, ProfileForm, SignupForm
from .common import DateInput, past_date
from .evidence import EvidenceForm
from .wizard import (
    AnswerForm,
    ApplicationForm,
    ContactForm,
    DeliveryForm,
    FilingForm,
    IntakeForm,
    LawsuitForm,
    OutcomeForm,
    PolicyForm,
    StepForm,
    intake_values,
)

__all__ = [
    "AnswerForm",
    "ApplicationForm",
    "ContactForm",
    "DateInput",
    "DeliveryForm",
    "EvidenceForm",
    "FilingForm",
    "IntakeForm",
    "LawsuitForm",
    "LoginForm",
    "OutcomeForm",
    "PolicyForm",
    "ProfileForm",
    "SignupForm",
    "StepForm",
    "intake_values",
    "past_date",
]
