"""Facts first, words last: the small records every letter is printed from.

``build(case, letter, language, today)`` turns a case into records: the parties
as they are, each sum claimed (taken less refunded), each attempt made before
the letter's date, each argument with the recorded facts it rests on and the
legal bases in force that day, the requests, the recipient's checklist and
where to send it. Templates only print these records; a sentence with no fact
behind it is never built. The records are tested without rendering
(tests/disputes/test_facts.py) and the PDFs by their extracted text
(tests/disputes/test_golden_letters.py).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from escalation.models import PROVINCE_OFFICIAL_NAMES, Channel, LegalBasis, Province
from escalation.routing import pboc_branch_name

from ..models import Case, Charge, Document, Party, Step
from .numbers import chinese_date, english_date, figures, rmb_upper

ZERO = Decimal("0")


@dataclass
class Line:
    """One labelled line of a party block; ``missing`` lines print a blank to fill in."""

    label: str
    value: str = ""
    missing: bool = False
    code: str = ""  # the party field it prints, for the checklist


@dataclass
class PartyRecord:
    role: str
    kind: str
    name: str
    heading: str  # 原告 / 申请人 …, with a number when there are two on one side
    lines: list = field(default_factory=list)


@dataclass
class ClaimItem:
    label: str
    called: str
    taken: Decimal | None
    refunded: Decimal | None
    claimed: Decimal | None
    taken_on: datetime.date | None
    how: str
    rate: str = ""
    period: str = ""
    note: str = ""

    @property
    def claimed_figures(self):
        return figures(self.claimed) if self.claimed is not None else ""


@dataclass
class Attempt:
    on: datetime.date
    text: str


@dataclass
class Argument:
    code: str
    text: str
    bases: list = field(default_factory=list)


@dataclass
class Missing:
    code: str
    text: str


@dataclass
class Facts:
    letter_kind: str
    family: str  # application, pboc, nfra, samr_complaint, samr_report, consumer_association, pcac, civil
    language: str
    today: datetime.date
    title: str
    addressee: str
    merchant: PartyRecord
    respondents: list
    claims: list
    total_taken: Decimal
    total_refunded: Decimal
    total_claimed: Decimal
    terminal: list  # sentences about the terminal
    money: list  # sentences about how each sum was taken
    promise: list  # sentences about the promise
    story: str
    attempts: list
    arguments: list
    bases: list
    requests: list
    checklist: list
    send: list
    witnesses: str
    evidence: list
    reply_days: int | None = None
    attempts_intro: str = ""
    story_intro: str = ""
    standing: list = field(default_factory=list)  # who writes, and why this body: per recipient
    escalation: str = ""  # the application's last word: what comes next if no answer
    enclosures: list = field(default_factory=list)
    kept_by: str = ""
    elements: list = field(default_factory=list)  # the civil complaint's element table (要素式), when asked for

    @property
    def parties(self):
        return [self.merchant, *self.respondents]

    @property
    def draft(self):
        return bool(self.checklist)

    @property
    def total_figures(self):
        return figures(self.total_claimed)

    @property
    def total_upper(self):
        return rmb_upper(self.total_claimed)


# ----- words ---------------------------------------------------------------------------------------------


def letter_date(day, chinese):
    return chinese_date(day) if chinese else english_date(day)


def volume(amount, chinese):
    """A transaction volume: "50,000.00元" / "CNY 50,000.00"."""
    return f"{figures(amount)}元" if chinese else f"CNY {figures(amount)}"


def plain(label, chinese):
    """A choice's label as a sentence uses it: "Deposit (押金)" -> "押金" / "deposit"."""
    label = str(label)
    if chinese:
        return label.split("（")[0].split(" (")[0]
    label = label.split(" (")[0]
    return label[:1].lower() + label[1:]


def yuan(amount, chinese):
    """299 -> "299.00元（人民币贰佰玖拾玖元整）" / "CNY 299.00"."""
    if amount is None:
        return ""
    if chinese:
        return f"{figures(amount)}元（{rmb_upper(amount)}）"
    return f"CNY {figures(amount)}"


def family_of(letter, case):
    """Which recipient a letter is for: one template and one set of needs per recipient.

    At the market regulator a consumer files a complaint (投诉); a merchant who
    used the terminal for business may only report (举报) the business (总局令
    第121号 Art. 3; domain.md §8.1).
    """
    kind, channel = letter.kind, letter.channel
    if kind == Document.Kind.REFUND_APPLICATION:
        return "application"
    if kind == Document.Kind.CIVIL_COMPLAINT:
        return "civil"
    if kind == Document.Kind.COMPLAINT_ASSOCIATION:
        return "pcac"
    if kind == Document.Kind.COMPLAINT_FINANCIAL:
        return "nfra" if channel and channel.kind == Channel.Kind.BANKING_REGULATOR else "pboc"
    if channel and channel.kind == Channel.Kind.CONSUMER_ASSOCIATION:
        return "consumer_association"
    return "samr_complaint" if case.use == Case.Use.PERSONAL else "samr_report"


