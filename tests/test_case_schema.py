"""The case file format, version 1: the published JSON Schema and the check that uses it."""

import copy
import json

import pytest
from django.utils import translation
from jsonschema import Draft202012Validator

from documents.casefile.schema import FORMAT, SCHEMA_PATH, CaseFileError, validate

# The example of docs/case-format.md as valid JSON: one value per field, every key given.
EXAMPLE = {
    "format": "dispute-ladder/case@1",
    "language": "zh-hans",
    "merchant": {
        "kind": "individual_business",
        "name": "王堃",
        "trade_name": "王记面馆𠀀",
        "credit_code": "92510104MA6XXXXXX0",
        "legal_representative": None,
        "operator": {"name": "王堃"},
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "sex": "male",
        "birth_date": "1949-12-31",
        "ethnicity": "汉族",
        "occupation": "个体经营",
        "address": "四川省成都市武侯区𠀀𠀁路1号",
        "province": "四川省",
        "mobile": "13800000000",
        "email": "a@example.cn",
    },
    "provider": {
        "name": "拉卡拉支付股份有限公司",
        "brand": "拉卡拉",
        "credit_code": None,
        "address": None,
        "legal_representative": None,
    },
    "agent": {"name": "成都某某科技有限公司", "kind": "company", "contact": "微信 xxx", "address": None},
    "device": {"model": "电签POS", "serial": "SN0001", "merchant_number": "M0001", "obtained_on": "2025-03-01"},
    "money": [
        {"kind": "deposit", "amount": "299.00", "taken_on": "2025-03-02", "how": "deducted_from_settlement"},
        {"kind": "flow_fee", "rate": "0.10%", "period": "monthly", "note": "流量费，从未告知"},
        {
            "kind": "fee_overcharge",
            "agreed_rate": "0.60%",
            "charged_rate": "2.00%",
            "notice_days": 30,
            "trades": [{"on": "2023-02-24", "amount": "70000.00", "fee_charged": "1431.00"}],
        },
        {
            "kind": "deposit",
            "amount": "99.00",
            "taken_on": "2022-05-15",
            "how": "cash_on_delivery",
            "called": "激活押金",
            "refunded_amount": "50.00",
            "refunded_on": "2022-08-01",
        },
    ],
    "promise": {
        "form": "oral",
        "text": "刷满15万3个月内退",
        "target_amount": "150000.00",
        "within_days": 90,
        "met": True,
        "reached_amount": "162000.00",
        "reached_in_days": 80,
        "source": "代理商微信聊天",
    },
    "business_use": True,
    "deception": {"posed_as": "bank", "pitch": "提额"},
    "contract": {"arbitration_clause": False, "forum_clause": None, "small_print": "…"},
    "contacts": [
        {
            "on": "2025-06-10",
            "to": "provider",
            "channel": "hotline",
            "reference": "95016-0001",
            "outcome": "redirected",
            "note": "客服说请联系您的服务商",
            "delivered_on": None,
        }
    ],
    "story": "代理商说刷满就退押金，🙂 𠀀 后来不认了。",
    "evidence": [{"file": "chat-1.png", "title": "代理商承诺截图", "kind": "chat"}],
}


def example():
    """A fresh copy, as a JSON round trip would give it."""
    return json.loads(json.dumps(EXAMPLE, ensure_ascii=False))


def refusal(document):
    with pytest.raises(CaseFileError) as caught, translation.override("en"):
        validate(document)
    return caught.value


def test_published_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["format"]["const"] == FORMAT


def test_full_example_is_valid():
    validate(example())


def test_minimal_case_is_valid():
    validate(
        {
            "format": FORMAT,
            "language": "en",
            "merchant": {"kind": "person", "name": "Wang", "address": "Chengdu", "province": "四川省"},
            "provider": {"name": "拉卡拉支付股份有限公司"},
            "device": {"obtained_on": "2025-03-01"},
            "money": [],
            "promise": {"form": "none"},
            "business_use": False,
            "contacts": [],
        }
    )


