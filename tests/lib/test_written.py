"""Amounts in words read back: the reverse of rmb_upper(), for text photographed from contracts and chats."""

import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.written import amount_from_words, integer_from_words, rmb_upper


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("贰佰玖拾玖", 299),
        ("二百九十九", 299),
        ("十五", 15),
        ("三十一", 31),
        ("壹仟零伍", 1005),
        ("一千零五十", 1050),
        ("两万", 20000),
        ("五万", 50000),
        ("一亿二千万", 120000000),
        ("壹万亿", 10**12),
        ("二〇二五", 2025),  # a year, digit by digit
        ("一百五", 150),  # spoken shorthand: 一百五十
        ("两万五", 25000),
        ("三千二", 3200),
    ],
)
def test_whole_numbers_in_words(words, number):
    assert integer_from_words(words) == number


@pytest.mark.parametrize("words", ["", "元", "二五十", "十百", "押金", "万", "〇" * 5000, "一" * 41])
def test_what_is_not_a_number(words):
    assert integer_from_words(words) is None


@pytest.mark.parametrize(
    ("words", "amount"),
    [
        ("人民币贰佰玖拾玖元整", "299.00"),
        ("人民币壹仟肆佰零捌元壹角贰分", "1408.12"),
        ("人民币壹元零伍分", "1.05"),
        ("人民币伍角", "0.50"),
        ("人民币零元整", "0.00"),
        ("两百九十九元", "299.00"),
        ("四十九元", "49.00"),
        ("三千块", "3000.00"),
        ("二百五十块钱", "250.00"),
        ("五万元", "50000.00"),
        ("五毛", "0.50"),
        ("叁佰圆正", "300.00"),
    ],
)
def test_amounts_in_words(words, amount):
    assert amount_from_words(words) == Decimal(amount)


@pytest.mark.parametrize(
    "words", ["元", "人民币", "押金", "二五元", "贰佰元叁", "伍角伍角", "三个月", "一" * 5000 + "元"]
)
def test_what_is_not_an_amount(words):
    assert amount_from_words(words) is None


def test_every_amount_rmb_upper_writes_reads_back():
    """A property checked on edge cases and a fixed random sample: amount_from_words(rmb_upper(a)) == a."""
    rng = random.Random(20)
    edges = [0, 1, 10, 100, 1000, 10000, 100000, 10**8, 10**8 + 1, 10**12, 100000001, 1000000010]
    cents = [*edges, *(edge + 5 for edge in edges), *(rng.randrange(10 ** rng.randint(1, 15)) for _ in range(3000))]
    for fen in cents:
        amount = Decimal(fen) / 100
        assert amount_from_words(rmb_upper(amount)) == amount, rmb_upper(amount)


def test_an_amount_ending_in_qian_is_read_as_said():
    """钱 closes an everyday amount after any unit: 三块钱, 五毛钱, 三块五毛钱."""
    for words, amount in (("五毛钱", "0.50"), ("三块五毛钱", "3.50"), ("两块钱", "2.00"), ("一分钱", "0.01")):
        assert amount_from_words(words) == Decimal(amount), words
    assert amount_from_words("钱") is None


# ----- the edges of reading --------------------------------------------------------------------------------

NINES = "玖仟玖佰玖拾玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"  # 37 characters


def test_the_longest_text_read_is_forty_characters():
    assert integer_from_words("一" * 40) == int("1" * 40)  # digit by digit
    assert amount_from_words("零零零" + NINES) == Decimal("9999999999999999.99")  # 40 characters
    assert amount_from_words("零零零零" + NINES) is None  # 41: noise
    assert amount_from_words("人民币零零零" + NINES + "整") == Decimal("9999999999999999.99")  # 人民币 and 整 aside


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("千百", 1100),  # units without digits count one each
        ("一万零五", 10005),
        ("一万〇〇五", 10005),
        ("一万零五百", 10500),
        ("一亿零五万", 100050000),
        ("一亿五千万零五", 150000005),
        ("十万零五", 100005),
        ("五万零", 50000),
        ("一万五千五", 15500),
        ("一万十", 10010),  # a unit alone after 万 is that many, not a shorthand digit
    ],
)
def test_numbers_with_zeros_and_bare_units(words, number):
    value = integer_from_words(words)
    assert value == number and isinstance(value, int)


@pytest.mark.parametrize(
    "words", ["一百百", "十百", "两万五千万", "一万二万", "亿五", "万五", "零万", "一万一万", "一万五零", "一万X", "X"]
)
def test_units_out_of_order_or_twice_are_not_a_number(words):
    assert integer_from_words(words) is None


def test_spoken_shorthand_is_a_whole_number():
    for words, number in (("一百五", 150), ("两万五", 25000), ("三千二", 3200), ("一亿二", 120000000)):
        value = integer_from_words(words)
        assert value == number and isinstance(value, int), words


@pytest.mark.parametrize(
    ("words", "amount"),
    [
        ("零元伍角", "0.50"),
        ("〇元", "0.00"),
        ("元伍角", "0.50"),
        ("零伍分", "0.05"),
        ("人民币零伍分", "0.05"),
        ("伍角零", "0.50"),
        ("壹佰元零伍分", "100.05"),
        ("五块五毛", "5.50"),
        ("三块钱", "3.00"),
        ("人民币零零壹元整", "1.00"),
        (" 人民币壹元整 ", "1.00"),
    ],
)
def test_amounts_with_zeros_and_everyday_words(words, amount):
    assert amount_from_words(words) == Decimal(amount)


@pytest.mark.parametrize(
    "words", ["元零", "伍角伍", "壹元伍", "元", "伍伍角", "角", "三块钱五毛钱块", "十角", "X元", "元伍角X", "X五角"]
)
def test_half_amounts_are_not_amounts(words):
    assert amount_from_words(words) is None


numerals = st.text(
    st.sampled_from("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟元圆块角毛分钱整正人民币 ")
)


@given(words=numerals)
def test_reading_any_jumble_of_numerals_never_fails(words):
    """Text read from a photo can hold any mix: the answer is a number or None, never an error."""
    number = integer_from_words(words)
    assert number is None or (isinstance(number, int) and number >= 0)
    amount = amount_from_words(words)
    assert amount is None or (amount >= 0 and amount == amount.quantize(Decimal("0.01")))