ROLE_WORDS = {
    # family: (merchant heading, respondent heading)
    "application": (("Applicant", "申请人"), ("Respondent", "被申请人")),
    "pboc": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "nfra": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "samr_complaint": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "consumer_association": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "samr_report": (("Reporter", "举报人"), ("Reported business", "被举报人")),
    "pcac": (("Reporter", "举报人"), ("Reported institution", "被举报机构")),
    "civil": (("Plaintiff", "原告"), ("Defendant", "被告")),
}


def role_words(family, chinese):
    merchant, respondent = ROLE_WORDS[family]
    return (merchant[1], respondent[1]) if chinese else (merchant[0], respondent[0])


def the(word, chinese):
    """The role as a sentence names it: 申请人 / the applicant."""
    return word if chinese else f"the {word.lower()}"


# ----- parties -------------------------------------------------------------------------------------------


def person_lines(party, civil, chinese):
    """A person's details: a civil complaint states them all (民诉法 Art. 124), other letters fewer."""
    lines = []
    if civil:
        lines.append(Line(_("Sex"), party.get_sex_display() if party.sex else "", missing=not party.sex, code="sex"))
        birth = letter_date(party.birth_date, chinese) if party.birth_date else ""
        lines.append(Line(_("Date of birth"), birth, missing=not party.birth_date, code="birth_date"))
        lines.append(Line(_("Ethnicity"), party.ethnicity, missing=not party.ethnicity, code="ethnicity"))
        if party.occupation:
            lines.append(Line(_("Occupation"), party.occupation, code="occupation"))
    label = _("Passport number") if party.id_type == Party.IdType.PASSPORT else _("Citizen ID number")
    if civil:
        lines.append(Line(label, party.id_number, missing=not party.id_number, code="id_number"))
    elif party.id_number:
        lines.append(Line(label, party.masked_id_number, code="id_number"))
    return lines


def merchant_record(case, family, heading, chinese):
    party = case.merchant or Party(role=Party.Role.MERCHANT, kind=Party.Kind.PERSON)
    civil = family == "civil"
    lines = []
    if party.kind == Party.Kind.COMPANY:
        name = party.name
        lines.append(
            Line(_("Unified social credit code"), party.credit_code, missing=not party.credit_code, code="credit_code")
        )
        lines.append(Line(_("Domicile"), party.address, missing=not party.address, code="address"))
        representative = party.representative
        if party.representative_title:
            representative += ("，" if chinese else ", ") + _("title: %(title)s") % {
                "title": party.representative_title
            }
        lines.append(
            Line(_("Legal representative"), representative, missing=not party.representative, code="representative")
        )
    elif party.kind == Party.Kind.INDIVIDUAL_BUSINESS:
        name = party.display_name
        if party.trade_name:
            name += _(" (individual business)")
        lines.append(
            Line(
                _("Unified social credit code"),
                party.credit_code,
                missing=civil and not party.credit_code,
                code="credit_code",
            )
        )
        lines.append(Line(_("Place of business"), party.address, missing=not party.address, code="address"))
        operator = Party(
            name=party.representative,
            sex=party.sex,
            birth_date=party.birth_date,
            ethnicity=party.ethnicity,
            occupation=party.occupation,
            id_type=party.id_type,
            id_number=party.id_number,
        )
        lines.append(Line(_("Operator"), party.representative, missing=not party.representative, code="representative"))
        lines += [
            Line(_("Operator — %(detail)s") % {"detail": line.label}, line.value, line.missing, line.code)
            for line in person_lines(operator, civil, chinese)
        ]
    else:
        name = party.name
        lines += person_lines(party, civil, chinese)
        lines.append(Line(_("Address"), party.address, missing=not party.address, code="address"))
    lines.append(Line(_("Phone"), party.mobile, missing=not party.mobile, code="mobile"))
    if case.merchant_number and family != "civil":
        shop = (party.extra or {}).get("shop_name", "")
        value = f"{shop}{'，' if chinese else ', '}{case.merchant_number}" if shop else case.merchant_number
        lines.append(Line(_("Merchant number"), value, code="merchant_number"))
    if not name:
        lines.insert(0, Line(_("Name"), "", missing=True, code="name"))
    return PartyRecord(Party.Role.MERCHANT, party.kind, name, heading, lines)


