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
