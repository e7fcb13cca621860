"""Facts offered from a screenshot's text (issue 20): what each rule reads, through OCR's noise.

Pure: no database. The two transcripts follow domain.md §8.7's fact patterns: a "free" terminal with an
activation deposit and a volume promise, a data fee deducted later, a rate raised by the agent, and a
contract's small print naming the acquirer's branch and the agent that took the money.
"""

import datetime
import random
import time
import unicodedata
from dataclasses import replace

import pytest

from lib import chinatime
from reading.extract import AmountLabel, Kind, PromiseLabel, Suggestion, suggest

TODAY = datetime.date(2025, 12, 30)


def read(*lines, today=TODAY):
    """(kind, value, label) of everything offered."""
    return [(found.kind, found.value, found.label) for found in suggest(list(lines), today)]


def values(kind, *lines, today=TODAY):
    return [found.value for found in suggest(list(lines), today) if found.kind == kind]


def labelled(kind, *lines, today=TODAY):
    return [(found.value, found.label) for found in suggest(list(lines), today) if found.kind == kind]


# --- Two whole transcripts ----------------------------------------------------------------------------

# The chat with the agent (a WeChat screenshot), OCR'd line by line: bubbles wrap at 20 characters.
CHAT = [
    "13:05",
    "王经理（拉卡拉）",
    "您好，我们是拉卡拉支付股份有限公司授权服",
    "务商，机器免费送，激活时收２９９元押金，",
    "3个月内交易满5万全额返还押金，押金可退",
    "的请放心。",
    "我",
    "收到，扣款的是哪个公司？",
    "王经理（拉卡拉）",
    "深圳市汇付通科技有限公司，我电话",
    "138 1234 5678",
    "3月20日 09:15",
    "我",
    "我已经刷了６万多了，押金什么时候退？另外",
    "流量费49元是什么",
    "王经理（拉卡拉）",
    "流量费是SIM卡的，押金要公司审核，你打客",
    "服95016问",
    "12月28日 18:40",
    "王经理（拉卡拉）",
    "公司说你没达标，押金不退。费率下月起调到",
    "2.99%",
]


def test_a_chat_with_the_agent():
    assert suggest(CHAT, TODAY) == [
        Suggestion(
            "promise",
            "您好，我们是拉卡拉支付股份有限公司授权服务商，机器免费送，激活时收２９９元押金，"
            "3个月内交易满5万全额返还押金，押金可退的请放心",
            2,
            0,
            20,  # the sentence goes on below: its span ends with the line
            "period_target",
            "收２９９元押金，3个月内交易满5万全额返还押金，押金可退的请",
        ),
        Suggestion(
            "company",
            "拉卡拉支付股份有限公司",
            2,
            6,
            17,
            "",
            "您好，我们是拉卡拉支付股份有限公司授权服务商，机器免费送，激",
        ),
        Suggestion(
            "amount", "299.00", 3, 13, 17, "deposit", "务商，机器免费送，激活时收２９９元押金，3个月内交易满5万全"
        ),
        Suggestion(
            "amount", "50000.00", 4, 7, 9, "other", "２９９元押金，3个月内交易满5万全额返还押金，押金可退的请放"
        ),
        Suggestion("company", "深圳市汇付通科技有限公司", 9, 0, 12, "", "深圳市汇付通科技有限公司，我电话"),
        Suggestion("phone", "13812345678", 10, 0, 13, "", "138 1234 5678"),
        Suggestion("date", "2025-03-20", 11, 0, 5, "", "3月20日 09:15"),
        # The volume the merchant reached; the question 押金什么时候退？ is no promise.
        Suggestion("amount", "60000.00", 13, 5, 7, "other", "我已经刷了６万多了，押金什么时候退？另外流量费49元是什么"),
        Suggestion(
            "amount", "49.00", 14, 3, 6, "service_fee", "我已经刷了６万多了，押金什么时候退？另外流量费49元是什么"
        ),
        Suggestion("phone", "95016", 17, 1, 6, "", "流量费是SIM卡的，押金要公司审核，你打客服95016问"),
        Suggestion("date", "2025-12-28", 18, 0, 6, "", "12月28日 18:40"),
        # 押金不退 is a refusal, not a promise; the new rate is read across the line break.
        Suggestion("amount", "2.99%", 21, 0, 5, "rate", "公司说你没达标，押金不退。费率下月起调到2.99%"),
    ]


