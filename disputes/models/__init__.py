"""What happened to one merchant: cases, steps, evidence and the timeline.

State changes are model methods that write an Event in the same transaction;
views, the wizard and tasks call them and never set status fields themselves.
"""

from .base import CHINA, REMINDER_HOUR, Answer, at_china_hour, china_today, now
from .cases import Case, MobileTaken, Profile
from .documents import Document
from .events import Event
from .evidence import Evidence, evidence_path
from .parties import Charge, Party
from .reminders import Notification, Reminder, SweepRun, new_calendar_token
from .review import Comment, LetterReview
from .sms import SmsCode, SmsCodeRefused
from .steps import Step
from .throttling import FailedLogin, PasswordResetRequest
from .wizard import FormSubmission, WizardState

__all__ = [
    "CHINA",
    "REMINDER_HOUR",
    "Answer",
    "Case",
    "Charge",
    "Comment",
    "Document",
    "Event",
    "Evidence",
    "FailedLogin",
    "FormSubmission",
    "LetterReview",
    "PasswordResetRequest",
    "MobileTaken",
    "SmsCode",
    "SmsCodeRefused",
    "Notification",
    "Party",
    "Profile",
    "Reminder",
    "Step",
    "SweepRun",
    "WizardState",
    "at_china_hour",
    "china_today",
    "evidence_path",
    "new_calendar_token",
    "now",
]
