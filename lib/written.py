"""Amounts and dates as letters write them: 人民币壹仟贰佰元整, 2026年11月21日."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ["", "拾", "佰", "仟"]
BIG_UNITS = ["", "万", "亿", "万亿"]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _group(number: int) -> str:
    """0 < number < 10000 in capitals, with 零 for inner gaps: 1005 -> 壹仟零伍."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + SMALL_UNITS[position]
    return text


def rmb_upper(amount: Decimal | int | str) -> str:
    """Chinese financial capitals for an amount in yuan: Decimal('1200') -> '人民币壹仟贰佰元整'."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("amount must not be negative")
    fen_total = int(amount * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    text = ""
    if yuan:
        groups = []
        while yuan:
            yuan, part = divmod(yuan, 10000)
            groups.append(part)
        pending_zero = False
        for index in range(len(groups) - 1, -1, -1):
            part = groups[index]
            if part == 0:
                pending_zero = bool(text)
                continue
            if text and (pending_zero or part < 1000):
                text += "零"
            text += _group(part) + BIG_UNITS[index]
            pending_zero = False
        text += "元"
    if not jiao and not fen:
        return "人民币" + (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return "人民币" + text


def figures(amount: Decimal | int | str) -> str:
    """Decimal('1200') -> '1,200.00'."""
    return f"{Decimal(amount):,.2f}"


def chinese_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def english_date(day: datetime.date | None) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}" if day else ""


# Reading amounts back: the reverse of rmb_upper(), for text a merchant photographed or typed.
NUMERALS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
NUMERAL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
WORDS_LONGEST = 40  # longer than any amount rmb_upper() writes below 10¹⁶ yuan: not a number but noise


def integer_from_words(text: str) -> int | None:
    """A whole number written in Chinese numerals, capitals or not: 贰佰玖拾玖 -> 299, 二〇二五 -> 2025.

    Also the spoken shorthand (一百五 -> 150, 两万五 -> 25000). None when the text is not a number.
    """
    if len(text) > WORDS_LONGEST:
        return None
    if text and all(char in NUMERALS for char in text):  # read digit by digit: 二〇二五
        return int("".join(str(NUMERALS[char]) for char in text))
    return _words_value(text)


def _words_value(text: str) -> int | None:
    """Numerals with units: split at the first 万亿, 亿, then 万 (as rmb_upper() writes them, 1万亿 = 10¹²)."""
    for big, size in (("万亿", 10**12), ("亿", 10**8), ("万", 10**4)):
        head, found, tail = text.partition(big)
        if not found:
            continue
        high = _words_value(head) if head else None
        if not high:
            return None
        if len(tail) == 1 and tail in NUMERALS and NUMERALS[tail]:
            low: int | None = NUMERALS[tail] * size // 10  # 两万五 = 两万五千
        else:
            low = _words_value(tail.lstrip("零〇")) if tail.strip("零〇") else 0
        return None if low is None or low >= size else high * size + low
    return _section_value(text)


def _section_value(text: str) -> int | None:
    """0 < number < 10000 with 十百千 (capitals or not): 壹仟零伍 -> 1005, 一百五 -> 150."""
    if not text:
        return None
    value = 0
    digit: int | None = None
    unit = 10**4  # units must fall: 百 after 千, never 千 after 百
    zero = False
    for char in text:
        if char in NUMERALS:
            if digit:  # two digits in a row (二五) only make sense without units
                return None
            digit = NUMERALS[char]
            zero = zero or digit == 0
        elif char in NUMERAL_UNITS and NUMERAL_UNITS[char] < unit:
            unit = NUMERAL_UNITS[char]
            value += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    if digit:
        # 一百五 (= 一百五十): a digit right after a unit counts in the next unit down; 一百零五 is 105.
        value += digit * (unit // 10 if 100 <= unit < 10**4 and not zero else 1)
    return value


def amount_from_words(text: str) -> Decimal | None:
    """An amount in Chinese words, in yuan: '人民币贰佰玖拾玖元整' -> Decimal('299.00'); None if it is not one.

    Reads what rmb_upper() writes and the everyday forms (两百九十九元, 三千块, 五毛, 五毛钱, 三块钱).
    """
    words = text.strip().removeprefix("人民币").removesuffix("整").removesuffix("正").removesuffix("钱")
    if len(words) > WORDS_LONGEST:
        return None
    yuan_text, sep, rest = words, "", ""
    for mark in ("元", "圆", "块"):
        if mark in words:
            yuan_text, sep, rest = words.partition(mark)
            break
    if not sep:
        yuan_text, rest = "", words
    yuan = _words_value(yuan_text) if yuan_text.strip("零〇") else 0
    if yuan is None or (sep and not yuan_text and not rest.strip("零〇")):
        return None
    cents = 0
    for unit, size in (("角", 10), ("毛", 10), ("分", 1)):
        if unit not in rest:
            continue
        head, _, rest = rest.partition(unit)
        head = head.lstrip("零〇")
        if len(head) != 1 or head not in NUMERALS:
            return None
        cents += NUMERALS[head] * size
    if rest.strip("零〇") or not (sep or cents):
        return None
    return (Decimal(yuan) + Decimal(cents) / 100).quantize(Decimal("0.01"))
