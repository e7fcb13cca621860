"""What every form shares: date inputs, date checks, choices that must be made, and text scrubbed of
invisible characters (FormDefaults)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.chinatime import today as china_today

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # FormDefaults is mixed into forms.Form and forms.ModelForm, and uses what they have.
    _FormBase = forms.BaseForm
else:
    _FormBase = object

_Value = TypeVar("_Value")

EARLIEST_DATE = datetime.date(2000, 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def must_choose(choices: Iterable[tuple[_Value, StrOrPromise]]) -> list[tuple[_Value | str, StrOrPromise]]:
    """A select's choices led by an empty one, so a merchant who skips it is asked, never routed by a default."""
    return [("", _("Choose…")), *choices]


def past_date(value: datetime.date | None, field_label: StrOrPromise) -> datetime.date | None:
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


def scrub(text: str) -> str:
    """Remove invisible and direction-changing characters from user text."""
    return INVISIBLE.sub("", text)


class FormDefaults(_FormBase):
    """What every form of the app does: labels without a trailing colon (they sit above
    their fields), and text scrubbed of invisible and direction-changing characters, so
    nobody can disguise what a letter or a page says."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self._scrubbed(self.data)

    def _scrubbed(self, data: Any) -> Mapping[str, Any]:
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