def respondent_record(case, family, heading, chinese):
    """The licensed institution: what this case typed, else the directory's checked details."""
    party = case.respondent
    provider = case.provider
    name = case.provider_name

    def fact(party_field, provider_field):
        value = getattr(party, party_field, "") if party else ""
        if not value and provider is not None:
            value = getattr(provider, provider_field)
        return value

    credit_code = fact("credit_code", "credit_code")
    address = fact("address", "registered_address")
    representative = fact("representative", "legal_representative")
    needs_identity = family in {"civil", "samr_complaint", "samr_report", "application"}
    lines = [
        Line(
            _("Unified social credit code"), credit_code, missing=needs_identity and not credit_code, code="credit_code"
        ),
        Line(_("Domicile"), address, missing=not address, code="address"),
    ]
    if family == "civil" or representative:
        lines.append(
            Line(
                _("Legal representative"),
                representative,
                missing=family == "civil" and not representative,
                code="representative",
            )
        )
    return PartyRecord(Party.Role.RESPONDENT, Party.Kind.COMPANY, name, heading, lines)


def agent_record(case, family, heading, chinese):
    agent = case.agent
    if agent is None or not agent.co_respondent:
        return None
    lines = []
    if agent.kind == Party.Kind.PERSON:
        lines += person_lines(agent, family == "civil", chinese)
        lines.append(Line(_("Address"), agent.address, missing=family == "civil" and not agent.address, code="address"))
    else:
        lines.append(
            Line(
                _("Unified social credit code"),
                agent.credit_code,
                missing=family == "civil" and not agent.credit_code,
                code="credit_code",
            )
        )
        lines.append(
            Line(_("Domicile"), agent.address, missing=family == "civil" and not agent.address, code="address")
        )
        if agent.representative or family == "civil":
            lines.append(
                Line(
                    _("Legal representative"),
                    agent.representative,
                    missing=family == "civil" and not agent.representative,
                    code="representative",
                )
            )
    if agent.mobile or agent.contact:
        lines.append(
            Line(_("Contact"), " ".join(part for part in (agent.mobile, agent.contact) if part), code="contact")
        )
    return PartyRecord(Party.Role.AGENT, agent.kind, agent.name, heading, lines)


# ----- money ---------------------------------------------------------------------------------------------


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


# ----- the terminal and the promise ----------------------------------------------------------------------


def terminal_sentences(case, merchant_word, company_word, respondent_name, chinese):
    sentences = []
    values = {
        "date": letter_date(case.activation_date, chinese),
        "who": merchant_word,
        "company": company_word,
        "name": respondent_name,
    }
    agent = case.agent
    if case.obtained_via == Case.ObtainedVia.AGENT:
        if agent is not None and agent.name:
            sentences.append(
                _("On %(date)s, %(who)s obtained a POS terminal of %(company)s (%(name)s) through its agent %(agent)s.")
                % {**values, "agent": agent.name}
            )
        else:
            sentences.append(
                _("On %(date)s, %(who)s obtained a POS terminal of %(company)s (%(name)s) through an agent.") % values
            )
    elif case.activation_date:
        sentences.append(
            _("On %(date)s, %(who)s obtained a POS terminal through the official channel of %(company)s (%(name)s).")
            % values
        )
    details = []
    if case.terminal_model:
        details.append(_("model %(model)s") % {"model": case.terminal_model})
    if case.terminal_sn:
        details.append(_("serial number %(sn)s") % {"sn": case.terminal_sn})
    if case.merchant_number:
        details.append(_("merchant number %(number)s") % {"number": case.merchant_number})
    if details:
        sentences.append(_("Terminal: %(details)s.") % {"details": ("，" if chinese else ", ").join(details)})
    return sentences


def promiser(case, company_word):
    if case.promised_by == Case.PromisedBy.AGENT:
        return _("the agent")
    if case.promised_by == Case.PromisedBy.PROVIDER:
        return company_word
    return ""


