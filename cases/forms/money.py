"""The checks of a sum taken: its amount, or its agreed and charged rates."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import overcharge
from cases.models import Charge

MAX_AMOUNT = Decimal("1000000")


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
