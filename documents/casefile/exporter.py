"""Export a case as a case file: every imported key with its value, plus what the app derived."""

from pathlib import PurePosixPath

from cases.models import Case, Party
from documents.casefile.keys import CASE_OUTCOMES, CHANNEL_OF
from documents.casefile.schema import FORMAT
from escalation import rungs
from escalation.models import PROVINCE_OFFICIAL_NAMES, Channel


def export_case(case):
    """The case as a case file (case-format.md): every imported key with its value, plus what the app derived."""
    case.refresh_from_db()
    merchant = case.merchant or Party(kind=Party.Kind.PERSON)
    respondent = case.respondent or Party()
    extra = case.extra or {}
    document = {
        "format": FORMAT,
        "language": case.language,
        "merchant": export_merchant(case, merchant),
        "provider": export_provider(case, respondent),
        "device": {
            "model": case.terminal_model or None,
            "serial": case.terminal_sn or None,
            "merchant_number": case.merchant_number or None,
            "obtained_on": iso(case.activation_date),
        }
        | extra.get("device", {}),
        "money": [export_charge(charge) for charge in case.charge_list],
        "promise": export_promise(case) | extra.get("promise", {}),
        "business_use": case.use != Case.Use.PERSONAL,
        "contract": {
            "arbitration_clause": {"yes": True, "no": False}.get(case.arbitration_clause),
            "forum_clause": case.forum_court or {"yes": True, "no": False}.get(case.forum_clause),
            "small_print": case.small_print or None,
        }
        | extra.get("contract", {}),
        "contacts": [export_contact(step) for step in case.step_list if step.rung.position >= rungs.CUSTOMER_SERVICE],
        "story": case.story or None,
        "evidence": [export_evidence(item) for item in case.evidence.all()],
    }
    agent = case.agent
    if agent is not None:
        document["agent"] = export_agent(agent)
    if case.deceived:
        given = extra.get("deception")
        document["deception"] = (
            ({"posed_as": case.posed_as} if case.posed_as else {})
            | ({"pitch": case.pitch} if case.pitch else {})
            | (given if isinstance(given, dict) else {})
        )
    elif "deception" in extra:
        document["deception"] = extra["deception"]
    for key, value in extra.items():
        if key not in {"device", "promise", "contract", "deception", "merchant_province"}:
            document[key] = value
    document["derived"] = derived(case)
    return document


def iso(value):
    return value.isoformat() if value else None


def decimal_text(value):
    return f"{value:.2f}" if value is not None else None


def export_merchant(case, merchant):
    extra = dict(merchant.extra or {})
    data = {
        "kind": merchant.kind or Party.Kind.PERSON,
        "name": merchant.name,
        "trade_name": merchant.trade_name or None,
        "credit_code": merchant.credit_code or None,
        "id_type": merchant.id_type or None,
        "id_number": merchant.id_number or None,
        "sex": merchant.sex or None,
        "birth_date": iso(merchant.birth_date),
        "ethnicity": merchant.ethnicity or None,
        "occupation": merchant.occupation or None,
        "address": merchant.address,
        "province": (case.extra or {}).get("merchant_province") or PROVINCE_OFFICIAL_NAMES.get(case.province, ""),
        "mobile": merchant.mobile or None,
        "email": merchant.email or None,
    }
    # A company's representative and an individual business's operator as the case holds them now.
    if merchant.kind == Party.Kind.COMPANY:
        data["legal_representative"] = {"name": merchant.representative, "title": merchant.representative_title}
        extra.pop("legal_representative", None)
    elif merchant.kind == Party.Kind.INDIVIDUAL_BUSINESS:
        data["operator"] = {"name": merchant.representative}
        extra.pop("operator", None)
    return data | extra


def export_provider(case, respondent):
    data = {
        "name": case.provider_name,
        "credit_code": respondent.credit_code or None,
        "address": respondent.address or None,
        "legal_representative": representative_of(respondent),
    }
    extra = dict(respondent.extra or {})
    if "brand" not in extra and case.provider is not None and case.provider.short_name_zh:
        data["brand"] = case.provider.short_name_zh
    return data | extra


def export_agent(agent):
    extra = dict(agent.extra or {})
    data = {
        "name": agent.name,
        "kind": agent.kind or None,
        "contact": agent.contact or None,
        "address": agent.address or None,
        "credit_code": agent.credit_code or None,
        "mobile": agent.mobile or None,
    }
    if agent.representative and "legal_representative" not in extra:
        data["legal_representative"] = representative_of(agent)
    return data | extra