def promise_sentences(case, merchant_word, company_word, chinese):
    """What was promised, in the form it was made: writing, an advert, words, or nothing."""
    form = case.promise_form
    who = promiser(case, company_word)
    values = {"who": merchant_word, "promiser": who}
    sentences = []
    if form == Case.PromiseForm.WRITTEN:
        text = (
            _("%(promiser)s promised in writing that the money would be returned.")
            if who
            else _("It was promised in writing that the money would be returned.")
        )
    elif form == Case.PromiseForm.ADVERT:
        text = (
            _("%(promiser)s advertised that the money would be returned.")
            if who
            else _("The sales material said that the money would be returned.")
        )
    elif form == Case.PromiseForm.ORAL:
        text = (
            _("%(promiser)s told %(who)s orally that the money would be returned.")
            if who
            else _("%(who)s was told orally that the money would be returned.")
        )
    else:
        text = ""
    if text:
        sentence = text % values
        sentences.append(sentence[0].upper() + sentence[1:] if not chinese else sentence)
    target = case.promise_target
    period = period_words(case)
    if form != Case.PromiseForm.NONE and target:
        if period:
            sentences.append(
                _("The condition was a transaction volume of %(target)s within %(period)s.")
                % {"target": volume(target, chinese), "period": period}
            )
        else:
            sentences.append(
                _("The condition was a transaction volume of %(target)s.") % {"target": volume(target, chinese)}
            )
    if case.promise_details:
        sentences.append(
            _("In the words of %(who)s: “%(details)s”") % {"who": merchant_word, "details": case.promise_details}
        )
    if form != Case.PromiseForm.NONE and case.promise_source:
        sentences.append(_("The promise can be seen in: %(source)s.") % {"source": case.promise_source})
    if form != Case.PromiseForm.NONE and target:
        reached = case.volume_reached
        if case.target_met == "yes":
            if reached:
                sentences.append(
                    _("%(who)s reached a transaction volume of %(reached)s within that period, meeting the condition.")
                    % {"who": merchant_word, "reached": volume(reached, chinese)}
                )
            else:
                sentences.append(_("%(who)s met the condition within that period.") % {"who": merchant_word})
        elif case.target_met == "no" and reached:
            share = (reached / target * 100).quantize(Decimal("1")) if target else None
            sentences.append(
                _("%(who)s reached a transaction volume of %(reached)s, %(share)s%% of the target.")
                % {"who": merchant_word, "reached": volume(reached, chinese), "share": share}
            )
    if form == Case.PromiseForm.NONE:
        sentences.append(
            _("Nobody explained to %(who)s what the money was for or when it would come back.") % {"who": merchant_word}
        )
    return [capitalise(sentence, chinese) for sentence in sentences]


def capitalise(sentence, chinese):
    return sentence if chinese or not sentence else sentence[0].upper() + sentence[1:]


def period_words(case):
    if case.promise_within_days:
        return _("%(days)s days") % {"days": case.promise_within_days}
    if case.promise_period_months:
        return _("%(months)s months") % {"months": case.promise_period_months}
    return ""


# ----- attempts -----------------------------------------------------------------------------------------

METHOD_WORDS = {
    Step.Method.PHONE: gettext_lazy("by phone"),
    Step.Method.APP: gettext_lazy("by in-app chat or ticket"),
    Step.Method.ONLINE: gettext_lazy("online"),
    Step.Method.EMAIL: gettext_lazy("by email"),
    Step.Method.POST: gettext_lazy("by post (EMS)"),
    Step.Method.IN_PERSON: gettext_lazy("in person"),
}


def attempt_place(step, chinese):
    channel = step.channel
    if step.rung.position == 3:
        return ""
    if (step.extra or {}).get("to") == "agent":
        return _("the agent")
    if channel is None:
        return step.rung.title
    if channel.kind == Channel.Kind.PROVIDER:
        return _("the customer service of the payment institution")
    return channel.name_zh if chinese else f"{channel.name_zh} ({channel.name_en})"


def attempt_sentence(step, chinese):
    method = str(METHOD_WORDS.get(step.method, "")).strip()
    values = {"date": letter_date(step.started_on, chinese), "place": attempt_place(step, chinese), "method": method}
    if step.rung.position == 3:
        text = (
            _("%(date)s: sent a written refund application %(method)s")
            if method
            else _("%(date)s: sent a written refund application")
        )
    elif step.rung.position == 4:
        text = _("%(date)s: complained to %(place)s %(method)s") if method else _("%(date)s: complained to %(place)s")
    elif step.rung.position == 5:
        text = _("%(date)s: filed with %(place)s %(method)s") if method else _("%(date)s: filed with %(place)s")
    else:
        text = _("%(date)s: contacted %(place)s %(method)s") if method else _("%(date)s: contacted %(place)s")
    sentence = text % values
    if step.reference:
        sentence += _(" (reference %(reference)s)") % {"reference": step.reference}
    if step.outcome == Step.Outcome.PENDING:
        sentence += _("; no answer yet")
    else:
        sentence += _("; result: %(outcome)s") % {"outcome": plain(Step.Outcome(step.outcome).label, chinese)}
        if step.answered_on and step.answered_on != step.started_on:
            sentence += _(" (%(date)s)") % {"date": letter_date(step.answered_on, chinese)}
    if step.answer_notes:
        sentence += _(": “%(notes)s”") % {"notes": step.answer_notes.strip().rstrip("。.！!；;，,")}
    return sentence + ("。" if chinese else ".")


