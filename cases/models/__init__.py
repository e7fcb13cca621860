"""What happened to one merchant: cases, their parties and sums, steps, evidence and the timeline.

State changes are model methods that write an Event in the same transaction;
views, the wizard and tasks call them and never set status fields themselves.
"""

from cases.models.base import CHINA, REMINDER_HOUR, Answer, at_china_hour, china_today, now
from cases.models.case import Case
from cases.models.events import Event
from cases.models.evidence import Evidence, evidence_path
from cases.models.parties import Charge, Party
from cases.models.steps import Step
from cases.models.wizard import FormSubmission, WizardState

__all__ = [
    "CHINA",
    "REMINDER_HOUR",
    "Answer",
    "Case",
    "Charge",
    "Event",
    "Evidence",
    "FormSubmission",
    "Party",
    "Step",
    "WizardState",
    "at_china_hour",
    "china_today",
    "evidence_path",
    "now",
]