# A contract's small print, photographed: lines wrap at the page's width, mid-phrase and mid-name.
CONTRACT = [
    "POS机具服务协议（商户留存联）",
    "甲方：拉卡拉支付股份有限公司北京分公司",
    "统一社会信用代码：9135 0100 M000 100Y 43",
    "乙方（商户）：张三便利店",
    "商户编号：822100058120345  终端号：1234567８",
    "机身号SN：WP23AOO17823",
    "第三条 乙方应于开通之日缴纳服务费押金人民币贰佰玖拾玖元整（¥299.00），自激活",
    "之日起90天内累计交易满50,000元的，甲方于次月返还押金；未达标的，押金不予退还",
    "。",
    "第四条 流量费每年49元，自第二年起从结算款中扣收；SIM卡费：36元/年。标准费率",
    "０.６０％，甲方调整费率的，应提前30日通知乙方。代理商深圳市汇付通科技有限公",
    "司负责机具的安装与维护，联系电话0755-86543210，收款方为深圳市汇付通科技有限",
    "责任公司，统一社会信用代码：91440300MA5FPQ8K31。",
    "签订日期：2025年3月1日     客服热线：400-123-4567",
]


def test_a_contracts_small_print():
    assert suggest(CONTRACT, TODAY) == [
        Suggestion(
            "company", "拉卡拉支付股份有限公司北京分公司", 1, 3, 19, "", "甲方：拉卡拉支付股份有限公司北京分公司"
        ),
        Suggestion("credit_code", "91350100M000100Y43", 2, 9, 31, "", "一社会信用代码：9135 0100 M000 100Y 43"),
        Suggestion("merchant_number", "822100058120345", 4, 5, 20, "", "商户编号：822100058120345 终端号：1234"),
        Suggestion("terminal_serial", "12345678", 4, 26, 34, "", "：822100058120345 终端号：1234567８"),
        Suggestion("terminal_serial", "WP23A0017823", 5, 6, 18, "", "机身号SN：WP23AOO17823"),
        Suggestion(
            "promise",
            "第三条 乙方应于开通之日缴纳服务费押金人民币贰佰玖拾玖元整（¥299.00），"
            "自激活之日起90天内累计交易满50,000元的，甲方于次月返还押金",
            6,
            0,
            42,
            "period_target",
            "日起90天内累计交易满50,000元的，甲方于次月返还押金；",
        ),
        # The capitals come first; the figures in brackets are the same sum, offered once.
        Suggestion("amount", "299.00", 6, 19, 29, "deposit", "通之日缴纳服务费押金人民币贰佰玖拾玖元整（¥299.00），"),
        Suggestion("amount", "50000.00", 7, 12, 19, "other", "日起90天内累计交易满50,000元的，甲方于次月返还押金；"),
        # 未达标的，押金不予退还 is no promise.
        Suggestion(
            "amount", "49.00", 9, 9, 12, "service_fee", "第四条 流量费每年49元，自第二年起从结算款中扣收；SIM卡"
        ),
        Suggestion(
            "amount", "36.00", 9, 32, 35, "service_fee", "结算款中扣收；SIM卡费：36元/年。标准费率０.６０％，甲"
        ),
        Suggestion("amount", "0.60%", 10, 0, 5, "rate", "费：36元/年。标准费率０.６０％，甲方调整费率的，应提前3"),
        # 有限公 / 司: the name is read across the break, reported on its first line.
        Suggestion(
            "company",
            "深圳市汇付通科技有限公司",
            10,
            28,
            39,
            "",
            "日通知乙方。代理商深圳市汇付通科技有限公司负责机具的安装与维",
        ),
        Suggestion("phone", "0755-86543210", 11, 16, 29, "", "与维护，联系电话0755-86543210，收款方为深圳市汇"),
        Suggestion(
            "company",
            "深圳市汇付通科技有限责任公司",
            11,
            34,
            44,
            "",
            "210，收款方为深圳市汇付通科技有限责任公司，统一社会信用代",
        ),
        Suggestion("credit_code", "91440300MA5FPQ8K31", 12, 14, 32, "", "司，统一社会信用代码：91440300MA5FPQ8K31。"),
        Suggestion("date", "2025-03-01", 13, 5, 14, "", "签订日期：2025年3月1日 客服热线：400-12"),
        Suggestion("phone", "400-123-4567", 13, 24, 36, "", "025年3月1日 客服热线：400-123-4567"),
    ]


