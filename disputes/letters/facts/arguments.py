"""Each argument the recorded facts support, with the legal bases in force that support it."""

from django.utils.translation import gettext as _

from ...models import Case, Charge, Party, Step
from .records import Argument
from .words import capitalise


def arguments(case, family, merchant_word, company_word, law, chinese):
    """Each argument the recorded facts support, with the bases in force that support it."""
    found = []

    def argue(code, text, *codes):
        bases = [law[code] for code in codes if code in law]
        if bases:
            found.append(Argument(code, text, bases))

    values = {"who": merchant_word, "company": company_word}
    form = case.promise_form
    promised = form in {Case.PromiseForm.WRITTEN, Case.PromiseForm.ADVERT, Case.PromiseForm.ORAL}
    if promised and case.promise_target and case.target_met == "yes":
        codes = ["civil-code-509", "civil-code-577"] + (["civil-code-473"] if form == Case.PromiseForm.ADVERT else [])
        argue(
            "condition_met",
            _(
                "%(who)s met the condition on which the money was to be returned. The promise is part of what the "
                "parties agreed, and %(company)s must perform it in full; keeping the money is a breach of contract."
            )
            % values,
            *codes,
        )
    elif promised and not case.promise_target:
        argue(
            "promised_return",
            _(
                "The return of the money was promised without further condition. The promise is part of what the "
                "parties agreed, and %(company)s must perform it; keeping the money is a breach of contract."
            )
            % values,
            "civil-code-509",
            "civil-code-577",
            *(["civil-code-473"] if form == Case.PromiseForm.ADVERT else []),
        )
    if form == Case.PromiseForm.WRITTEN and case.promise_target and case.target_met == "no":
        text = (
            _(
                "The condition attached to the return is a standard term that %(company)s drafted in advance and did "
                "not negotiate. "
            )
            % values
        )
        if case.fees_disclosed == "no":
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
        codes = (["civil-code-496"] if case.fees_disclosed == "no" else []) + ["civil-code-497", "civil-code-498"]
        argue("standard_term", text, *codes)
    written = form in {Case.PromiseForm.WRITTEN, Case.PromiseForm.ADVERT}
    if case.fees_disclosed == "no" and not written:
        argue(
            "undisclosed_fee",
            _(
                "The money was taken without its item and amount having been marked or disclosed to %(who)s "
                "beforehand. A payment institution must not charge any fee it has not marked."
            )
            % values,
            "payment-regulation-34",
        )
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
