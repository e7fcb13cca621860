"""Shared form pieces: date inputs and date checks."""

import datetime
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


class PlainLabels:
    """Labels without the trailing colon: they sit above their fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