def test_a_settlement_record_where_the_rate_was_raised():
    """§8.7: a large swipe settled at 2.99% instead of 0.6%; no deposit at all."""
    record = [
        "交易详情",
        "交易时间 2025-11-03 14:32:10",
        "交易金额 ¥50,000.00",
        "手续费 ¥1,495.00",
        "结算金额 ¥48,505.00",
        "费率 2.99%",
        "商户号 822100058120345",
        "终端号 WP23A001",
    ]
    assert read(*record) == [
        ("date", "2025-11-03", ""),
        ("amount", "50000.00", "other"),
        ("amount", "1495.00", "service_fee"),
        ("amount", "48505.00", "other"),
        ("amount", "2.99%", "rate"),
        ("merchant_number", "822100058120345", ""),
        ("terminal_serial", "WP23A001", ""),
    ]


def test_a_text_message():
    sms = ["【拉卡拉】尊敬的商户，您的押金￥２９９．００已于２０２５／３／５冻结，达标后全额返还。退订回T"]
    assert read(*sms) == [
        (
            "promise",
            "【拉卡拉】尊敬的商户，您的押金￥２９９．００已于２０２５／３／５冻结，达标后全额返还",
            "target_met",
        ),
        ("amount", "299.00", "deposit"),
        ("date", "2025-03-05", ""),
    ]


def test_a_screenshots_own_chrome_offers_little():
    """The status bar, the app's buttons and notices: only the transfer and the time stamp are facts."""
    chrome = [
        "12:30  4G  5%",
        "‹ 微信(3)   王经理（拉卡拉）",
        "[转账] ¥299.00 已收款",
        "2025年3月1日 下午2:32",
        "撤回了一条消息",
        "语音通话 00:32",
        "按住 说话",
    ]
    assert read(*chrome) == [("amount", "299.00", "other"), ("date", "2025-03-01", "")]


