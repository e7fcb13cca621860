"""What the ladder is: rungs, channels, providers, deadline rules, policy text.

Nothing here knows about a particular case. Content that admins edit in both
languages lives in paired ``*_zh`` / ``*_en`` columns; every legal fact carries
its sources and a verification mark taken from ../shared/docs/domain.md.
"""

from escalation.models.base import (
    INTERNAL_REFERENCE,
    MIRRORED_FILE,
    STALE_AFTER_DAYS,
    Localized,
    Sourced,
    Verification,
    localized_suffix,
    public_source,
)
from escalation.models.calendar import PROVINCE_OFFICIAL_NAMES, HolidayCalendar, HolidayDate, Province, ProvinceWage
from escalation.models.ladder import Category, Channel, DeadlineRule, LegalBasis, Rung
from escalation.models.providers import PolicyRevision, PolicyText, Provider, validate_credit_code

__all__ = [
    "INTERNAL_REFERENCE",
    "MIRRORED_FILE",
    "PROVINCE_OFFICIAL_NAMES",
    "STALE_AFTER_DAYS",
    "Category",
    "Channel",
    "DeadlineRule",
    "HolidayCalendar",
    "HolidayDate",
    "LegalBasis",
    "Localized",
    "PolicyRevision",
    "PolicyText",
    "Province",
    "ProvinceWage",
    "Provider",
    "Rung",
    "Sourced",
    "Verification",
    "localized_suffix",
    "public_source",
    "validate_credit_code",
]
