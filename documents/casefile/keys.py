"""The case file's keys and the values the app maps them to, shared by the import and the export."""

import datetime
from decimal import Decimal

from cases.models import Answer, Step
from escalation import rungs
from escalation.models import PROVINCE_OFFICIAL_NAMES

# The keys of each object the app stores in columns; any other key is kept as it is and exported again.
MERCHANT_KEYS = {
    "kind",
    "name",
    "trade_name",
    "credit_code",
    "legal_representative",
    "operator",
    "id_type",
    "id_number",
    "sex",
    "birth_date",
    "ethnicity",
    "occupation",
    "address",
    "province",
    "mobile",
    "email",
}
PROVIDER_KEYS = {"name", "brand", "credit_code", "address", "legal_representative"}
AGENT_KEYS = {"name", "kind", "contact", "address", "credit_code", "mobile", "legal_representative"}
DEVICE_KEYS = {"model", "serial", "merchant_number", "obtained_on"}
MONEY_KEYS = {
    "kind",
    "amount",
    "rate",
    "period",
    "taken_on",
    "how",
    "called",
    "note",
    "refunded_amount",
    "refunded_on",
    "agreed_rate",
    "agreed_rate_source",
    "charged_rate",
    "notice_days",
    "notice_given",
    "disclosed",
    "trades",
}
PROMISE_KEYS = {
    "form",
    "text",
    "target_amount",
    "within_days",
    "met",
    "reached_amount",
    "reached_in_days",
    "source",
}
DECEPTION_KEYS = {"posed_as", "pitch"}
CONTRACT_KEYS = {"arbitration_clause", "forum_clause", "small_print"}
CONTACT_KEYS = {"on", "to", "channel", "reference", "outcome", "note", "delivered_on"}
# "text" is what was read from the file: kept in its column, read again by OCR when absent.
EVIDENCE_KEYS = {"file", "title", "kind", "text"}
TOP_KEYS = {
    "format",
    "language",
    "merchant",
    "provider",
    "agent",
    "device",
    "money",
    "promise",
    "business_use",
    "deception",
    "contract",
    "contacts",
    "story",
    "evidence",
}

PROVINCES = {name: code for code, name in PROVINCE_OFFICIAL_NAMES.items()}
CHANNEL_OF = {
    "pboc": "pboc-branch",
    "nfra": "nfra-12378",
    "samr": "samr-12315",
    "consumer_association": "consumer-association",
    "pcac": "pcac-report",
    "platform": "heimao",
    "court": "basic-court",
}
RUNG_OF = {
    "provider": rungs.CUSTOMER_SERVICE,
    "agent": rungs.CUSTOMER_SERVICE,
    "pboc": rungs.THIRD_PARTY,
    "nfra": rungs.THIRD_PARTY,
    "samr": rungs.THIRD_PARTY,
    "consumer_association": rungs.THIRD_PARTY,
    "pcac": rungs.THIRD_PARTY,
    "platform": rungs.THIRD_PARTY,
    "court": rungs.LITIGATION,
}
WRITTEN_CHANNELS = {"letter", "post", "ems", "written_application", "mail"}
METHOD_OF = {
    "hotline": Step.Method.PHONE,
    "phone": Step.Method.PHONE,
    "app": Step.Method.APP,
    "in_app": Step.Method.APP,
    "chat": Step.Method.APP,
    "wechat": Step.Method.APP,
    "online": Step.Method.ONLINE,
    "web": Step.Method.ONLINE,
    "email": Step.Method.EMAIL,
    "post": Step.Method.POST,
    "ems": Step.Method.POST,
    "letter": Step.Method.POST,
    "in_person": Step.Method.IN_PERSON,
}
OUTCOME_OF = {
    "no_answer": Step.Outcome.NO_ANSWER,
    "refused": Step.Outcome.REFUSED,
    "redirected": Step.Outcome.REDIRECTED,
    "promised": Step.Outcome.PROMISED,
    "partial": Step.Outcome.PARTIAL,
    "refunded": Step.Outcome.REFUNDED,
    "pending": Step.Outcome.PENDING,
}
CASE_OUTCOMES = {value: key for key, value in OUTCOME_OF.items()} | {Step.Outcome.ACCEPTED: "pending"}
ANSWER = {True: Answer.YES, False: Answer.NO, None: ""}


def others(data, known):
    """The keys of ``data`` the app does not store in columns: kept as given."""
    return {key: value for key, value in (data or {}).items() if key not in known}


def day(value):
    return datetime.date.fromisoformat(value) if value else None


def money(value):
    return Decimal(value) if value not in (None, "") else None


def text(value):
    return value if value is not None else ""
