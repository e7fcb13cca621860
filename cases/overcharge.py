"""Card fees above the agreed rate, trade by trade (shared/docs/domain.md §8.7).

The sum claimed for a rate hike is, for each trade, the fee charged less the
fee the agreed rate gives on the same amount; the total is their sum. Rates
are percentages written as text ("0.60%"), kept as the merchant typed them and
parsed here. Every check returns a message for the field it concerns, so a
form and the case-file import refuse the same things in the same words.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

RATE_RE = re.compile(r"^\d{1,3}(\.\d{1,4})?%$")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def clean_rate(text):
    """A rate as the app keeps it ("0.6 ％" -> "0.6%"), or raise ValueError with a message."""
    rate = (text or "").replace(" ", "").replace("％", "%")
    if rate and not rate.endswith("%"):
        rate += "%"
    if rate and not RATE_RE.match(rate):
        raise ValueError(_("Write a rate as a percentage, e.g. 0.60%."))
    return rate


def rate_value(rate):
    """The percentage of a kept rate as a Decimal ("0.60%" -> Decimal("0.60")), or None."""
    if not rate:
        return None
    try:
        return Decimal(rate.rstrip("%"))
    except InvalidOperation:
        return None


def rates_error(agreed, charged):
    """Why two rates cannot be a rate hike, or ""."""
    agreed_value, charged_value = rate_value(agreed), rate_value(charged)
    if agreed_value is None or charged_value is None:
        return ""
    if charged_value < agreed_value:
        return _("The rate charged is lower than the agreed rate: that is no overcharge. Please check both rates.")
    if charged_value == agreed_value:
        return _("The rate charged is the agreed rate: that is no overcharge. Please check both rates.")
    return ""


def fee_at(amount, rate):
    """The fee ``rate`` gives on ``amount``, to the fen (half up)."""
    return (amount * rate_value(rate) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Trade:
    """One card trade settled above the agreed rate."""

    on: datetime.date
    amount: Decimal
    fee_charged: Decimal

    def fee_agreed(self, agreed_rate):
        return fee_at(self.amount, agreed_rate)

    def overcharge(self, agreed_rate):
        return self.fee_charged - self.fee_agreed(agreed_rate)

    def rate_charged(self):
        """The rate the fee charged amounts to, as text ("2.04%")."""
        return f"{(self.fee_charged * HUNDRED / self.amount).quantize(CENT, rounding=ROUND_HALF_UP)}%"

    def as_json(self):
        return {"on": self.on.isoformat(), "amount": f"{self.amount:.2f}", "fee_charged": f"{self.fee_charged:.2f}"}

    @classmethod
    def from_json(cls, item):
        """A trade from its case-file form; raises ValueError (or KeyError/TypeError) when it is not one."""
        return cls(
            datetime.date.fromisoformat(item["on"]),
            Decimal(str(item["amount"])),
            Decimal(str(item["fee_charged"])),
        )


def trade_errors(trade, agreed_rate):
    """Field -> message for what makes ``trade`` no overcharge at ``agreed_rate`` (empty when it is one)."""
    errors = {}
    if trade.amount <= 0:
        errors["amount"] = _("The trade amount must be more than zero.")
    if trade.fee_charged <= 0:
        errors["fee_charged"] = _("The fee charged must be more than zero.")
    elif trade.amount > 0 and trade.fee_charged > trade.amount:
        errors["fee_charged"] = _("The fee charged is larger than the trade itself: please check both sums.")
    elif agreed_rate and trade.amount > 0 and trade.overcharge(agreed_rate) <= 0:
        errors["fee_charged"] = _(
            "At the agreed rate of %(rate)s this trade's fee would be %(fee)s yuan: "
            "%(charged)s yuan is not more, so nothing was overcharged on it."
        ) % {"rate": agreed_rate, "fee": trade.fee_agreed(agreed_rate), "charged": trade.fee_charged}
    return errors


def trades_of(charge):
    """The trades of a fee_overcharge charge, oldest first; entries that are not trades are skipped."""
    trades = []
    for item in charge.trades or []:
        try:
            trades.append(Trade.from_json(item))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            continue
    return sorted(trades, key=lambda trade: trade.on)


def total_overcharge(trades, agreed_rate):
    """The sum overcharged over ``trades`` at ``agreed_rate``, or None when it cannot be computed."""
    if not trades or rate_value(agreed_rate) is None:
        return None
    return sum((trade.overcharge(agreed_rate) for trade in trades), Decimal("0"))


def trade_rows(charge):
    """The rows of a charge's trade table: each trade with the fee at the agreed rate and the overcharge."""
    rate = charge.agreed_rate
    if rate_value(rate) is None:
        return []
    return [
        {
            "index": index,
            "on": trade.on,
            "amount": trade.amount,
            "fee_charged": trade.fee_charged,
            "rate_charged": trade.rate_charged(),
            "fee_agreed": trade.fee_agreed(rate),
            "overcharge": trade.overcharge(rate),
        }
        for index, trade in enumerate(trades_of(charge))
    ]
