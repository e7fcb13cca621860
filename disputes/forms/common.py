"""Shared form pieces: date inputs and date checks."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import china_today

EARLIEST_DATE = datetime.date(2000, 1, 1)
MAX_AMOUNT = Decimal("1000000")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def past_date(value, field_label):
    """Refuse dates in the future or implausibly old ones."""
    if value is None:
        return value
    if value > china_today():
        raise ValidationError(_("%(field)s cannot be in the future.") % {"field": field_label}, code="future")
    if value < EARLIEST_DATE:
        raise ValidationError(_("%(field)s is too far in the past.") % {"field": field_label}, code="too_old")
    return value


# Invisible characters that can disguise text: zero-width spaces and joiners that
# are not part of an emoji, the byte-order mark and the bidirectional overrides.
INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u061c\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def scrub(text):
    """Remove invisible and direction-changing characters from user text."""
    return INVISIBLE.sub("", text)


class FormDefaults:
    """What every form of the app does: labels without a trailing colon (they sit above
    their fields), and text scrubbed of invisible and direction-changing characters, so
    nobody can disguise what a letter or a page says."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self._scrubbed(self.data)

    def _scrubbed(self, data):
        """The submitted data without invisible characters (passwords are kept exactly as typed)."""
        exact = {self.add_prefix(name) for name, field in self.fields.items() if not getattr(field, "strip", True)}
        if not hasattr(data, "getlist"):
            return {
                key: scrub(value) if isinstance(value, str) and key not in exact else value
                for key, value in data.items()
            }
        data = data.copy()
        for key in data:
            if key not in exact:
                data.setlist(key, [scrub(value) if isinstance(value, str) else value for value in data.getlist(key)])
        return data
