"""Each sum taken, claimed less what came back, and how it was taken, in words."""

from django.utils.translation import gettext as _

from ...models import Charge
from .records import ClaimItem
from .words import letter_date, plain, yuan


def claim_items(case):
    items = []
    for charge in case.charge_list:
        items.append(
            ClaimItem(
                label=Charge.Kind(charge.kind).label if charge.kind in Charge.Kind.values else charge.kind,
                called=charge.called,
                taken=charge.amount,
                refunded=charge.refunded_amount,
                claimed=charge.claimed,
                taken_on=charge.taken_on,
                how=charge.how_label,
                rate=charge.rate,
                period=charge.period,
                note=charge.note,
            )
        )
    return items


def money_sentences(case, items, merchant_word, company_word, chinese):
    """How each sum was taken, in the order it was taken."""
    sentences = []
    for item in items:
        if item.taken is None:
            continue
        name = item.called or plain(item.label, chinese)
        values = {
            "date": letter_date(item.taken_on or case.activation_date, chinese),
            "amount": yuan(item.taken, chinese),
            "name": name,
            "who": merchant_word,
            "company": company_word,
        }
        how = case.charge_list[items.index(item)].how
        if how == Charge.How.DEDUCTED:
            text = _("On %(date)s, %(amount)s was deducted from the settlement funds of %(who)s as a “%(name)s”.")
        elif how == Charge.How.PAID_TO_AGENT:
            text = _("On %(date)s, %(who)s paid %(amount)s to the agent as a “%(name)s”.")
        elif how == Charge.How.CASH_ON_DELIVERY:
            text = _("On %(date)s, %(who)s paid %(amount)s in cash on delivery as a “%(name)s”.")
        elif how == Charge.How.FROZEN:
            text = _("On %(date)s, %(amount)s of the funds of %(who)s was frozen as a “%(name)s”.")
        elif how == Charge.How.SWIPED:
            text = _("On %(date)s, %(who)s was made to swipe %(amount)s on the terminal as a “%(name)s”.")
        else:
            text = _("On %(date)s, %(company)s took %(amount)s from %(who)s as a “%(name)s”.")
        sentence = text % values
        if item.refunded:
            sentence += _(" Of this, %(refunded)s was refunded%(on)s.") % {
                "refunded": yuan(item.refunded, chinese),
                "on": (
                    _(" on %(date)s") % {"date": letter_date(case.charge_list[items.index(item)].refunded_on, chinese)}
                )
                if case.charge_list[items.index(item)].refunded_on
                else "",
            }
        sentences.append(sentence)
    for item in items:
        if item.taken is None and item.rate:
            sentences.append(
                _("%(company)s also charges a “%(name)s” of %(rate)s%(period)s.")
                % {
                    "company": company_word,
                    "name": item.called or plain(item.label, chinese),
                    "rate": item.rate,
                    "period": (" / " + item.period) if item.period else "",
                }
            )
    return sentences