# --- Sums ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("押金¥299", [("299.00", "deposit")]),
        ("押金：299", [("299.00", "deposit")]),
        ("激活时收299元押金", [("299.00", "deposit")]),
        ("冻结了 199 元", [("199.00", "deposit")]),
        ("服务费押金人民币贰佰玖拾玖元整", [("299.00", "deposit")]),
        ("保证金两百九十九块", [("299.00", "deposit")]),
        ("激活费￥１９９．００", [("199.00", "service_fee")]),
        ("流量费每年49元", [("49.00", "service_fee")]),
        ("SIM卡费：36元/年", [("36.00", "service_fee")]),
        ("会员费2 99元", [("299.00", "service_fee")]),  # OCR's space inside the number
        ("流量费1O8元", [("108.00", "service_fee")]),  # O read for a zero
        ("礼包 99元 货到付款", [("99.00", "service_fee")]),
        ("手续费 28.16", [("28.16", "service_fee")]),
        ("交易金额 1,408.12", [("1408.12", "other")]),
        ("交易金额 1，408.12 手续费 28.16", [("1408.12", "other"), ("28.16", "service_fee")]),
        ("到账0.01元", [("0.01", "other")]),
        ("人民币壹仟肆佰零捌元壹角贰分", [("1408.12", "other")]),
        ("刷满5万退299", [("50000.00", "other"), ("299.00", "refund")]),
        ("激活返现99元", [("99.00", "refund")]),
        ("退还押金200元", [("200.00", "deposit")]),
        ("收了299元押金和49元流量费", [("299.00", "deposit"), ("49.00", "service_fee")]),
        ("押金299元，流量费49元", [("299.00", "deposit"), ("49.00", "service_fee")]),
        ("扣了3次，每次扣49", [("49.00", "other")]),
        ("第二年扣了198元流量费（两年）", [("198.00", "service_fee")]),
        (
            "一笔2万的交易扣了598元手续费，按2.99%算的",
            [("20000.00", "other"), ("598.00", "service_fee"), ("2.99%", "rate")],
        ),  # a bare figure is a sum only after a money word
        ("刷满五万就退", [("50000.00", "other")]),
        ("累计交易满1.5万元", [("15000.00", "other")]),
    ],
)
def test_sums_and_what_the_words_around_them_call_them(line, expected):
    assert labelled(Kind.AMOUNT, line) == expected


@pytest.mark.parametrize(
    ("line", "rate"),
    [
        ("费率0.6%", "0.60%"),
        ("费率０.６０％", "0.60%"),
        ("费率调整为万分之六十", "0.60%"),
        ("千分之六", "0.60%"),
        ("原费率0.6个点", "0.60%"),
        ("费率调到2.99", "2.99%"),
        ("费率永久0.38不变", "0.38%"),
        ("扣率 0.625%", "0.625%"),
        ("万分之38", "0.38%"),
        ("手续费1%", "1.00%"),
    ],
)
def test_rates(line, rate):
    assert labelled(Kind.AMOUNT, line) == [(rate, AmountLabel.RATE)]


@pytest.mark.parametrize(
    "line",
    [
        "电话13812345678",
        "签订日期：2025.03.01",
        "商户号822100058120345",
        "终端号：12345678",
        "统一社会信用代码：91350100M000100Y43",
        "3个月内",
        "第3条",
        "交易时间 14:32",
        "100%退款",  # a figure of speech, not a card rate
        "费率0%",
        "共3台",
    ],
)
def test_phones_dates_codes_and_counts_are_no_sums(line):
    assert values(Kind.AMOUNT, line) == []


# --- Dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("2025年3月1日", "2025-03-01"),
        ("2025 年 3 月 1 日", "2025-03-01"),
        ("２０２５年３月１日", "2025-03-01"),
        ("2O25年3月1日", "2025-03-01"),
        ("二〇二五年三月一日", "2025-03-01"),
        ("25年3月1日", "2025-03-01"),
        ("2025-03-01 14:32:10", "2025-03-01"),
        ("2025/3/1", "2025-03-01"),
        ("2025.3.1", "2025-03-01"),
        ("日期：20250301", "2025-03-01"),
        ("3月1日", "2025-03-01"),
        ("3月1号", "2025-03-01"),
        ("三月十五日", "2025-03-15"),
        ("25.3.1", "2025-03-01"),  # 2001-03-25 and month 25 are no readings: unambiguous
    ],
)
def test_dates(line, day):
    assert values(Kind.DATE, line) == [day]


def test_a_day_without_its_year_is_never_in_the_future():
    assert values(Kind.DATE, "12月31日", today=datetime.date(2025, 12, 30)) == ["2024-12-31"]
    assert values(Kind.DATE, "12月30日", today=datetime.date(2025, 12, 30)) == ["2025-12-30"]
    assert values(Kind.DATE, "2月29日", today=datetime.date(2024, 3, 10)) == ["2024-02-29"]
    assert values(Kind.DATE, "2月29日", today=datetime.date(2025, 3, 10)) == []


