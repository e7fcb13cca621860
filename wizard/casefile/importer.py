"""Import a case file (shared/docs/case-format.md): checked whole, then created through the model methods.

``import_case`` checks the document against the schema, then every value the
app's reasoning relies on (credit codes, ID numbers, dates, evidence files),
and only then creates the case, through the same model methods as the
wizard, in one transaction: a file that fails anywhere creates nothing.
"""

import mimetypes
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from cases import overcharge
from cases.models import Answer, Case, Event, Evidence, Party, Step
from cases.uploads import check_upload
from documents.casefile.keys import (
    AGENT_KEYS,
    ANSWER,
    CHANNEL_OF,
    CONTACT_KEYS,
    CONTRACT_KEYS,
    DECEPTION_KEYS,
    DEVICE_KEYS,
    EVIDENCE_KEYS,
    MERCHANT_KEYS,
    METHOD_OF,
    MONEY_KEYS,
    OUTCOME_OF,
    PROMISE_KEYS,
    PROVIDER_KEYS,
    PROVINCES,
    RUNG_OF,
    TOP_KEYS,
    WRITTEN_CHANNELS,
    day,
    money,
    others,
    text,
)
from documents.casefile.schema import FORMAT, CaseFileError, validate
from escalation import cache as ladder
from escalation import rungs
from escalation.models import PROVINCE_OFFICIAL_NAMES, Channel, Provider, validate_credit_code
from lib import chinatime
from lib.personal import normalize_id_number, validate_id_number, validate_mobile
from reading.models import OfferedFact

# ----- checks beyond the schema --------------------------------------------------------------------------


def check_values(document, base_dir):
    """Every value the schema cannot judge: codes, IDs, dates, files. Raise CaseFileError naming the key."""
    today = chinatime.today()

    def check_code(key, value):
        if value:
            try:
                validate_credit_code(value)
            except ValidationError as error:
                raise CaseFileError(f"{key}: {error.messages[0]}", key) from None

    def check_day(key, value, future=False):
        if value and not future and day(value) > today:
            raise CaseFileError(_("%(key)s: a date cannot be in the future.") % {"key": key}, key)

    merchant = document["merchant"]
    for key, value in (("merchant.email", merchant.get("email")), ("merchant.mobile", merchant.get("mobile"))):
        if not value:
            continue
        try:
            (validate_email if key.endswith("email") else validate_mobile)(value)
        except ValidationError as error:
            raise CaseFileError(f"{key}: {error.messages[0]}", key) from None
    check_code("merchant.credit_code", merchant.get("credit_code"))
    check_code("provider.credit_code", (document.get("provider") or {}).get("credit_code"))
    check_code("agent.credit_code", (document.get("agent") or {}).get("credit_code"))
    if merchant.get("id_number") and merchant.get("id_type", "resident_id") in (None, "resident_id"):
        try:
            validate_id_number(normalize_id_number(merchant["id_number"]))
        except ValidationError as error:
            raise CaseFileError(f"merchant.id_number: {error.messages[0]}", "merchant.id_number") from None
    province = merchant.get("province")
    if province not in PROVINCES and province not in PROVINCE_OFFICIAL_NAMES:
        raise CaseFileError(
            _("%(key)s: %(value)s is not a province of mainland China; write it as 四川省.")
            % {"key": "merchant.province", "value": province},
            "merchant.province",
        )
    if merchant["kind"] == "company" and not (merchant.get("legal_representative") or {}).get("name"):
        raise CaseFileError(
            _("%(key)s: a company claims with its legal representative.") % {"key": "merchant.legal_representative"},
            "merchant.legal_representative",
        )
    check_day("device.obtained_on", document["device"].get("obtained_on"))
    check_day("merchant.birth_date", merchant.get("birth_date"))
    for index, item in enumerate(document["money"]):
        check_day(f"money[{index}].taken_on", item.get("taken_on"))
        check_day(f"money[{index}].refunded_on", item.get("refunded_on"))
        amount, refunded = money(item.get("amount")), money(item.get("refunded_amount"))
        if item["kind"] == "fee_overcharge":
            check_overcharge(index, item, check_day)
            if amount is None:
                amount = overcharge.total_overcharge(trades_in(item), item["agreed_rate"])
        if amount is not None and refunded is not None and refunded > amount:
            raise CaseFileError(
                _("%(key)s: more was refunded than was taken.") % {"key": f"money[{index}].refunded_amount"},
                f"money[{index}].refunded_amount",
            )
    for index, contact in enumerate(document["contacts"]):
        check_day(f"contacts[{index}].on", contact["on"])
        delivered = contact.get("delivered_on")
        if delivered and (day(delivered) < day(contact["on"]) or day(delivered) > today):
            raise CaseFileError(
                _("%(key)s: the delivery lies between the contact and today.")
                % {"key": f"contacts[{index}].delivered_on"},
                f"contacts[{index}].delivered_on",
            )
    for index, item in enumerate(document.get("evidence") or []):
        path = evidence_file(base_dir, item["file"])
        if path is None:
            raise CaseFileError(
                _("%(key)s: the file %(file)s is not next to the case file.")
                % {"key": f"evidence[{index}].file", "file": item["file"]},
                f"evidence[{index}].file",
            )


