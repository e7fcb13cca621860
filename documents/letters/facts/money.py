"""Each sum taken, claimed less what came back, and how it was taken, in words."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Answer, Charge
from cases.overcharge import trade_rows
from documents.letters.facts.records import ClaimItem
from documents.letters.facts.words import capitalise, letter_date, plain, yuan


def claim_items(case, chinese=True):
    items = []
    for charge in case.charge_list:
        items.append(
            ClaimItem(
                label=Charge.Kind(charge.kind).label if charge.kind in Charge.Kind.values else charge.kind,
                name=item_name(
                    charge.called,
                    Charge.Kind(charge.kind).label if charge.kind in Charge.Kind.values else charge.kind,
                    chinese,
                ),
                called=charge.called,
                taken=charge.amount,
                refunded=charge.refunded_amount,
                claimed=charge.claimed,
                taken_on=charge.taken_on,
                how=charge.how_label,
                rate=charge.rate,
                period=charge.period,
                note=charge.note,
                kind=charge.kind,
                agreed_rate=charge.agreed_rate,
                charged_rate=charge.charged_rate,
                trades=trade_rows(charge) if charge.is_overcharge else [],
                trades_total=charge.computed_overcharge if charge.is_overcharge else None,
            )
        )
    return items


def item_name(called, label, chinese):
    """The seller's word for a sum beside what it is in law: 礼包（激活费） / 礼包 (activation fee)."""
    label = plain(label, chinese)
    if not called or called == label:
        return called or label
    return f"{called}（{label}）" if chinese else f"{called} ({label})"


def quoted_name(item, chinese):
    """A sum's name as a sentence quotes it: “礼包”（激活费） / a “礼包” (activation fee)."""
    label = plain(item.label, chinese)
    quoted = f"“{item.called or label}”" + (
        ("（" + label + "）" if chinese else f" ({label})") if item.called and item.called != label else ""
    )
    if chinese:
        return quoted
    return ("an " if (item.called or label)[:1].lower() in "aeiou" else "a ") + quoted


def money_sentences(case, items, merchant_word, company_word, chinese):
    """How each sum was taken, in the order it was taken."""
    sentences = []
    for charge, item in zip(case.charge_list, items, strict=True):
        if charge.is_overcharge:
            sentences += overcharge_sentences(charge, item, merchant_word, company_word, chinese)
            continue
        if item.taken is None:
            continue
        values = {
            "date": letter_date(item.taken_on or case.activation_date, chinese),
            "amount": yuan(item.taken, chinese),
            "name": quoted_name(item, chinese),
            "who": merchant_word,
            "company": company_word,
            "how": plain(item.how, chinese) if item.how else "",
        }
        how = charge.how
        if charge.kind == Charge.Kind.OTHER and not charge.called:
            if item.how:
                text = _(
                    "On %(date)s, %(amount)s more was taken from %(who)s (%(how)s); %(who)s does not know what it "
                    "was for."
                )
            else:
                text = _("On %(date)s, %(amount)s more was taken from %(who)s; %(who)s does not know what it was for.")
        elif how == Charge.How.DEDUCTED:
            text = _("On %(date)s, %(amount)s was deducted from the settlement funds of %(who)s as %(name)s.")
        elif how == Charge.How.PAID_TO_AGENT:
            text = _("On %(date)s, %(who)s paid %(amount)s to the agent as %(name)s.")
        elif how == Charge.How.CASH_ON_DELIVERY:
            text = _("On %(date)s, %(who)s paid %(amount)s in cash on delivery as %(name)s.")
        elif how == Charge.How.FROZEN:
            text = _("On %(date)s, %(amount)s of the funds of %(who)s was frozen as %(name)s.")
        elif how == Charge.How.SWIPED:
            text = _("On %(date)s, %(who)s was made to swipe %(amount)s on the terminal as %(name)s.")
        else:
            text = _("On %(date)s, %(company)s took %(amount)s from %(who)s as %(name)s.")
        sentence = text % values
        if item.refunded:
            sentence += _(" Of this, %(refunded)s was refunded%(on)s.") % {
                "refunded": yuan(item.refunded, chinese),
                "on": (_(" on %(date)s") % {"date": letter_date(charge.refunded_on, chinese)})
                if charge.refunded_on
                else "",
            }
        sentences.append(sentence)
    for item in items:
        if item.taken is None and item.rate:
            sentence = _("%(company)s also charges a “%(name)s” of %(rate)s%(period)s.") % {
                "company": company_word,
                "name": item.called or plain(item.label, chinese),
                "rate": item.rate,
                "period": (" / " + item.period) if item.period else "",
            }
            sentences.append(capitalise(sentence, chinese))  # it starts with the company: "Your company also..."
    return sentences


def overcharge_sentences(charge, item, merchant_word, company_word, chinese):
    """A rate hike in words: the agreed rate and where it is written, the rate charged, the notice, the sum."""
    values = {
        "who": merchant_word,
        "company": company_word,
        "agreed": charge.agreed_rate,
        "charged": charge.charged_rate,
        "source": charge.agreed_rate_source,
        "days": charge.notice_days,
    }
    if charge.agreed_rate_source:
        text = _("The agreed card rate between %(who)s and %(company)s is %(agreed)s (%(source)s).")
    else:
        text = _("The agreed card rate between %(who)s and %(company)s is %(agreed)s.")
    sentences = [text % values]
    if charge.notice_days:
        sentences.append(_("The agreement promises %(days)s days' notice before the rate is changed.") % values)
    trades = item.trades
    if trades:
        first, last = trades[0]["on"], trades[-1]["on"]
        values.update(
            count=len(trades),
            first=letter_date(first, chinese),
            last=letter_date(last, chinese),
            total=yuan(item.trades_total, chinese),
        )
        if first == last:
            text = _(
                "On %(first)s, %(company)s charged %(who)s fees at about %(charged)s; at the agreed rate they would "
                "have been %(total)s less (see the table below)."
            )
        else:
            text = ngettext(
                "From %(first)s to %(last)s, %(company)s charged %(who)s fees at about %(charged)s on %(count)d trade; "
                "at the agreed rate they would have been %(total)s less (see the table below).",
                "From %(first)s to %(last)s, %(company)s charged %(who)s fees at about %(charged)s on %(count)d "
                "trades; at the agreed rate they would have been %(total)s less (see the table below).",
                len(trades),
            )
        sentences.append(text % values)
    else:
        sentences.append(_("%(company)s charged %(who)s fees at %(charged)s instead.") % values)
    if charge.notice_given == Answer.NO:
        sentences.append(_("%(who)s was not told of the new rate before it was charged.") % values)
    if item.refunded:
        sentences.append(
            _("Of the overcharge, %(refunded)s was refunded%(on)s.")
            % {
                "refunded": yuan(item.refunded, chinese),
                "on": (_(" on %(date)s") % {"date": letter_date(charge.refunded_on, chinese)})
                if charge.refunded_on
                else "",
            }
        )
    return [capitalise(sentence, chinese) for sentence in sentences]