def test_a_date_with_its_year_may_be_in_the_future():
    """A deadline in a promise (2026年6月30日前刷满) is a date like any other."""
    assert values(Kind.DATE, "2026年6月30日前刷满5万") == ["2026-06-30"]


def test_today_defaults_to_chinas_calendar():
    today = chinatime.today()
    expected = datetime.date(today.year, 1, 1).isoformat()
    assert [found.value for found in suggest(["1月1日"]) if found.kind == Kind.DATE] == [expected]


@pytest.mark.parametrize(
    "line",
    [
        "2月30日",
        "2025年2月29日",
        "2025-13-01",
        "2025/04/31",
        "20.3.18",  # 2020-03-18 or 2018-03-20
        "1.5.2",  # no reading in the last ten years
        "3.15",
        "应提前30日通知",
        "14:32",
    ],
)
def test_what_is_no_date(line):
    assert values(Kind.DATE, line) == []


def test_an_invalid_date_is_no_sum_either():
    assert read("2025.02.30") == []


# --- Companies -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("甲方：拉卡拉支付股份有限公司", "拉卡拉支付股份有限公司"),
        ("甲方（收单机构）：拉卡拉支付股份有限公司", "拉卡拉支付股份有限公司"),
        ("收款方：深圳市某某信息技术有限责任公司", "深圳市某某信息技术有限责任公司"),
        ("收款方深圳市汇付通科技有限公司", "深圳市汇付通科技有限公司"),  # OCR lost the colon
        ("拉卡拉支付股份有限公司北京分公司", "拉卡拉支付股份有限公司北京分公司"),
        ("拉卡拉支付股份有限公司四川分公司成都营业部", "拉卡拉支付股份有限公司四川分公司"),
        ("我们是拉卡拉支付股份有 限公司的代理", "拉卡拉支付股份有限公司"),
        ("机器是深圳市汇付通科技有限公司的", "深圳市汇付通科技有限公司"),
        ("汇通（上海）信息科技有限公司", "汇通（上海）信息科技有限公司"),
        ("汇通(上海)信息科技有限公司", "汇通（上海）信息科技有限公司"),
        ("联系人 王经理 深圳市某某科技有限公司", "深圳市某某科技有限公司"),
        ("代理商深圳市汇付通科技有限公司负责维护", "深圳市汇付通科技有限公司"),
    ],
)
def test_company_names(line, name):
    assert values(Kind.COMPANY, line) == [name]


def test_two_companies_in_one_sentence():
    line = "拉卡拉支付股份有限公司与深圳市汇付通科技有限公司签订合作协议"
    assert values(Kind.COMPANY, line) == ["拉卡拉支付股份有限公司", "深圳市汇付通科技有限公司"]


@pytest.mark.parametrize("line", ["有限公司", "贵公司", "本有限公司", "公司说你没达标", "拉卡拉客服"])
def test_what_is_no_company_name(line):
    assert values(Kind.COMPANY, line) == []


def test_a_name_broken_across_full_lines():
    lines = [
        "本协议由拉卡拉支付股份有限公司（以下简称甲方）与深圳市汇付通科技有",
        "限公司（以下简称服务商）共同签订，双方应当遵守中国人民银行相关规定",
        "，服务商不得以任何名义向商户收取押金。",
    ]
    found = [found for found in suggest(lines, TODAY) if found.kind == Kind.COMPANY]
    assert [(found.value, found.line, found.start, found.end) for found in found] == [
        ("拉卡拉支付股份有限公司", 0, 4, 15),
        ("深圳市汇付通科技有限公司", 0, 24, 33),
    ]


def test_short_lines_never_run_on():
    """A chat's speaker and the message below are two phrases, not one name."""
    assert values(Kind.COMPANY, "王经理", "深圳市汇付通科技有限公司") == ["深圳市汇付通科技有限公司"]