def trades_in(item):
    return [overcharge.Trade.from_json(trade) for trade in item.get("trades") or []]


def check_overcharge(index, item, check_day):
    """A fee_overcharge item: two rates, the charged one higher, and trades that each were overcharged."""
    key = f"money[{index}]"
    for name in ("agreed_rate", "charged_rate"):
        rate = item.get(name)
        if not rate or not overcharge.RATE_RE.match(rate):
            raise CaseFileError(
                _("%(key)s: write the rate as a percentage, e.g. 0.60%%.") % {"key": f"{key}.{name}"}, f"{key}.{name}"
            )
    problem = overcharge.rates_error(item["agreed_rate"], item["charged_rate"])
    if problem:
        raise CaseFileError(f"{key}.charged_rate: {problem}", f"{key}.charged_rate")
    if not item.get("trades") and money(item.get("amount")) is None:
        raise CaseFileError(
            _("%(key)s: an overcharge needs its trades or its amount.") % {"key": f"{key}.trades"}, f"{key}.trades"
        )
    for number, data in enumerate(item.get("trades") or []):
        check_day(f"{key}.trades[{number}].on", data["on"])
        try:
            trade = overcharge.Trade.from_json(data)
        except (ValueError, ArithmeticError):
            raise CaseFileError(
                _("%(key)s: a trade has a date, an amount and the fee charged.") % {"key": f"{key}.trades[{number}]"},
                f"{key}.trades[{number}]",
            ) from None
        for field, message in overcharge.trade_errors(trade, item["agreed_rate"]).items():
            raise CaseFileError(f"{key}.trades[{number}].{field}: {message}", f"{key}.trades[{number}].{field}")


def evidence_file(base_dir, name):
    """The evidence file ``name`` relative to the case file's folder, or None (never outside that folder)."""
    if base_dir is None:
        return None
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        return None
    path = (Path(base_dir) / relative).resolve()
    root = Path(base_dir).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


# ----- import -------------------------------------------------------------------------------------------


def import_case(document, actor, base_dir=None, owner=None):
    """Create a case from a case file; return it. Raise CaseFileError (and create nothing) when it is not valid.

    ``owner`` is the merchant's account; None finds it by the file's email or mobile, or opens one
    (``merchant_account``). ``base_dir`` is the folder the evidence files' paths start from.
    """
    validate(document)
    check_values(document, base_dir)
    try:
        with transaction.atomic():
            owner = owner or merchant_account(document)[0]
            return _create(document, owner, actor, base_dir)
    except ValidationError as error:
        key = next(iter(error.message_dict), "") if hasattr(error, "message_dict") else ""
        raise CaseFileError(f"{key}: {' '.join(error.messages)}" if key else " ".join(error.messages), key) from None


