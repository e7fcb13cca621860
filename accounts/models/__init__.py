"""Who signs in: merchants' profiles, text-message codes, and the records the throttles keep."""

from accounts.models.profile import MobileTaken, Profile
from accounts.models.sms import SmsCode, SmsCodeRefused
from accounts.models.throttling import FailedLogin, PasswordResetRequest

__all__ = ["FailedLogin", "MobileTaken", "PasswordResetRequest", "Profile", "SmsCode", "SmsCodeRefused"]