# --- Codes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("统一社会信用代码：91350100M000100Y43", "91350100M000100Y43"),  # the example in GB 32100-2015
        ("统一社会信用代码 9135 0100 M000 100Y 43", "91350100M000100Y43"),
        ("信用代码：91350100m000100y43", "91350100M000100Y43"),
        ("统一社会信用代码：9135010OM000100Y43", "91350100M000100Y43"),  # O read for a zero
        ("税号91110108MA01ABCD2H", "91110108MA01ABCD2H"),
        ("91440300MA5FPQ8K31", "91440300MA5FPQ8K31"),  # no keyword, but letters and a right check character
    ],
)
def test_credit_codes(line, code):
    assert values(Kind.CREDIT_CODE, line) == [code]


@pytest.mark.parametrize(
    "line",
    [
        "统一社会信用代码：91350100M000100Y44",  # wrong check character
        "统一社会信用代码：91350100M000100Y4",  # 17 characters
        "91350100M000100Y44",
        "110101199003078515",  # 18 digits without the keyword: more likely an ID number
    ],
)
def test_invalid_credit_codes_are_not_offered(line):
    assert values(Kind.CREDIT_CODE, line) == []


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("商户号：822100058120345", "822100058120345"),
        ("商户编号 8221 0005 8120 345", "822100058120345"),
        ("商户号:82210005812O345", "822100058120345"),
        ("MID: 822100058120345", "822100058120345"),
        ("商户编码：M8221000581203", "M8221000581203"),
    ],
)
def test_merchant_numbers(line, number):
    assert values(Kind.MERCHANT_NUMBER, line) == [number]


@pytest.mark.parametrize("line", ["商户号：12345", "商户号：8221****0345", "商户名称：张三便利店"])
def test_what_is_no_merchant_number(line):
    assert values(Kind.MERCHANT_NUMBER, line) == []


@pytest.mark.parametrize(
    ("line", "serial"),
    [
        ("终端号：12345678", "12345678"),
        ("机身号SN：WP23A0017823", "WP23A0017823"),
        ("SN:wp23a0017823", "WP23A0017823"),
        ("序列号 N9100123456", "N9100123456"),
        ("S/N 00001234", "00001234"),
        ("终端编号：LKL-2023-0042", "LKL-2023-0042"),
    ],
)
def test_terminal_serials(line, serial):
    assert values(Kind.TERMINAL_SERIAL, line) == [serial]


@pytest.mark.parametrize("line", ["终端号：未知", "SNAP 12345678", "机身号：AB"])
def test_what_is_no_terminal_serial(line):
    assert values(Kind.TERMINAL_SERIAL, line) == []


# --- Phones --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "phone"),
    [
        ("13812345678", "13812345678"),
        ("电话：138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("手机：１３８１２３４５６７８", "13812345678"),
        ("1381234567８", "13812345678"),
        ("０１０－１２３４５６７８", "010-12345678"),
        ("(0755)86543210", "0755-86543210"),
        ("0755 8654321", "0755-8654321"),
        ("客服热线：400-123-4567", "400-123-4567"),
        ("4001234567", "400-123-4567"),
        ("拉卡拉客服95016", "95016"),
        ("打12363投诉", "12363"),
        ("反诈热线96110", "96110"),
    ],
)
def test_phones(line, phone):
    assert values(Kind.PHONE, line) == [phone]


@pytest.mark.parametrize(
    "line",
    [
        "95016",  # a short number only where the words say it is one to call
        "12345678901",
        "138****5678",
        "110101199003078515",
        "010-123",
        "0101-2345678",  # 010 has three digits
        "25.3.1",
    ],
)
def test_what_is_no_phone(line):
    assert values(Kind.PHONE, line) == []