def _create(document, owner, actor, base_dir):
    case = Case.open(owner, actor=actor)
    merchant, provider_data = document["merchant"], document["provider"]
    device, promise = document["device"], document["promise"]
    contract = document.get("contract") or {}
    directory = find_provider(provider_data)
    province = merchant["province"]
    values = {
        "provider": directory,
        "obtained_via": Case.ObtainedVia.AGENT if document.get("agent") else Case.ObtainedVia.OFFICIAL,
        "merchant_number": text(device.get("merchant_number")),
        "terminal_model": text(device.get("model")),
        "terminal_sn": text(device.get("serial")),
        "activation_date": day(device.get("obtained_on")),
        "promise_form": promise["form"],
        "promised_by": Case.PromisedBy.UNKNOWN,
        "promise_target": money(promise.get("target_amount")),
        "promise_period_months": None,
        "promise_details": text(promise.get("text")),
        "promise_source": text(promise.get("source")),
        "volume_reached": money(promise.get("reached_amount")),
        "category": "refund",
        "province": PROVINCES.get(province, province),
        "use": Case.Use.BUSINESS if document["business_use"] else Case.Use.PERSONAL,
        "harm_known_on": None,
        "merchant": merchant_values(merchant),
        "respondent": {
            "name": provider_data["name"] if directory is None or directory.name != provider_data["name"] else "",
            "credit_code": text(provider_data.get("credit_code")),
            "address": text(provider_data.get("address")),
            **representative_values(provider_data.get("legal_representative")),
            "extra": others(provider_data, PROVIDER_KEYS) | brand_of(provider_data),
        },
        "agent": agent_values(document.get("agent")),
    }
    case.save_intake(values, actor)
    case.promise_within_days = promise.get("within_days")
    case.reached_in_days = promise.get("reached_in_days")
    case.story = text(document.get("story"))
    case.small_print = text(contract.get("small_print"))
    forum = contract.get("forum_clause")
    case.forum_court = forum if isinstance(forum, str) else ""
    case.language = document["language"]
    case.target_met = ANSWER.get(promise.get("met"), "")
    case.arbitration_clause = ANSWER.get(contract.get("arbitration_clause"), "")
    if isinstance(forum, str):
        case.forum_clause = Answer.YES if forum else ""
    else:
        case.forum_clause = ANSWER.get(forum, "")
    case.extra = {key: value for key, value in others(document, TOP_KEYS).items()} | {
        "device": others(device, DEVICE_KEYS),
        "promise": others(promise, PROMISE_KEYS),
        "contract": others(contract, CONTRACT_KEYS),
        "merchant_province": province,
    }
    deception = document.get("deception") or {}
    case.posed_as = text(deception.get("posed_as"))
    case.pitch = text(deception.get("pitch"))
    if "deception" in document:
        case.extra["deception"] = others(deception, DECEPTION_KEYS) if deception else document["deception"]
    case.save()
    case.record(Event.Kind.IMPORTED, actor, format=FORMAT)
    for position, item in enumerate(document["money"]):
        charge = case.first_charge() if position == 0 else None
        case.save_charge(charge, charge_values(item, position), actor)
    for contact in sorted(document["contacts"], key=lambda contact: contact["on"]):
        add_contact(case, contact, actor)
    for item in document.get("evidence") or []:
        add_evidence(case, item, base_dir, actor)
    case.refresh_from_db()
    return case


def brand_of(provider_data):
    return {"brand": provider_data["brand"]} if provider_data.get("brand") is not None else {}


def find_provider(provider_data):
    """The directory's entry for the file's provider: by full name, else by its brand."""
    found = Provider.objects.filter(name=provider_data["name"]).first()
    if found is None and provider_data.get("brand"):
        found = Provider.objects.filter(short_name_zh=provider_data["brand"], is_active=True).first()
    return found


def merchant_values(merchant):
    kind = merchant["kind"]
    representative = merchant.get("legal_representative") or {}
    operator = merchant.get("operator") or {}
    values = {
        "kind": kind,
        "name": merchant["name"],
        "trade_name": text(merchant.get("trade_name")),
        "credit_code": text(merchant.get("credit_code")).upper(),
        "representative": text(representative.get("name") if kind == "company" else operator.get("name")),
        "representative_title": text(representative.get("title")),
        "id_type": text(merchant.get("id_type")) or (Party.IdType.RESIDENT_ID if merchant.get("id_number") else ""),
        "id_number": normalize_id_number(text(merchant.get("id_number"))),
        "sex": text(merchant.get("sex")),
        "birth_date": day(merchant.get("birth_date")),
        "ethnicity": text(merchant.get("ethnicity")),
        "occupation": text(merchant.get("occupation")),
        "address": merchant["address"],
        "mobile": text(merchant.get("mobile")),
        "email": text(merchant.get("email")),
        "extra": others(merchant, MERCHANT_KEYS)
        | {key: merchant[key] for key in ("legal_representative", "operator") if key in merchant},
    }
    return values


def representative_values(representative):
    """The Party fields of a legal representative: {name, title} in the format (a plain name is taken too)."""
    if isinstance(representative, dict):
        return {
            "representative": text(representative.get("name")),
            "representative_title": text(representative.get("title")),
        }
    return {"representative": text(representative)}


def agent_values(agent):
    if not agent:
        return None
    representative = agent.get("legal_representative")
    return {
        "kind": text(agent.get("kind")),
        "name": agent["name"],
        "contact": text(agent.get("contact")),
        "address": text(agent.get("address")),
        "credit_code": text(agent.get("credit_code")).upper(),
        "mobile": text(agent.get("mobile")),
        "representative": text(representative.get("name") if isinstance(representative, dict) else representative),
        "extra": others(agent, AGENT_KEYS) | ({"legal_representative": representative} if representative else {}),
    }


