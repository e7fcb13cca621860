"""Amounts in words read back: the reverse of rmb_upper(), for text photographed from contracts and chats."""

import random
from decimal import Decimal

import pytest

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