def attempts_before(case, letter, today, chinese):
    """The attempts made before this document: never the document's own filing, nor a later step.

    Later means later in time (on or after the letter's date) and higher up the
    ladder (a refund application does not list the lawsuit).
    """
    result = []
    for step in case.step_list:
        if step.started_on >= today or not 2 <= step.rung.position <= letter.rung:
            continue
        if letter.kind == Document.Kind.CIVIL_COMPLAINT and step.rung.position == 5:
            continue  # the lawsuit itself
        if letter.channel is not None and step.channel_id == letter.channel.pk:
            continue  # the filing this document is
        result.append(Attempt(step.started_on, attempt_sentence(step, chinese)))
    return result


# ----- arguments ----------------------------------------------------------------------------------------


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


# ----- what each recipient is asked, and how to reach it ---------------------------------------------------

TITLES = {
    "application": ("Application for the return of money taken", "退款申请书"),
    "pboc": ("Complaint", "投诉书"),
    "nfra": ("Complaint", "投诉书"),
    "samr_complaint": ("Complaint", "投诉书"),
    "consumer_association": ("Complaint", "投诉书"),
    "samr_report": ("Report", "举报信"),
    "pcac": ("Report", "举报信"),
    "civil": ("Civil complaint", "民事起诉状"),
}


def title_of(case, family, chinese):
    if family == "application":
        kinds = {charge.kind for charge in case.charge_list}
        if kinds == {Charge.Kind.DEPOSIT}:
            return "退还押金申请书" if chinese else "Application for the return of a deposit"
    english, chinese_title = TITLES[family]
    return chinese_title if chinese else english


def addressee_of(case, family, channel, chinese):
    """Who the document is addressed to, by its own name (a channel's name is not an addressee)."""
    province = PROVINCE_OFFICIAL_NAMES.get(case.province, "")
    if family == "application":
        return case.provider_name
    if family == "pboc":
        branch = pboc_branch_name(case.province)
        if branch:
            english = Province(case.province).label
            return branch if chinese else f"{branch} (the {english} branch of the People's Bank of China)"
        return "中国人民银行" if chinese else "中国人民银行 (the People's Bank of China)"
    if family == "nfra":
        return (
            "国家金融监督管理总局" if chinese else "国家金融监督管理总局 (National Financial Regulatory Administration)"
        )
    if family in {"samr_complaint", "samr_report"}:
        office = (
            "被投诉人经营地或住所地县级市场监督管理部门"
            if family == "samr_complaint"
            else "被举报人所在地市场监督管理部门"
        )
        return office if chinese else f"{office} (the market regulation bureau where the respondent operates)"
    if family == "consumer_association":
        name = f"{province}消费者协会" if province else "消费者协会"
        return name if chinese else f"{name} (consumer association)"
    if family == "pcac":
        return "中国支付清算协会" if chinese else "中国支付清算协会 (Payment & Clearing Association of China)"
    return court_name(case)


def requests_of(case, family, facts_values, argued, chinese):
    """What the document asks for, by recipient."""
    company = facts_values["company"]
    requests = []
    if family == "application":
        requests.append(
            _(
                "Return %(total)s to the original settlement account of %(who)s within %(days)s days of receiving "
                "this application, and answer in writing."
            )
            % {**facts_values, "days": facts_values["reply_days"]}
        )
    elif family in {"pboc", "nfra"}:
        requests.append(_("Deal with this complaint and urge %(company)s to return %(total)s.") % facts_values)
        if "undisclosed_fee" in argued:
            requests.append(_("Investigate %(company)s charging a fee it had not marked.") % {"company": company})
    elif family in {"samr_complaint", "consumer_association"}:
        requests.append(_("Mediate so that %(company)s returns %(total)s.") % facts_values)
    elif family == "samr_report":
        requests.append(
            _("Investigate and deal with how %(company)s took this money, as the law provides.") % facts_values
        )
    elif family == "pcac":
        requests.append(
            _("Investigate under the association's self-regulatory rules and urge %(company)s to return %(total)s.")
            % facts_values
        )
    elif family == "civil":
        defendants = facts_values["defendants"]
        requests.append(
            _("Order %(defendants)s to pay %(who)s %(total)s.") % {**facts_values, "defendants": defendants}
        )
        if case.claim_interest and case.interest_from:
            requests.append(
                _(
                    "Order %(defendants)s to pay interest on that sum from %(date)s until paid, at the one-year "
                    "loan prime rate (LPR)."
                )
                % {**facts_values, "defendants": defendants, "date": letter_date(case.interest_from, chinese)}
            )
        requests.append(_("Order %(defendants)s to bear the costs of this case.") % {"defendants": defendants})
    return [capitalise(request, chinese) for request in requests]