def charge_values(item, position):
    amount = money(item.get("amount"))
    if amount is None and item["kind"] == "fee_overcharge":
        amount = overcharge.total_overcharge(trades_in(item), item["agreed_rate"])  # derived (case-format.md)
    return {
        "position": position,
        "kind": item["kind"],
        "amount": amount,
        "rate": text(item.get("rate")),
        "period": text(item.get("period")),
        "taken_on": day(item.get("taken_on")),
        "how": text(item.get("how")),
        "called": text(item.get("called")),
        "note": text(item.get("note")),
        "refunded_amount": money(item.get("refunded_amount")),
        "refunded_on": day(item.get("refunded_on")),
        "agreed_rate": text(item.get("agreed_rate")),
        "charged_rate": text(item.get("charged_rate")),
        "notice_days": item.get("notice_days"),
        "notice_given": ANSWER.get(item.get("notice_given"), ""),
        "disclosed": ANSWER.get(item.get("disclosed"), ""),
        "agreed_rate_source": text(item.get("agreed_rate_source")),
        "trades": item.get("trades") or [],
        "extra": others(item, MONEY_KEYS) | {"_given": sorted(key for key in item if key in MONEY_KEYS)},
    }


def add_contact(case, contact, actor):
    to, channel_text = contact["to"], text(contact.get("channel"))
    position = RUNG_OF[to]
    if to == "provider" and channel_text.lower() in WRITTEN_CHANNELS:
        position = rungs.APPLICATION
    channel = None
    if to == "provider" and position == rungs.CUSTOMER_SERVICE:
        channel = ladder.provider_channel(ladder.rung(rungs.CUSTOMER_SERVICE))
    elif to in CHANNEL_OF:
        channel = Channel.objects.filter(code=CHANNEL_OF[to]).first()
    outcome = OUTCOME_OF[contact["outcome"]]
    step = case.log_step(
        rung=ladder.rung(position),
        channel=channel,
        actor=actor,
        started_on=day(contact["on"]),
        method=METHOD_OF.get(channel_text.lower(), Step.Method.OTHER if channel_text else ""),
        reference=text(contact.get("reference")),
        notes=text(contact.get("note")),
        outcome=outcome,
        recipient=_("the agent") if to == "agent" else "",
        extra=others(contact, CONTACT_KEYS) | {"to": to, "channel": contact.get("channel")},
    )
    if contact.get("delivered_on"):
        step.case = case
        step.record_delivery(day(contact["delivered_on"]), Step.DeliveryProof.OTHER, actor)
    return step


def add_evidence(case, item, base_dir, actor):
    path = evidence_file(base_dir, item["file"])
    data = path.read_bytes()
    upload = SimpleUploadedFile(path.name, data, mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    detected = check_upload(upload, case)
    # The text read from the file, when the case file gives it (an export gives it once read): else it is read here.
    text = item.get("text")
    evidence = Evidence.add(
        case,
        upload,
        detected,
        actor,
        title=item["title"][:120],
        extra=others(item, EVIDENCE_KEYS) | {"file": item["file"], "kind": item.get("kind")},
        text=text if isinstance(text, str) else None,
    )
    if evidence.is_read and evidence.text:
        OfferedFact.offer_from(evidence)  # the facts in a text read before: offered, never applied


def merchant_account(document):
    """The merchant's account for an imported case: found by the file's email or mobile, else a new one.

    A new account has no usable password: the merchant sets one with "forgot my password" (email) when they
    want to follow the case themselves. Returns (user, created).
    """
    from django.contrib.auth import get_user_model

    from accounts.backends import find_user
    from accounts.models import Profile

    merchant = document["merchant"]
    email, mobile = text(merchant.get("email")).strip(), text(merchant.get("mobile")).strip()
    for login in (email, mobile):
        user = find_user(login) if login else None
        if user is not None:
            return user, False
    if not email and not mobile:
        raise CaseFileError(
            _("%(key)s: an email or a mobile number is needed, so that the case has an owner.") % {"key": "merchant"},
            "merchant.email",
        )
    user = get_user_model().objects.create_user(username=email or mobile, email=email, password=None)
    person = merchant.get("operator") or merchant.get("legal_representative") or {}
    Profile.objects.create(
        user=user,
        full_name=(person.get("name") if merchant["kind"] != "person" else merchant["name"])[:60],
        mobile=mobile,
        language=document["language"],
    )
    return user, True
