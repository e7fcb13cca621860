"""Each argument the recorded facts support, with the legal bases in force that support it."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Answer, Case, Charge, Party, Step
from documents.letters.facts.records import Argument
from documents.letters.facts.words import capitalise, promised_sum, sum_name


def arguments(case, family, merchant_word, company_word, law, chinese):
    """Each argument the recorded facts support, with the bases in force that support it."""
    found = []

    def argue(code, text, *codes):
        bases = [law[code] for code in codes if code in law]
        if bases:
            found.append(Argument(code, text, bases))

    values = {"who": merchant_word, "company": company_word, "what": promised_sum(case, chinese)}
    # A rate hike promises no return: the promise arguments are for sums that were to come back.
    form = "" if case.only_overcharge else case.promise_form
    promised = form in {Case.PromiseForm.WRITTEN, Case.PromiseForm.ADVERT, Case.PromiseForm.ORAL}
    if promised and case.promise_target and case.target_met == Answer.YES:
        codes = ["civil-code-509", "civil-code-577"] + (["civil-code-473"] if form == Case.PromiseForm.ADVERT else [])
        argue(
            "condition_met",
            _(
                "%(who)s met the condition on which %(what)s was to be returned. The promise is part of what the "
                "parties agreed, and %(company)s must perform it in full; keeping it is a breach of contract."
            )
            % values,
            *codes,
        )
    elif promised and not case.promise_target:
        argue(
            "promised_return",
            _(
                "The return of %(what)s was promised without further condition. The promise is part of what the "
                "parties agreed, and %(company)s must perform it; keeping it is a breach of contract."
            )
            % values,
            "civil-code-509",
            "civil-code-577",
            *(["civil-code-473"] if form == Case.PromiseForm.ADVERT else []),
        )
    if form == Case.PromiseForm.WRITTEN and case.promise_target and case.target_met == Answer.NO:
        text = (
            _(
                "The condition attached to the return is a standard term that %(company)s drafted in advance and did "
                "not negotiate. "
            )
            % values
        )
        if case.fees_disclosed == Answer.NO:
            text += (
                _(
                    "It was not drawn to the attention of %(who)s nor explained before the money was taken, so %(who)s "
                    "claims that it is not part of the contract. "
                )
                % values
            )
        text += (
            _(
                "A condition that lets %(company)s keep the money even though %(who)s traded on the terminal "
                "unreasonably increases the liability of %(who)s and restricts its main rights, and is void; where the "
                "term can be read in more than one way, it is read against %(company)s."
            )
            % values
        )
        codes = (["civil-code-496"] if case.fees_disclosed == Answer.NO else []) + ["civil-code-497", "civil-code-498"]
        argue("standard_term", text, *codes)
    written = form in {Case.PromiseForm.WRITTEN, Case.PromiseForm.ADVERT}
    undisclosed = [
        charge
        for position, charge in enumerate(case.charge_list)
        if not charge.is_overcharge
        and charge.disclosed_answer(case) == Answer.NO
        and not (position == 0 and written and not charge.disclosed)
    ]
    if undisclosed:
        if len(case.charge_list) == 1:
            what = _("the money")
        else:
            what = ("、" if chinese else _(" and ")).join(sum_name(charge, chinese) for charge in undisclosed)
        argue(
            "undisclosed_fee",
            ngettext(
                "%(what)s was taken without its item and amount having been marked or disclosed to %(who)s "
                "beforehand. A payment institution must not charge any fee it has not marked.",
                "%(what)s were taken without their items and amounts having been marked or disclosed to %(who)s "
                "beforehand. A payment institution must not charge any fee it has not marked.",
                len(undisclosed),
            )
            % {**values, "what": what},
            "payment-regulation-34",
        )
    for charge in case.charge_list:
        if charge.is_overcharge and charge.claimed and charge.notice_given != Answer.YES:
            argue(*overcharge_argument(charge, values))
    if case.deceived:
        argue(*deception_argument(case, values))
    merchant = case.merchant
    if merchant is not None and merchant.kind == Party.Kind.PERSON and case.use == Case.Use.PERSONAL:
        argue(
            "no_business",
            _(
                "%(who)s runs no business. The terminal was marketed to a person with no business activity, which "
                "the payment industry's rules forbid."
            )
            % values,
            "pcac-2023-no-business",
        )
    redirected = any(step.outcome == Step.Outcome.REDIRECTED for step in case.step_list)
    if case.obtained_via == Case.ObtainedVia.AGENT or redirected:
        argue(
            "acquirer_answers",
            _(
                "%(company)s signed %(who)s as its merchant and cannot hand this dispute to its agent: the licensed "
                "institution keeps its own duty to settle disputes with its merchants."
            )
            % values,
            "payment-regulation-35",
            "pcac-2023-disputes",
        )
    agent_fee = any(charge.kind in {Charge.Kind.ACTIVATION_FEE, Charge.Kind.SERVICE_FEE} for charge in case.charge_list)
    if case.obtained_via == Case.ObtainedVia.AGENT and agent_fee and family in {"pcac", "pboc", "civil"}:
        argue(
            "network_access_fee",
            _(
                "An agent must not charge merchants in the name of a “network-access service” or the like when "
                "marketing."
            ),
            "pcac-2022-24",
        )
    return [capitalise_argument(argument, chinese) for argument in found]


def overcharge_argument(charge, values):
    """Fees above the agreed rate: without notice, a change the merchant never agreed to; else, not as agreed."""
    values = {**values, "agreed": charge.agreed_rate, "days": charge.notice_days}
    if charge.notice_given == Answer.NO:
        text = (
            _(
                "%(company)s charged fees above the agreed rate of %(agreed)s without telling %(who)s beforehand, "
                "although the agreement promises %(days)s days' notice. "
            )
            if charge.notice_days
            else _("%(company)s charged fees above the agreed rate of %(agreed)s without telling %(who)s beforehand. ")
        ) % values
        text += _(
            "A contract is changed only by the parties' agreement, and each party must perform it as agreed; the fees "
            "charged above the agreed rate are a breach of contract and must be returned."
        )
        return "rate_changed_without_notice", text, "civil-code-543", "civil-code-509", "civil-code-577"
    text = (
        _(
            "%(company)s charged fees above the agreed rate of %(agreed)s. Each party must perform the contract as "
            "agreed; the fees charged above the agreed rate are a breach of contract and must be returned."
        )
        % values
    )
    return "rate_above_agreed", text, "civil-code-509", "civil-code-577"


def deception_argument(case, values):
    """What the merchant recorded of the seller's deception, and what it allows (民法典 Arts. 148, 149, 157)."""
    posed = {
        Case.PosedAs.BANK: _("a member of a bank's staff"),
        Case.PosedAs.UNIONPAY: _("a member of UnionPay's staff"),
        Case.PosedAs.PROVIDER: _("a member of the staff of %(company)s") % values,
    }.get(case.posed_as, case.posed_as)
    if posed and case.pitch:
        text = _(
            "The person who sold the terminal to %(who)s claimed to be %(posed)s, and said that the terminal would "
            "raise the credit limit of the credit card of %(who)s. "
        )
    elif posed:
        text = _("The person who sold the terminal to %(who)s claimed to be %(posed)s. ")
    else:
        text = _(
            "The person who sold the terminal to %(who)s said that it would raise the credit limit of the credit "
            "card of %(who)s. "
        )
    text = text % {**values, "posed": posed}
    consequence = (
        _(
            "%(who)s took the terminal and paid the money because of this deception, against the true intention of "
            "%(who)s. A person deceived into an act may ask a court to revoke it, and money obtained through a "
            "revoked act must be returned."
        )
        % values
    )
    text += consequence[:1].upper() + consequence[1:]  # a new sentence (Chinese is unchanged)
    return "deception", text, "civil-code-148", "civil-code-149", "civil-code-157"


def capitalise_argument(argument, chinese):
    argument.text = capitalise(argument.text, chinese)
    return argument


def cited_bases(found, extra=()):
    """Every basis the letter cites, once, in the order first cited."""
    seen = {}
    for argument in found:
        for basis in argument.bases:
            seen.setdefault(basis.code, basis)
    for basis in extra:
        if basis is not None:
            seen.setdefault(basis.code, basis)
    return list(seen.values())