def checklist_of(case, family, records, attempts, evidence):
    """What the recipient needs that the case does not have yet: the PDF says 草稿 (draft) until it is complete."""
    missing = []
    for record in records:
        for line in record.lines:
            if line.missing:
                missing.append(
                    Missing(
                        f"{record.role}.{line.code}",
                        _("%(party)s: %(detail)s") % {"party": record.heading, "detail": line.label},
                    )
                )
        if not record.name:
            missing.append(Missing(f"{record.role}.name", _("%(party)s: name") % {"party": record.heading}))
    if not case.charge_list or all(charge.claimed in (None, ZERO) for charge in case.charge_list if charge.amount):
        missing.append(Missing("money", _("The sums taken, and what is still owed")))
    if family in {"pboc", "nfra"} and not attempts:
        missing.append(
            Missing(
                "prior_complaint",
                _(
                    "A complaint to the payment institution itself first: record your contact with its customer "
                    "service."
                ),
            )
        )
    if family == "civil":
        if not evidence:
            missing.append(
                Missing("evidence", _("Evidence: a filing needs at least the agreement or the deduction record."))
            )
        if not court_name(case):
            missing.append(Missing("court", _("The court you file with")))
    return missing


def court_name(case):
    lawsuit = next((step for step in reversed(case.step_list) if step.rung.position == 5 and step.recipient), None)
    return case.court_name or (lawsuit.recipient if lawsuit else "")


def send_notes(case, family, respondent, chinese):
    """Where and how to send the document (shown beside it, not printed in it)."""
    notes = []
    address = next((line.value for line in respondent.lines if line.label == _("Domicile")), "")
    provider = case.provider
    complaints_to = provider.complaints_to if provider is not None else ""
    if family == "application":
        if complaints_to:
            notes.append(
                _("Send it to where the institution takes written complaints: %(to)s.") % {"to": complaints_to}
            )
        if address:
            notes.append(_("Or post it by EMS to its registered address: %(address)s.") % {"address": address})
        else:
            notes.append(
                _(
                    "Its registered address is not known yet: look the company up on 国家企业信用信息公示系统 "
                    "(www.gsxt.gov.cn) and add it to your case."
                )
            )
        notes.append(_("Keep the EMS receipt or the sent email, and record here the day it was delivered."))
    elif family == "pboc":
        notes.append(
            _(
                "Call 12363 (working hours, handled by the local branch) or post it to %(addressee)s; keep the "
                "reference number."
            )
            % {"addressee": addressee_of(case, family, None, True)}
        )
    elif family == "nfra":
        notes.append(_("Call 12378, or post it to the local office of the NFRA; keep the reference number."))
    elif family in {"samr_complaint", "samr_report"}:
        notes.append(
            _(
                "Submit it on www.12315.cn, in the 12315 app or mini-program, or by calling 12315; it goes to the "
                "county-level office where the respondent operates."
            )
        )
        if family == "samr_complaint":
            notes.append(
                _(
                    "A complaint must be for personal consumption: a terminal used for a business may be refused, "
                    "and can then only be reported."
                )
            )
    elif family == "consumer_association":
        notes.append(_("Call or visit the local consumer association; 12315 may also hand the complaint over to it."))
    elif family == "pcac":
        notes.append(
            _(
                "Report it at jubao.pcac.org.cn, by email to jubao@pcac.org.cn or by phone on 010-66001918 (contact "
                "details from 2016: check them first)."
            )
        )
    elif family == "civil":
        notes.append(
            _(
                "File it at the court's registration window, by post, or online through 人民法院在线服务: the "
                "original, one copy per defendant, a copy of your ID (a business: its licence and the legal "
                "representative's certificate) and the evidence."
            )
        )
    notes.append(_("Print it, check every detail, and sign it by hand before you send it."))
    return notes