# --- Promises ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("刷满5万退299", PromiseLabel.SWIPE_TARGET),
        ("刷满3万就全额退押金", PromiseLabel.SWIPE_TARGET),
        ("交易满五万返还", PromiseLabel.SWIPE_TARGET),
        ("达标返还押金", PromiseLabel.TARGET_MET),
        ("达标后全额退", PromiseLabel.TARGET_MET),
        ("激活返现99元", PromiseLabel.ACTIVATION_CASHBACK),
        ("激活后即返200", PromiseLabel.ACTIVATION_CASHBACK),
        ("押金可退", PromiseLabel.DEPOSIT_REFUNDABLE),
        ("押金三个月后全额退还", PromiseLabel.DEPOSIT_REFUNDABLE),
        ("押金到期后可以原路退回", PromiseLabel.DEPOSIT_REFUNDABLE),
        ("这个是可退押金", PromiseLabel.DEPOSIT_REFUNDABLE),
        ("说是激活押金，刷满3个月就退", PromiseLabel.DEPOSIT_REFUNDABLE),  # a time, not a volume
        ("只需激活时交199元押金，交易满3个月自动返还", PromiseLabel.DEPOSIT_REFUNDABLE),
        ("他冒充银联工作人员，说交99元保证金三个月后退还", PromiseLabel.DEPOSIT_REFUNDABLE),
        ("3个月内交易满5万返还押金", PromiseLabel.PERIOD_TARGET),
        ("90天内累计刷卡满50000元的，次月返还", PromiseLabel.PERIOD_TARGET),
        ("十二个月内每月交易满3000元返还服务费", PromiseLabel.PERIOD_TARGET),
        ("费率0.38永久不变", PromiseLabel.FIXED_RATE),
        ("手续费终身不涨", PromiseLabel.FIXED_RATE),
        ("POS机免费领取", PromiseLabel.FREE_OF_CHARGE),
        ("零费用办理，无押金", PromiseLabel.FREE_OF_CHARGE),
    ],
)
def test_promises(line, label):
    assert labelled(Kind.PROMISE, line) == [(line, label)]


def test_a_promise_is_its_sentence():
    line = "您好！机器免费送的。押金299元，刷满5万就退，放心吧"
    assert labelled(Kind.PROMISE, line) == [
        ("机器免费送的", PromiseLabel.FREE_OF_CHARGE),
        ("押金299元，刷满5万就退，放心吧", PromiseLabel.SWIPE_TARGET),
    ]
    promise = [found for found in suggest([line], TODAY) if found.kind == Kind.PROMISE][1]
    assert (promise.line, promise.start, promise.end) == (0, 10, 27)
    assert line[promise.start : promise.end] == promise.value


@pytest.mark.parametrize(
    "line",
    [
        "押金不退",
        "押金不予退还",
        "押金一直没退",
        "押金什么时候退？",
        "押金可以退吗",
        "刷满了也不退",
        "请退还押金",
        "要求退还押金299元",
        "不是免费的",
        "未达标的，押金不予退还",
        "公司说你没达标，押金不退",
        "甲方调整费率的，应提前30日通知",
    ],
)
def test_what_is_no_promise(line):
    assert values(Kind.PROMISE, line) == []


# --- The list as a whole -------------------------------------------------------------------------------


def test_the_same_fact_is_offered_once_where_first_seen():
    found = suggest(["押金299元", "电话13812345678", "说好的押金￥２９９", "138 1234 5678"], TODAY)
    assert [(found.kind, found.value, found.line) for found in found] == [
        ("amount", "299.00", 0),
        ("phone", "13812345678", 1),
    ]


def test_a_sum_seen_again_under_another_label_is_not_offered_again():
    """The label is what the first sighting's words say: 退299 below is the same 299.00."""
    found = read("押金299元", "费率0.6%", "退299")
    assert found == [("amount", "299.00", "deposit"), ("amount", "0.60%", "rate")]


