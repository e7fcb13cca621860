"""Import then export gives back every key, for generated case files (hypothesis).

The files are drawn from what docs/case.schema.json and the import's own checks accept: any of the three
kinds of merchant, names and addresses in any script (CJK beyond the BMP too), sums with and without
refunds, contacts to every recipient with every outcome, promises, contracts, stories and evidence.
"""

import datetime as dt
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from documents.casefile.keys import CHANNEL_OF, METHOD_OF, OUTCOME_OF, PROVINCES
from documents.casefile.schema import FORMAT, validate
from tests.test_case_file import export, png, run_import, same, write

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)  # the clock is frozen on this day (the fixture below)
CREDIT_CODES = ["92510107MA62CD7E8P", "91110000TE0000001M"]
RECIPIENTS = ["provider", "agent", *CHANNEL_OF]

letters = st.characters(categories=("L", "N")) | st.sampled_from("王李张红面馆记成都武侯路号科技有限公司𠀀𠀁𪚥")
words = st.text(letters, min_size=1, max_size=8)
texts = st.lists(words, min_size=1, max_size=3).map(" ".join)  # no space at either end, as a form keeps it
dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=TODAY)
decimals = st.integers(min_value=1, max_value=9_999_999).map(lambda fen: f"{fen // 100}.{fen % 100:02d}")


def optional(strategy):
    return st.none() | strategy


@st.composite
def id_numbers(draw):
    born = draw(st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2005, 12, 31)))
    body = f"510104{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + ric.calc_check_digit(body + "?")  # stdnum reads the 17 digits before the check character


@st.composite
def merchants(draw, number):
    kind = draw(st.sampled_from(["person", "individual_business", "company"]))
    merchant = {
        "kind": kind,
        "name": draw(texts),
        "address": draw(texts),
        "province": draw(st.sampled_from(sorted(PROVINCES))),
        "email": f"merchant{number}@example.cn",
    }
    if draw(st.booleans()):
        merchant["mobile"] = f"13{draw(st.integers(0, 999_999_999)):09d}"
    if kind == "person":
        if draw(st.booleans()):
            merchant.update(id_type="resident_id", id_number=draw(id_numbers()))
        merchant["sex"] = draw(st.sampled_from(["male", "female", None]))
        merchant["occupation"] = draw(optional(texts))
    elif kind == "individual_business":
        merchant.update(trade_name=draw(texts), operator={"name": draw(texts)})
        merchant["credit_code"] = draw(optional(st.sampled_from(CREDIT_CODES)))
    else:
        representative = {"name": draw(texts), "title": draw(st.sampled_from(["执行董事", "总经理"]))}
        merchant.update(legal_representative=representative, credit_code=draw(st.sampled_from(CREDIT_CODES)))
    return merchant


@st.composite
def sums(draw):
    kind = draw(st.sampled_from(["deposit", "activation_fee", "service_fee", "flow_fee", "fee_overcharge", "other"]))
    item = {"kind": kind}
    if kind == "fee_overcharge":
        agreed = draw(st.integers(30, 100))
        item.update(
            agreed_rate=f"0.{agreed:02d}%" if agreed < 100 else "1.00%",
            charged_rate=f"{draw(st.integers(2, 5))}.00%",
            amount=draw(decimals),
            notice_days=draw(optional(st.integers(1, 90))),
        )
        return item
    if kind == "flow_fee" and draw(st.booleans()):
        item.update(rate=f"0.{draw(st.integers(1, 99)):02d}%", period=draw(st.sampled_from(["monthly", "每季度"])))
        return item
    amount = draw(decimals)
    taken_on = draw(dates)
    item.update(amount=amount, taken_on=taken_on.isoformat())
    item["how"] = draw(optional(st.sampled_from(["deducted_from_settlement", "cash_on_delivery", "微信转账"])))
    item["called"] = draw(optional(texts))
    item["note"] = draw(optional(texts))
    if draw(st.booleans()):
        fen = round(float(amount) * 100)
        refunded = draw(st.integers(1, fen))
        item["refunded_amount"] = f"{refunded // 100}.{refunded % 100:02d}"
        item["refunded_on"] = draw(st.dates(min_value=taken_on, max_value=TODAY)).isoformat()
    return item


@st.composite
def contacts(draw):
    on = draw(dates)
    contact = {
        "on": on.isoformat(),
        "to": draw(st.sampled_from(RECIPIENTS)),
        "channel": draw(optional(st.sampled_from([*sorted(METHOD_OF), "上门"]))),
        "reference": draw(optional(st.text(string.ascii_uppercase + string.digits + "-", min_size=1, max_size=12))),
        "outcome": draw(st.sampled_from(sorted(OUTCOME_OF))),
        "note": draw(optional(texts)),
    }
    if draw(st.booleans()):
        contact["delivered_on"] = draw(st.dates(min_value=on, max_value=TODAY)).isoformat()
    return contact


@st.composite
def promises(draw):
    form = draw(st.sampled_from(["oral", "written", "advert", "none"]))
    if form == "none":
        return {"form": form}
    return {
        "form": form,
        "text": draw(texts),
        "target_amount": draw(optional(decimals)),
        "within_days": draw(optional(st.integers(1, 365))),
        "met": draw(st.sampled_from([True, False, None])),
        "reached_amount": draw(optional(decimals)),
        "source": draw(optional(texts)),
    }


@st.composite
def case_files(draw):
    number = draw(st.integers(0, 10**6))
    document = {
        "format": FORMAT,
        "language": draw(st.sampled_from(["zh-hans", "en"])),
        "merchant": draw(merchants(number)),
        "provider": {"name": draw(st.sampled_from(["拉卡拉支付股份有限公司", "某某支付有限公司"]))},
        "device": {"obtained_on": draw(dates).isoformat(), "serial": draw(optional(words))},
        "money": draw(st.lists(sums(), max_size=4)),
        "promise": draw(promises()),
        "business_use": draw(st.booleans()),
        # The import adds contacts in date order: listed so, the export lists them the same way.
        "contacts": sorted(draw(st.lists(contacts(), max_size=3)), key=lambda contact: contact["on"]),
    }
    if draw(st.booleans()):
        document["agent"] = {"name": draw(texts), "kind": draw(st.sampled_from(["company", "person"]))}
    if draw(st.booleans()):
        document["contract"] = {
            "arbitration_clause": draw(st.sampled_from([True, False, None])),
            "forum_clause": draw(st.sampled_from([True, False, None, "成都市武侯区人民法院"])),
            "small_print": draw(optional(texts)),
        }
    if draw(st.booleans()):
        document["deception"] = {"posed_as": draw(st.sampled_from(["bank", "unionpay", "provider"])), "pitch": "提额"}
    document["story"] = draw(optional(texts))
    if draw(st.booleans()):
        document["evidence"] = [{"file": "chat-1.png", "title": draw(texts), "kind": "chat", "text": ""}]
    return document


@pytest.fixture
def folder(tmp_path, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)
    (tmp_path / "chat-1.png").write_bytes(png())
    return tmp_path


# Each example imports a case into the test's database: few examples, each a whole import and export.
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=case_files())
def test_a_generated_case_file_round_trips(ladder, media, folder, document):
    validate(document)
    exported = export(run_import(write(folder, document)))
    same(document, exported)
    validate(exported)
