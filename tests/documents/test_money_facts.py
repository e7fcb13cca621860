"""The letters' sentences about money, word for word, in both languages (documents/letters/facts/money.py),
and the context every letter is rendered with (documents/letters/context.py).

Each sum is written as the recipient reads it: its date, its amount in figures and in capitals (角 and 分
included), what it was called, how it was taken and what came back. No PDF is rendered here.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from cases.overcharge import Trade
from documents import letters
from documents.letters.context import letter_context
from documents.letters.facts import money
from tests.factories import merchant, open_case

pytestmark = pytest.mark.django_db

D = dt.date
WORDS = {"zh-hans": ("申请人", "贵司"), "en": ("the applicant", "your company")}


@pytest.fixture
def owner(ladder):
    return merchant("owner@example.com", full_name="王小明")


def sentences(case, language):
    case.refresh_from_db()
    chinese = language == "zh-hans"
    with translation.override(language):
        items = money.claim_items(case, chinese)
        return items, money.money_sentences(case, items, *WORDS[language], chinese)


@pytest.fixture
def sums(owner):
    """One sum for every way money is taken, with 角 and 分, a refund of 0.01 and one of 9.05."""
    case = open_case(
        owner,
        amount=Decimal("1408.12"),
        charge_kind="deposit",
        payment_method="deducted_from_settlement",
        charged_on=D(2025, 3, 2),
    )
    add = case.save_charge
    add(
        None,
        {
            "kind": "activation_fee",
            "amount": Decimal("0.01"),
            "how": "paid_to_agent",
            "called": "礼包",
            "taken_on": D(2025, 3, 3),
            "refunded_amount": Decimal("0.01"),
            "refunded_on": D(2025, 4, 1),
        },
        owner,
    )
    add(
        None,
        {
            "kind": "service_fee",
            "amount": Decimal("99.50"),
            "how": "cash_on_delivery",
            "taken_on": D(2025, 3, 4),
            "refunded_amount": Decimal("9.05"),
        },
        owner,
    )
    add(None, {"kind": "other", "amount": Decimal("12.34"), "how": "frozen", "taken_on": D(2025, 3, 5)}, owner)
    add(None, {"kind": "other", "amount": Decimal("5"), "taken_on": D(2025, 3, 6)}, owner)
    add(
        None, {"kind": "deposit", "amount": Decimal("7"), "how": "swiped_on_terminal", "taken_on": D(2025, 3, 8)}, owner
    )
    add(None, {"kind": "flow_fee", "amount": Decimal("8"), "how": "paid_to_provider", "taken_on": D(2025, 3, 9)}, owner)
    add(None, {"kind": "flow_fee", "rate": "0.10%", "period": "monthly"}, owner)
    add(None, {"kind": "service_fee", "rate": "36元", "called": "年费"}, owner)
    add(
        None,
        {
            "kind": "other",
            "called": "Activation gift",
            "amount": Decimal("3"),
            "taken_on": D(2025, 3, 10),
            "how": "deducted_from_settlement",
            "note": "见截图",
        },
        owner,
    )
    add(None, {"kind": "other", "amount": Decimal("4"), "how": "微信转账", "called": "手续费"}, owner)
    return case


def test_every_sum_in_chinese_with_jiao_and_fen(sums):
    _items, written = sentences(sums, "zh-hans")
    assert written == [
        "2025年3月2日，申请人的结算资金中被以“押金”名义扣除1,408.12元（人民币壹仟肆佰零捌元壹角贰分）。",
        "2025年3月3日，申请人以“礼包”（激活费）名义向代理商支付0.01元（人民币壹分）。"
        "其中0.01元（人民币壹分）已于2025年4月1日退还。",
        "2025年3月4日，申请人在收货时以“服务费”名义现金支付99.50元（人民币玖拾玖元伍角整）。"
        "其中9.05元（人民币玖元零伍分）已退还。",
        "2025年3月5日，申请人又被收取12.34元（人民币壹拾贰元叁角肆分）（在账户中被冻结），申请人不清楚这笔钱的名目。",
        "2025年3月6日，申请人又被收取5.00元（人民币伍元整），申请人不清楚这笔钱的名目。",
        "2025年3月8日，申请人被要求以“押金”名义在终端上刷卡7.00元（人民币柒元整）。",
        "2025年3月9日，贵司以“流量费”名义向申请人收取8.00元（人民币捌元整）。",
        "2025年3月10日，申请人的结算资金中被以“Activation gift”（其他款项）名义扣除3.00元（人民币叁元整）。",
        "2025年3月1日，贵司以“手续费”（其他款项）名义向申请人收取4.00元（人民币肆元整）。",  # no date: activation
        "贵司另以“流量费”名义按0.10% / monthly收费。",
        "贵司另以“年费”名义按36元收费。",
    ]


def test_every_sum_in_english_each_sentence_capitalised(sums):
    _items, written = sentences(sums, "en")
    assert written == [
        "On 2 March 2025, CNY 1,408.12 was deducted from the settlement funds of the applicant as a “deposit”.",
        "On 3 March 2025, the applicant paid CNY 0.01 to the agent as a “礼包” (activation fee). "
        "Of this, CNY 0.01 was refunded on 1 April 2025.",
        "On 4 March 2025, the applicant paid CNY 99.50 in cash on delivery as a “service fee”. "
        "Of this, CNY 9.05 was refunded.",
        "On 5 March 2025, CNY 12.34 more was taken from the applicant (frozen in my account); "
        "the applicant does not know what it was for.",
        "On 6 March 2025, CNY 5.00 more was taken from the applicant; the applicant does not know what it was for.",
        "On 8 March 2025, the applicant was made to swipe CNY 7.00 on the terminal as a “deposit”.",
        "On 9 March 2025, your company took CNY 8.00 from the applicant as a “data or flow fee”.",
        "On 10 March 2025, CNY 3.00 was deducted from the settlement funds of the applicant as an "
        "“Activation gift” (other sum).",
        "On 1 March 2025, your company took CNY 4.00 from the applicant as a “手续费” (other sum).",
        "Your company also charges a “data or flow fee” of 0.10% / monthly.",
        "Your company also charges a “年费” of 36元.",
    ]


def test_each_item_claims_what_was_taken_less_what_came_back(sums):
    for language, chinese in (("zh-hans", True), ("en", False)):
        items, _sentences = sentences(sums, language)
        with translation.override(language):  # labels are read in the letter's language
            check_items(items, chinese)


def check_items(items, chinese):
    first, gift, service = items[0], items[1], items[2]
    assert (first.kind, first.taken, first.refunded, first.claimed, first.taken_on) == (
        "deposit",
        Decimal("1408.12"),
        None,
        Decimal("1408.12"),
        D(2025, 3, 2),
    )
    assert (gift.called, gift.taken, gift.refunded, gift.claimed) == ("礼包", Decimal("0.01"), Decimal("0.01"), 0)
    assert (service.refunded, service.claimed) == (Decimal("9.05"), Decimal("90.45"))
    rate = items[7]
    assert (rate.taken, rate.claimed, rate.rate, rate.period, rate.kind) == (None, None, "0.10%", "monthly", "flow_fee")
    assert items[9].note == "见截图"
    assert [item.trades for item in items] == [[]] * len(items)
    assert {item.trades_total for item in items} == {None}
    if chinese:
        assert [item.label for item in items[:3]] == ["押金", "激活费", "服务费"]
        assert [item.name for item in items[:3]] == ["押金", "礼包（激活费）", "服务费"]
        assert (first.how, items[9].how, items[10].how) == ("从结算款中直接扣除", "从结算款中直接扣除", "微信转账")
    else:
        assert [item.label for item in items[:3]] == [
            "Deposit (押金)",
            "Activation fee (激活费)",
            "Service fee (服务费)",
        ]
        assert [item.name for item in items[:3]] == ["deposit", "礼包 (activation fee)", "service fee"]
        assert first.how == "Deducted from a settlement"


def test_a_sum_of_an_unknown_kind_keeps_its_own_word(owner):
    """A kind the app does not list (an old or imported record) is named by the word stored."""
    case = open_case(owner, amount=Decimal("10"), charge_kind="deposit", charged_on=D(2025, 3, 2))
    charge = case.first_charge()
    type(charge).objects.filter(pk=charge.pk).update(kind="押金2")
    items, written = sentences(case, "zh-hans")
    assert (items[0].label, items[0].name) == ("押金2", "押金2")
    assert written[0].startswith("2025年3月2日，")


def test_item_names():
    assert money.item_name("", "押金", True) == "押金"
    assert money.item_name("押金", "押金", True) == "押金"  # the seller's word is the label: said once
    assert money.item_name("礼包", "押金", True) == "礼包（押金）"
    assert money.item_name("gift", "Deposit (押金)", False) == "gift (deposit)"
    assert money.item_name("deposit", "Deposit (押金)", False) == "deposit"
    assert money.item_name("", "Deposit (押金)", False) == "deposit"


@pytest.fixture
def rate_hike(owner):
    case = open_case(
        owner,
        obtained_via="official",
        agent_name="",
        amount=None,
        charge_kind="fee_overcharge",
        agreed_rate="0.60%",
        charged_rate="2.00%",
    )
    charge = case.save_charge(
        case.first_charge(),
        {
            "notice_days": 30,
            "notice_given": "no",
            "agreed_rate_source": "商户协议第4条",
            "refunded_amount": Decimal("100.05"),
            "refunded_on": D(2026, 11, 30),
        },
        owner,
    )
    trades = [
        Trade(D(2026, 10, 20), Decimal("70000.00"), Decimal("1400.00")),
        Trade(D(2026, 11, 14), Decimal("30580.00"), Decimal("611.60")),
    ]
    case.save_trades(charge, trades, owner)
    return case


def test_a_rate_hike_trade_by_trade_in_both_languages(rate_hike):
    items, written = sentences(rate_hike, "zh-hans")
    assert written == [
        "申请人与贵司约定的刷卡费率为0.60%（商户协议第4条）。",
        "协议约定，调整费率须提前30日通知。",
        "2026年10月20日至2026年11月14日，贵司在2笔交易中按约2.00%的费率向申请人收取手续费，"
        "比按约定费率计算多收1,408.12元（人民币壹仟肆佰零捌元壹角贰分）（见下表）。",
        "收取新费率之前，申请人未收到任何通知。",
        "多收部分中已于2026年11月30日退还100.05元（人民币壹佰元零伍分）。",
    ]
    item = items[0]
    assert (item.agreed_rate, item.charged_rate, item.trades_total) == ("0.60%", "2.00%", Decimal("1408.12"))
    assert [(row["on"], row["overcharge"]) for row in item.trades] == [
        (D(2026, 10, 20), Decimal("980.00")),
        (D(2026, 11, 14), Decimal("428.12")),
    ]
    _items, written = sentences(rate_hike, "en")
    assert written == [
        "The agreed card rate between the applicant and your company is 0.60% (商户协议第4条).",
        "The agreement promises 30 days' notice before the rate is changed.",
        "From 20 October 2026 to 14 November 2026, your company charged the applicant fees at about 2.00% on 2 "
        "trades; at the agreed rate they would have been CNY 1,408.12 less (see the table below).",
        "The applicant was not told of the new rate before it was charged.",
        "Of the overcharge, CNY 100.05 was refunded on 30 November 2026.",
    ]


def test_a_rate_hike_on_one_day_with_notice_given_and_one_without_trades(owner):
    one_day = open_case(
        owner,
        obtained_via="official",
        amount=None,
        charge_kind="fee_overcharge",
        agreed_rate="0.60%",
        charged_rate="2%",
    )
    charge = one_day.save_charge(
        one_day.first_charge(), {"notice_given": "yes", "refunded_amount": Decimal("1")}, owner
    )
    one_day.save_trades(charge, [Trade(D(2026, 10, 20), Decimal("70000.00"), Decimal("1400.00"))], owner)
    assert sentences(one_day, "zh-hans")[1] == [
        "申请人与贵司约定的刷卡费率为0.60%。",
        "2026年10月20日，贵司按约2%的费率向申请人收取手续费，比按约定费率计算多收980.00元（人民币玖佰捌拾元整）（见下表）。",
        "多收部分中已退还1.00元（人民币壹元整）。",
    ]
    assert sentences(one_day, "en")[1][1] == (
        "On 20 October 2026, your company charged the applicant fees at about 2%; at the agreed rate they would have "
        "been CNY 980.00 less (see the table below)."
    )
    no_trades = open_case(
        owner,
        obtained_via="official",
        amount=Decimal("12"),
        charge_kind="fee_overcharge",
        agreed_rate="0.60%",
        charged_rate="2.00%",
    )
    assert sentences(no_trades, "zh-hans")[1] == [
        "申请人与贵司约定的刷卡费率为0.60%。",
        "贵司却按2.00%的费率向申请人收取手续费。",
    ]
    assert sentences(no_trades, "en")[1] == [
        "The agreed card rate between the applicant and your company is 0.60%.",
        "Your company charged the applicant fees at 2.00% instead.",
    ]


def test_a_rate_hike_among_other_sums_keeps_its_place(rate_hike, owner):
    rate_hike.save_charge(None, {"kind": "deposit", "amount": Decimal("299"), "taken_on": D(2026, 9, 1)}, owner)
    written = sentences(rate_hike, "zh-hans")[1]
    assert written[0] == "申请人与贵司约定的刷卡费率为0.60%（商户协议第4条）。"
    assert (
        len(written) == 6
        and written[-1] == "2026年9月1日，贵司以“押金”名义向申请人收取299.00元（人民币贰佰玖拾玖元整）。"
    )


# ----- the context of every letter ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "punctuation"),
    [
        ("zh-hans", {"colon": "：", "sep": "，", "lp": "（", "rp": "）", "sp": "", "is_chinese": True}),
        ("en", {"colon": ": ", "sep": ", ", "lp": " (", "rp": ")", "sp": " ", "is_chinese": False}),
    ],
)
def test_a_letters_context_in_its_language(owner, language, punctuation, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 2, tzinfo=dt.UTC), tick=False)  # 10:00 in China
    case = open_case(owner)
    letter = letters.find_letter(case, "refund_application")
    context = letter_context(case, letter, language)
    assert {key: context[key] for key in punctuation} == punctuation
    assert (context["case"], context["letter"], context["today"]) == (case, letter, D(2026, 12, 3))
    assert context["applicant_name"] == context["facts"].merchant.name == "王小明"
    facts = context["facts"]
    assert (facts.language, facts.today, facts.letter_kind) == (language, D(2026, 12, 3), "refund_application")
    assert facts.money[0].startswith("2025年3月1日" if language == "zh-hans" else "On 1 March 2025")  # built in it
    dated = letter_context(case, letter, language, today=D(2026, 1, 5))
    assert dated["today"] == dated["facts"].today == D(2026, 1, 5)
