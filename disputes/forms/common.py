"""Shared form pieces: date inputs, date checks and the checks of a sum taken."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import overcharge
from ..models import Charge, china_today

EARLIEST_DATE = datetime.date(2000, 1, 1)
MAX_AMOUNT = Decimal("1000000")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def must_choose(choices):
    """A select's choices led by an empty one, so a merchant who skips it is asked, never routed by a default."""
    return [("", _("Choose…")), *choices]


def past_date(value, field_label):
    """Refuse dates in the future or implausibly old ones."""
    if value is None:
        return value
    if value > china_today():
        raise ValidationError(_("%(field)s cannot be in the future.") % {"field": field_label}, code="future")
    if value < EARLIEST_DATE:
        raise ValidationError(_("%(field)s is too far in the past.") % {"field": field_label}, code="too_old")
    return value


def rate_field(value):
    """A rate typed as 0.6, 0.6% or 0.6 ％, kept as "0.6%"; a clear error otherwise."""
    try:
        return overcharge.clean_rate(value)
    except ValueError as error:
        raise ValidationError(str(error.args[0]), code="rate") from None


def check_money(form, cleaned, kind_field):
    """A sum's amount and rates, on any form that has ``amount``, ``agreed_rate`` and ``charged_rate``.

    Card fees above the agreed rate need both rates, the charged one higher; their amount comes from the trades.
    Any other sum needs its amount, or (where the form has one) the rate charged.
    """
    if cleaned.get(kind_field) == Charge.Kind.FEE_OVERCHARGE:
        if "agreed_rate" not in form.fields:
            form.add_error(
                kind_field,
                ValidationError(
                    _(
                        "Card fees above the agreed rate are a sum of their own: add them as a new sum, "
                        "with both rates."
                    ),
                    code="kind",
                ),
            )
            return
        for name in ("agreed_rate", "charged_rate"):
            if not cleaned.get(name) and name not in form.errors:
                form.add_error(
                    name,
                    ValidationError(_("Card fees above the agreed rate need both rates, e.g. 0.60%."), code="required"),
                )
        problem = overcharge.rates_error(cleaned.get("agreed_rate"), cleaned.get("charged_rate"))
        if problem and "charged_rate" not in form.errors:
            form.add_error("charged_rate", ValidationError(problem, code="rates"))
    elif cleaned.get("amount") is None and not cleaned.get("rate") and "amount" not in form.errors:
        message = (
            _("Give the amount taken, or the rate charged.") if "rate" in form.fields else _("Give the amount taken.")
        )
        form.add_error("amount", ValidationError(message, code="required"))


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