def build(case, letter, language, today, law=None, evidence=None):
    """Every record of ``letter`` for ``case`` on ``today``, in ``language`` (the active language).

    ``law`` (LegalBasis.in_force_on) and ``evidence`` may be passed in when
    several letters of one case are built at once.
    """
    chinese = not language.startswith("en")
    family = family_of(letter, case)
    merchant_heading, respondent_heading = role_words(family, chinese)
    merchant_word, respondent_word = the(merchant_heading, chinese), the(respondent_heading, chinese)
    company_word = ("贵司" if chinese else "your company") if family == "application" else respondent_word
    law = LegalBasis.in_force_on(today) if law is None else law
    agent = agent_record(case, family, "", chinese)
    respondent = respondent_record(case, family, respondent_heading, chinese)
    respondents = [respondent]
    if agent is not None:
        respondent.heading = f"{respondent_heading}{'一' if chinese else ' 1'}"
        agent.heading = f"{respondent_heading}{'二' if chinese else ' 2'}"
        respondents.append(agent)
    merchant = merchant_record(case, family, merchant_heading, chinese)
    items = claim_items(case)
    total_taken = sum((item.taken or ZERO for item in items), ZERO)
    total_refunded = sum((item.refunded or ZERO for item in items), ZERO)
    total_claimed = sum((item.claimed or ZERO for item in items), ZERO)
    attempts = attempts_before(case, letter, today, chinese)
    found = arguments(case, family, merchant_word, company_word, law, chinese)
    extra_bases = []
    evidence = list(case.evidence.all()) if evidence is None else evidence
    application_rule = case.application_rule()
    defendants = respondent_word if agent is None else ("被告一、被告二" if chinese else "the defendants")
    values = {
        "who": merchant_word,
        "company": company_word,
        "total": yuan(total_claimed, chinese),
        "reply_days": application_rule.amount if application_rule else 15,
        "defendants": defendants,
    }
    requests = requests_of(case, family, values, {argument.code for argument in found}, chinese)
    records = [merchant, *respondents]
    standing, more_bases = standing_of(case, family, merchant_word, respondent_word, law)
    extra_bases += more_bases
    return Facts(
        letter_kind=letter.kind,
        family=family,
        language=language,
        today=today,
        title=title_of(case, family, chinese),
        addressee=addressee_of(case, family, letter.channel, chinese),
        merchant=merchant,
        respondents=respondents,
        claims=items,
        total_taken=total_taken,
        total_refunded=total_refunded,
        total_claimed=total_claimed,
        terminal=terminal_sentences(case, merchant_word, company_word, case.provider_name, chinese),
        money=money_sentences(case, items, merchant_word, company_word, chinese),
        promise=promise_sentences(case, merchant_word, company_word, chinese),
        story=case.story,
        attempts=attempts,
        arguments=found,
        bases=cited_bases(found, extra_bases),
        requests=requests,
        checklist=checklist_of(case, family, records, attempts, evidence),
        send=send_notes(case, family, respondent, chinese),
        witnesses=case.witnesses,
        evidence=evidence,
        reply_days=values["reply_days"],
        attempts_intro=capitalise(
            _("Before this, %(who)s asked for the money back as follows:") % {"who": merchant_word}, chinese
        ),
        story_intro=capitalise(_("In the words of %(who)s: ") % {"who": merchant_word}, chinese),
        standing=standing,
        escalation=escalation_of(case, family, merchant_word),
        enclosures=enclosures_of(case, family, merchant, respondents, evidence),
        kept_by=_("Kept by %(who)s") % {"who": merchant_word},
        elements=element_rows(case, family, merchant, respondents, items, attempts, found, chinese),
    )