def test_optional_keys_may_be_null():
    document = example()
    document["agent"] = None
    document["story"] = None
    document["evidence"] = None
    document["merchant"]["sex"] = None
    document["merchant"]["birth_date"] = None
    document["promise"]["met"] = None
    validate(document)


def test_unknown_extra_keys_are_accepted_everywhere():
    document = example()
    document["volunteer"] = {"name": "李"}
    document["merchant"]["wechat"] = "wk𠀀"
    document["money"][0]["receipt_no"] = 7
    document["money"][2]["trades"][0]["card"] = "6222…"
    document["contacts"][0]["mood"] = ["angry"]
    document["device"]["colour"] = None
    validate(document)


def test_open_lists_take_any_text():
    document = example()
    document["money"][0]["how"] = "微信转账"
    document["money"][3]["called"] = "礼包"
    document["money"][1]["period"] = "每季度"
    document["contacts"][0]["channel"] = "上门"
    validate(document)


def test_fee_overcharge_with_amount_instead_of_trades():
    document = example()
    del document["money"][2]["trades"]
    document["money"][2]["amount"] = "1011.00"
    validate(document)


def test_unknown_format_is_refused_naming_format():
    document = example()
    document["format"] = "dispute-ladder/case@2"
    error = refusal(document)
    assert error.key == "format"
    assert "format" in error.message
    assert "dispute-ladder/case@2" in str(error)


def test_missing_format_is_refused():
    document = example()
    del document["format"]
    error = refusal(document)
    assert error.key == "format"
    assert "format" in str(error)


def test_top_level_array_is_refused():
    error = refusal([example()])
    assert error.key == ""
    assert "object" in str(error)


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (lambda d: d["merchant"].update(kind="shop"), "merchant.kind", "shop"),
        (lambda d: d["money"][1].pop("rate"), "money[1]", "amount, rate"),
        (lambda d: d["money"][0].update(amount="12,00"), "money[0].amount", "12,00"),
        (lambda d: d["money"][0].update(amount="299.005"), "money[0].amount", "299.005"),
        (lambda d: d["money"][0].update(amount="299.00\n"), "money[0].amount", "299.00"),
        (lambda d: d["money"][0].update(amount="２９９.00"), "money[0].amount", "２９９"),
        (lambda d: d["money"][1].update(rate="0.10"), "money[1].rate", "0.10"),
        (lambda d: d["device"].update(obtained_on="2025-3-1"), "device.obtained_on", "2025-3-1"),
        (lambda d: d["money"][0].update(taken_on="2025-02-30"), "money[0].taken_on", "2025-02-30"),
        (lambda d: d["contacts"][0].update(to="bank"), "contacts[0].to", "bank"),
        (lambda d: d["contacts"][0].pop("outcome"), "contacts[0].outcome", "missing"),
        (lambda d: d["money"][2].pop("charged_rate"), "money[2].charged_rate", "missing"),
        (lambda d: d["money"][2].pop("trades"), "money[2]", "trades, amount"),
        (lambda d: d.pop("business_use"), "business_use", "missing"),
        (lambda d: d.update(language="fr"), "language", "fr"),
        (lambda d: d["merchant"].update(name=None), "merchant.name", "string"),
        (lambda d: d["promise"].update(form="email"), "promise.form", "email"),
        (lambda d: d["promise"].update(within_days=-1), "promise.within_days", "0"),
    ],
)
def test_faults_are_refused_naming_the_key(change, key, words):
    document = example()
    change(document)
    error = refusal(document)
    assert error.key == key
    assert key in error.message
    assert words in error.message


def test_money_item_with_neither_amount_nor_rate():
    document = example()
    document["money"].append({"kind": "other", "note": "不知道是什么钱"})
    error = refusal(document)
    assert error.key == "money[4]"


def test_first_error_in_document_order_is_reported():
    document = example()
    document["merchant"]["kind"] = "shop"
    document["contacts"][0]["to"] = "bank"
    assert refusal(document).key == "merchant.kind"


def test_example_is_not_modified():
    document = example()
    before = copy.deepcopy(document)
    validate(document)
    assert document == before