def representative_of(party):
    """A company's legal representative as the format writes one: {name, title}, or null."""
    if not party.representative:
        return None
    return {"name": party.representative, "title": party.representative_title}


def export_charge(charge):
    extra = dict(charge.extra or {})
    given = extra.pop("_given", None)
    data = {
        "kind": charge.kind,
        "amount": decimal_text(charge.amount),
        "rate": charge.rate or None,
        "period": charge.period or None,
        "taken_on": iso(charge.taken_on),
        "how": charge.how or None,
        "called": charge.called or None,
        "note": charge.note or None,
        "refunded_amount": decimal_text(charge.refunded_amount),
        "refunded_on": iso(charge.refunded_on),
        "agreed_rate": charge.agreed_rate or None,
        "agreed_rate_source": charge.agreed_rate_source or None,
        "charged_rate": charge.charged_rate or None,
        "notice_days": charge.notice_days,
        "notice_given": {"yes": True, "no": False}.get(charge.notice_given),
        "disclosed": {"yes": True, "no": False}.get(charge.disclosed),
        "trades": charge.trades or None,
    }
    if given is not None:  # imported: the keys the file had, and no more nulls than it had
        data = {key: value for key, value in data.items() if key in given or value is not None}
    else:
        data = {key: value for key, value in data.items() if value is not None or key in {"kind", "amount"}}
    return data | extra


def export_promise(case):
    return {
        "form": case.promise_form or Case.PromiseForm.NONE,
        "text": case.promise_details or None,
        "target_amount": decimal_text(case.promise_target),
        "within_days": case.promise_within_days,
        "within_months": case.promise_period_months,
        "met": {"yes": True, "no": False}.get(case.target_met),
        "reached_amount": decimal_text(case.volume_reached),
        "reached_in_days": case.reached_in_days,
        "source": case.promise_source or None,
    }


def export_contact(step):
    extra = dict(step.extra or {})
    to = extra.pop("to", None) or contact_to(step)
    channel = extra.pop("channel", None) if "channel" in (step.extra or {}) else (step.method or None)
    data = {
        "on": step.started_on.isoformat(),
        "to": to,
        "channel": channel,
        "reference": step.reference or None,
        "outcome": CASE_OUTCOMES.get(step.outcome, "pending"),
        "note": step.notes or None,
        "delivered_on": iso(step.delivered_on),
    }
    return data | extra


def contact_to(step):
    if step.channel is None:
        return "provider"
    by_code = {code: to for to, code in CHANNEL_OF.items()}
    if step.channel.code in by_code:
        return by_code[step.channel.code]
    if step.channel.kind == Channel.Kind.PLATFORM:
        return "platform"
    if step.channel.kind in {Channel.Kind.COURT, Channel.Kind.ARBITRATION}:
        return "court"
    return "provider"


def export_evidence(item):
    """An exhibit: its file, title and kind as imported, its SHA-256, and the text read from it.

    ``text`` is null until the file has been read (or when it is not a picture or a PDF), and a string
    once read: empty when no words were found. Importing the file again takes it as read.
    """
    extra = dict(item.extra or {})
    extra.pop("text", None)  # kept in extra by imports before the text had a column of its own
    data = {
        "file": extra.pop("file", None)
        or f"evidence/{item.exhibit_number:03d}-{PurePosixPath(item.original_name).name}",
        "title": item.title,
        "kind": extra.pop("kind", None),
        "sha256": item.sha256,
        "text": item.text if item.is_read else None,
    }
    return data | extra


def derived(case):
    """What the app worked out from the facts: deadlines with their rule and source, documents issued."""
    return {
        "case_id": str(case.pk),
        "rung": case.rung.position,
        "status": case.status,
        "limitation_on": iso(case.limitation_on),
        "claimed": decimal_text(case.claimed_total),
        "deadlines": [
            {
                "contact_on": step.started_on.isoformat(),
                "due_on": iso(step.due_on),
                "provisional": step.due_provisional,
                "rule": step.rule.code if step.rule else None,
                "sources": step.rule.source_list if step.rule else [],
                "live": step.is_live(),
            }
            for step in case.step_list
            if step.due_on
        ],
        "documents": [
            {
                "kind": document.kind,
                "version": document.version,
                "language": document.language,
                "sha256": document.sha256,
            }
            for document in case.documents.all()
        ],
    }