def element_rows(case, family, merchant, respondents, items, attempts, found, chinese):
    """The element table (要素式) of a civil complaint, modelled on the buyer's side of the 买卖合同纠纷 form.

    Each row states a recorded fact; where the merchant must choose (mediation first), the row offers
    boxes to tick by hand instead of assuming.
    """
    if family != "civil" or not case.element_table:
        return []
    sep = "；" if chinese else "; "
    form = case.promise_form
    if form == Case.PromiseForm.WRITTEN:
        contract = _("A written promise") + (f"{sep}{case.promise_source}" if case.promise_source else "")
    elif form == Case.PromiseForm.ADVERT:
        contract = _("A promise in an advert or sales material")
    elif form == Case.PromiseForm.ORAL:
        contract = _("No written contract on the return; an oral promise")
    else:
        contract = _("No written contract on this money")
    if case.activation_date:
        contract += sep + _("terminal obtained on %(date)s") % {"date": letter_date(case.activation_date, chinese)}
    subject = sep.join(
        part
        for part in (
            _("POS terminal"),
            case.terminal_model and _("model %(model)s") % {"model": case.terminal_model},
            case.terminal_sn and _("serial number %(sn)s") % {"sn": case.terminal_sn},
            case.merchant_number and _("merchant number %(number)s") % {"number": case.merchant_number},
        )
        if part
    )
    money = sep.join(
        f"{item.called or plain(item.label, chinese)} {yuan(item.taken, chinese)}"
        + (f"（{item.how}）" if chinese and item.how else f" ({item.how})" if item.how else "")
        for item in items
        if item.taken is not None
    )
    if attempts:
        urged = _("Yes: %(count)s times, the last on %(date)s") % {
            "count": len(attempts),
            "date": letter_date(attempts[-1].on, chinese),
        }
    else:
        urged = _("No")
    answers = {"yes": _("Yes"), "no": _("No"), "unsure": _("Not sure"), "": _("Not sure")}
    rows = [
        (_("Parties"), sep.join(record.name for record in [merchant, *respondents])),
        (_("How the contract was made"), contract),
        (_("What it was about"), subject),
        (_("The money and how it was paid"), money),
        (
            _("Performance"),
            " ".join(promise_sentences(case, the(merchant.heading, chinese), _("the defendant"), chinese)),
        ),
        (_("Was performance asked for?"), urged),
        (_("What the claim rests on"), sep.join(basis.citation for basis in cited_bases(found))),
        (
            _("Agreed court or arbitration"),
            _("Court: %(court)s; arbitration: %(arbitration)s")
            % {
                "court": case.forum_court or answers.get(case.forum_clause, ""),
                "arbitration": answers.get(case.arbitration_clause, ""),
            },
        ),
        (_("Mediation first?"), _("□ willing  □ not willing (tick one by hand)")),
    ]
    return [(label, value or "—") for label, value in rows]


def standing_of(case, family, merchant_word, respondent_word, law):
    """Who writes to this body and why it is the right one: sentences, and the bases they rest on."""
    values = {"who": merchant_word, "company": respondent_word}
    sentences, bases = [], []
    if family == "pboc":
        sentences.append(
            _(
                "%(company)s is a licensed non-bank payment institution, which the People's Bank of China and its "
                "branches supervise."
            )
            % values
        )
        bases.append(law.get("payment-regulation-4"))
    elif family in {"samr_complaint", "consumer_association"}:
        sentences.append(_("%(who)s used this service for personal consumption.") % values)
        bases.append(law.get("consumer-law-2"))
    elif family == "samr_report":
        sentences.append(
            _(
                "%(who)s used the terminal for a business, so this is a report of the conduct of %(company)s rather "
                "than a consumer complaint."
            )
            % values
        )
        bases.append(law.get("samr-121-art3"))
    elif family == "civil":
        if case.merchant_kind == Party.Kind.INDIVIDUAL_BUSINESS and case.merchant and case.merchant.trade_name:
            bases.append(law.get("civil-procedure-interpretation-59"))
        sentences.append(
            _(
                "To protect the lawful rights and interests of %(who)s, this action is brought under Article 122 of "
                "the Civil Procedure Law; the court is asked to decide according to law."
            )
            % values
        )
        bases.append(law.get("civil-procedure-122"))
    return [capitalise(sentence, False) for sentence in sentences], [basis for basis in bases if basis]


def escalation_of(case, family, merchant_word):
    if family != "application":
        return ""
    branch = pboc_branch_name(case.province)
    if branch:
        text = _(
            "If the money is not returned or no answer is given in time, %(who)s will complain to %(branch)s and "
            "other regulators, and reserves the right to sue in the people's court."
        )
    else:
        text = _(
            "If the money is not returned or no answer is given in time, %(who)s will complain to the People's Bank "
            "of China and other regulators, and reserves the right to sue in the people's court."
        )
    return capitalise(text % {"who": merchant_word, "branch": branch}, False)


def enclosures_of(case, family, merchant, respondents, evidence):
    if family != "civil":
        return []
    enclosures = [
        ngettext(
            "%(count)d copy of this complaint for the defendant",
            "%(count)d copies of this complaint, one for each defendant",
            len(respondents),
        )
        % {"count": len(respondents)}
    ]
    if evidence:
        enclosures.append(
            ngettext(
                "The evidence list and %(count)d item of evidence",
                "The evidence list and %(count)d items of evidence",
                len(evidence),
            )
            % {"count": len(evidence)}
        )
    if merchant.kind == Party.Kind.PERSON:
        enclosures.append(_("A copy of the plaintiff's identity document"))
    elif merchant.kind == Party.Kind.INDIVIDUAL_BUSINESS:
        enclosures.append(_("A copy of the business licence and of the operator's identity document"))
    else:
        enclosures.append(_("A copy of the business licence and the legal representative's certificate of identity"))
    return enclosures
