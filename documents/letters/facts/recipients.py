"""What each recipient is asked and needs: title, addressee, requests, checklist, where to send it."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Answer, Case, Charge, Party, Step
from documents.letters.facts.arguments import cited_bases
from documents.letters.facts.records import ZERO, Missing
from documents.letters.facts.story import promise_sentences
from documents.letters.facts.words import capitalise, letter_date, plain, the, yuan
from escalation import rungs
from escalation.models import PROVINCE_OFFICIAL_NAMES, Province
from escalation.routing import pboc_branch_name

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
        if kinds == {Charge.Kind.FEE_OVERCHARGE}:
            return "退还多收手续费申请书" if chinese else "Application for the return of card fees overcharged"
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


def checklist_of(case, family, records, attempts, evidence, today):
    """What the recipient needs that the case does not have yet: the PDF says 草稿 (draft) until it is complete."""
    missing = []
    for record in records:
        lookup = record.role != Party.Role.MERCHANT and record.kind == Party.Kind.COMPANY
        for line in record.lines:
            if line.missing:
                text = _("%(party)s: %(detail)s") % {"party": record.heading, "detail": line.label}
                if lookup and line.code in {"credit_code", "address", "representative"}:
                    text += _(" (look the company up by name on 国家企业信用信息公示系统, www.gsxt.gov.cn)")
                missing.append(Missing(f"{record.role}.{line.code}", text))
        if not record.name:
            missing.append(Missing(f"{record.role}.name", _("%(party)s: name") % {"party": record.heading}))
    if not case.charge_list or all(charge.claimed in (None, ZERO) for charge in case.charge_list if charge.amount):
        missing.append(Missing("money", _("The sums taken, and what is still owed")))
    for charge in case.charge_list:
        if charge.is_overcharge and not charge.trades:
            missing.append(
                Missing("trades", _("Each trade charged above the agreed rate (on the page “Parties and money”)"))
            )
        elif charge.awaits_confirmation:
            missing.append(
                Missing(
                    "overcharge_confirmed",
                    _("Your confirmation of the overcharge your trades add up to (on the page “Parties and money”)"),
                )
            )
    promise = pending_promise(case, today)
    if promise is not None and family != "application":
        missing.append(
            Missing(
                "promise_pending",
                _("A refund was promised by %(date)s: wait for that day; if the money has not come, file this.")
                % {"date": letter_date(promise.promised_on, not translation.get_language().startswith("en"))},
            )
        )
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
                Missing("evidence", _("Evidence: a filing needs at least the agreement or the deduction record"))
            )
        if not court_name(case):
            missing.append(Missing("court", _("The court you file with")))
    return missing


def pending_promise(case, today):
    """The latest answer, when it is a refund promised for a day still ahead: not yet a refusal."""
    answered = [step for step in case.step_list if step.outcome != Step.Outcome.PENDING]
    latest = max(answered, key=lambda step: (step.answered_on or step.started_on, step.started_on), default=None)
    promised = latest is not None and latest.outcome == Step.Outcome.PROMISED and latest.promised_on
    return latest if promised and latest.promised_on >= today else None


def court_name(case):
    lawsuit = next(
        (step for step in reversed(case.step_list) if step.rung.position == rungs.LITIGATION and step.recipient), None
    )
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


def escalation_of(case, family, merchant_word, chinese):
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
    if branch and not chinese:
        branch = f"{branch} (the {Province(case.province).label} branch of the People's Bank of China)"
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


def element_rows(case, family, merchant, respondents, items, attempts, found, chinese):
    """The element table (要素式) of a civil complaint, modelled on the buyer's side of the 买卖合同纠纷 form.

    Each row states a recorded fact; where the merchant must choose (mediation first), the row offers
    boxes to tick by hand instead of assuming.
    """
    if family != "civil" or not case.element_table:
        return []
    sep = "；" if chinese else "; "
    form = case.promise_form
    overcharge = next((charge for charge in case.charge_list if charge.is_overcharge), None)
    if case.only_overcharge:
        contract = _("The merchant agreement: card rate %(rate)s") % {"rate": overcharge.agreed_rate} + (
            f"{sep}{overcharge.agreed_rate_source}" if overcharge.agreed_rate_source else ""
        )
    elif form == Case.PromiseForm.WRITTEN:
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
        f"{item.name or plain(item.label, chinese)} {yuan(item.taken, chinese)}"
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
    answers = {Answer.YES: _("Yes"), Answer.NO: _("No"), Answer.UNSURE: _("Not sure"), "": _("Not sure")}
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