def test_reading_order():
    lines = ["2025年3月1日 押金299元", "甲方：拉卡拉支付股份有限公司 电话13812345678"]
    assert [found.kind for found in suggest(lines, TODAY)] == ["date", "amount", "company", "phone"]


def test_nothing_to_read():
    assert suggest([], TODAY) == []
    assert suggest(["", "   ", "好的", "[图片]"], TODAY) == []


def test_kinds_and_labels_are_named():
    assert {kind.value for kind in Kind} == {
        "amount",
        "date",
        "company",
        "credit_code",
        "phone",
        "merchant_number",
        "terminal_serial",
        "promise",
    }
    assert {label.value for label in AmountLabel} == {"deposit", "service_fee", "rate", "refund", "other"}
    assert all(str(kind.label) for kind in Kind)
    found = suggest(["押金299元"], TODAY)[0]
    assert type(found.kind) is str and type(found.label) is str  # plain strings, for JSON and the database


# --- Properties, on noise ------------------------------------------------------------------------------

SAMPLE = (
    "押金服务费流量费退返刷满万元¥￥年月日号：:，,。（）()-—% 0123456789０１２３OoIl有限公司股份拉卡拉SN商户号终端号\n"
)


def noisy_lines(rng):
    return ["".join(rng.choice(SAMPLE) for _ in range(rng.randint(0, 60))).replace("\n", "") for _ in range(8)]


def test_every_suggestion_points_at_its_line_on_random_noise():
    """Whatever OCR returns, each suggestion's span lies in its line, and the list is ordered and unique."""
    rng = random.Random(20)
    for _ in range(300):
        lines = noisy_lines(rng)
        found = suggest(lines, TODAY)
        assert len({(item.kind, item.value) for item in found}) == len(found)
        assert [(item.line, item.start) for item in found] == sorted((item.line, item.start) for item in found)
        for item in found:
            assert 0 <= item.start < item.end <= len(lines[item.line])
            assert item.value and len(item.context) <= 30
            assert item.kind in Kind.values
            assert item.label in (AmountLabel.values if item.kind == Kind.AMOUNT else PromiseLabel.values + [""])


def full_width(text):
    """ASCII as full-width, but the comma: "，" is read as a Chinese comma, never a thousands mark."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" and char not in "\\," else char for char in text)


@pytest.mark.parametrize("transcript", [CHAT, CONTRACT], ids=["chat", "contract"])
def test_full_width_text_offers_the_same_facts(transcript):
    """OCR may return every digit and letter full-width: the facts and spans do not change."""
    wide = [full_width(line) for line in transcript]
    assert [unicodedata.normalize("NFKC", line) for line in wide] != wide
    plain = [replace(item, context="") for item in suggest(transcript, TODAY)]
    assert [replace(item, context="") for item in suggest(wide, TODAY)] == [
        replace(item, value=full_width(item.value)) if item.kind == Kind.PROMISE else item for item in plain
    ]


def test_a_long_screenshot_is_read_quickly():
    lines = CHAT * 100 + CONTRACT * 100
    started = time.perf_counter()
    assert len(suggest(lines, TODAY)) == len(suggest(CHAT + CONTRACT, TODAY))
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    "line",
    [
        "1" * 100000,
        "1 " * 50000,
        "O1" * 50000,
        "O" * 100000 + "1",
        "三" * 100000 + "个月内",
        "〇" * 5000 + "元",
        "万分之" + "〇" * 5000,
        "押金 " * 30000,
        "¥" + "1 " * 50000,
        "5" * 100000 + "万",
        "信用代码：" + "A1 " * 30000,
        "有限公司" * 20000,
    ],
    ids=lambda line: line[:6],
)
def test_long_noise_is_read_in_linear_time(line):
    """No pattern backtracks over a long run: each of these took minutes before it was bounded."""
    started = time.perf_counter()
    suggest([line], TODAY)
    assert time.perf_counter() - started < 3
