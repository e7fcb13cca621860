"""Facts offered from the text of a screenshot (issue 20): sums, dates, companies, codes, phones, promises.

The lines come from OCR of the merchant's evidence: a chat with the agent, a contract's small print,
settlement records, a text message. ``suggest()`` reads them and offers what it recognises. Nothing
is applied: each ``Suggestion`` names the line and the span it came from, for the merchant to confirm.

OCR noise it expects: full-width digits and punctuation (１２３：（）￥), spaces inside numbers, the
letter O read for a zero beside digits (l or I for a one between them), and a phrase broken across
two lines where the first line was full. A phrase broken that way is reported on the line where it
starts; its ``end`` is then the end of that line.

Pure: no database. It reads lib/ (China's clock, amounts in words) and escalation/ (the credit-code
check) only.
"""

from __future__ import annotations

import bisect
import datetime
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import pgettext_lazy

from escalation.models import validate_credit_code
from lib import chinatime
from lib.written import amount_from_words, integer_from_words


class Kind(models.TextChoices):
    AMOUNT = "amount", pgettext_lazy("fact read from evidence", "Amount")
    DATE = "date", pgettext_lazy("fact read from evidence", "Date")
    COMPANY = "company", pgettext_lazy("fact read from evidence", "Company name")
    CREDIT_CODE = "credit_code", pgettext_lazy("fact read from evidence", "Unified social credit code")
    PHONE = "phone", pgettext_lazy("fact read from evidence", "Phone number")
    MERCHANT_NUMBER = "merchant_number", pgettext_lazy("fact read from evidence", "Merchant number")
    TERMINAL_SERIAL = "terminal_serial", pgettext_lazy("fact read from evidence", "Terminal serial number")
    PROMISE = "promise", pgettext_lazy("fact read from evidence", "Promise")


class AmountLabel(models.TextChoices):
    """What the words around a sum say it is (deposit, service_fee and other match cases' Charge.Kind)."""

    DEPOSIT = "deposit", pgettext_lazy("sum read from evidence", "Deposit")
    SERVICE_FEE = "service_fee", pgettext_lazy("sum read from evidence", "Service, activation or other fee")
    RATE = "rate", pgettext_lazy("sum read from evidence", "Card rate")
    REFUND = "refund", pgettext_lazy("sum read from evidence", "Refund")
    OTHER = "other", pgettext_lazy("sum read from evidence", "Other sum")


class PromiseLabel(models.TextChoices):
    """The kind of promise a sentence makes (domain.md §5 and §8.7)."""

    PERIOD_TARGET = (
        "period_target",
        pgettext_lazy("promise read from evidence", "Refund if a trading volume is reached within a period"),
    )
    SWIPE_TARGET = "swipe_target", pgettext_lazy("promise read from evidence", "Refund after swiping a set amount")
    TARGET_MET = "target_met", pgettext_lazy("promise read from evidence", "Refund once the target is met")
    ACTIVATION_CASHBACK = "activation_cashback", pgettext_lazy("promise read from evidence", "Cash back on activation")
    DEPOSIT_REFUNDABLE = "deposit_refundable", pgettext_lazy("promise read from evidence", "The deposit is refundable")
    FIXED_RATE = "fixed_rate", pgettext_lazy("promise read from evidence", "The card rate will not change")
    FREE_OF_CHARGE = "free_of_charge", pgettext_lazy("promise read from evidence", "Free of charge")


@dataclass(frozen=True)
class Suggestion:
    """One fact offered to the merchant, with the line (0-based) and the span of that line it came from."""

    kind: str
    value: str
    line: int
    start: int
    end: int
    label: str
    context: str


def suggest(lines: Sequence[str], today: datetime.date | None = None) -> list[Suggestion]:
    """The facts ``lines`` offer, in reading order; a kind and value offered once (where first seen).

    ``today`` dates a day written without its year (3月1日): the latest such day not after it.
    """
    text = _Text.of(lines)
    claims = _Claims()
    today = today or chinatime.today()
    found: list[tuple[int, Suggestion]] = []
    for reader in READERS:
        found.extend(reader(text, claims, today))
    found.sort(key=lambda item: (item[0], KIND_ORDER.index(item[1].kind)))
    seen: set[tuple[str, str]] = set()
    offered = []
    for _, suggestion in found:
        if (suggestion.kind, suggestion.value) not in seen:
            seen.add((suggestion.kind, suggestion.value))
            offered.append(suggestion)
    return offered


KIND_ORDER: list[str] = [
    Kind.PROMISE,
    Kind.COMPANY,
    Kind.CREDIT_CODE,
    Kind.MERCHANT_NUMBER,
    Kind.TERMINAL_SERIAL,
    Kind.PHONE,
    Kind.DATE,
    Kind.AMOUNT,
]

# --- The text: lines joined where a phrase runs on, and a copy with OCR's noise evened out -------------

CONTEXT_WIDTH = 30
# A line at least this share of the widest line's width is full: a phrase at its end may go on below. That
# is believed only where two lines or more are full (a bubble's or a page's width, not one long message).
WRAP_SHARE = 0.85
WRAP_MIN_WIDTH = 16  # lines narrower than this (in half-width columns) never wrap
ENDS_A_LINE = set("。!?;:…")
SEPARATOR = "\n"  # between lines that do not run on: no pattern matches across it
FIX_ZERO = re.compile(r"(?<=\d)[Oo〇]+|(?<![Oo〇])[Oo〇]+(?=\d)")
FIX_ONE = re.compile(r"(?<=\d)[lI|](?=\d)")
DASHES = str.maketrans({char: "-" for char in "‐‑‒–—―−－"})


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _half_width(char: str) -> str:
    """NFKC, one character for one (so spans stay put); the Chinese comma stays, as it is no thousands mark."""
    if char == "，":
        return char
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


@dataclass(frozen=True)
class _Text:
    lines: tuple[str, ...]
    raw: str  # the lines as read, joined (SEPARATOR between those that do not run on)
    norm: str  # the same length: half-width, dashes as "-", O read as 0 beside digits
    where: tuple[tuple[int, int], ...]  # (line, column) of each character of raw

    @classmethod
    def of(cls, lines: Sequence[str]) -> _Text:
        lines = tuple(lines)
        widths = [_width(line.strip()) for line in lines]
        widest = max(widths, default=0)
        full = [widest >= WRAP_MIN_WIDTH and width >= WRAP_SHARE * widest for width in widths]
        if sum(full) < 2:
            full = [False] * len(lines)
        chars: list[str] = []
        where: list[tuple[int, int]] = []
        for index, line in enumerate(lines):
            chars.extend(line)
            where.extend((index, column) for column in range(len(line)))
            if index + 1 < len(lines) and not (full[index] and _runs_on(line, lines[index + 1])):
                chars.append(SEPARATOR)
                where.append((index, len(line)))
        raw = "".join(chars)
        norm = "".join(_half_width(char) for char in raw).translate(DASHES)
        for _ in range(2):  # 2OO5 -> 2005; a second round for 1lO (a one, then a zero beside it)
            norm = FIX_ONE.sub("1", FIX_ZERO.sub(lambda run: "0" * len(run[0]), norm))
        return cls(lines, raw, norm, tuple(where))

    def suggestion(self, kind: str, value: str, start: int, end: int, label: str = "") -> tuple[int, Suggestion]:
        """(position in the text, the suggestion) for the span start:end of the joined text."""
        line, column = self.where[start]
        last_line, last_column = self.where[end - 1]
        stop = last_column + 1 if last_line == line else len(self.lines[line])
        context = self.context(start, end)
        return start, Suggestion(str(kind), value, line, column, stop, str(label), context)

    def context(self, start: int, end: int) -> str:
        """The words around start:end, within its paragraph, at most CONTEXT_WIDTH characters."""
        first = self.raw.rfind(SEPARATOR, 0, start) + 1
        last = self.raw.find(SEPARATOR, end)
        last = len(self.raw) if last < 0 else last
        room = max(CONTEXT_WIDTH - (end - start), 0)
        right = min(room - min(room // 2, start - first), last - end)
        left = min(room - right, start - first)
        return " ".join(self.raw[start - left : end + right].split())[:CONTEXT_WIDTH]


def _runs_on(line: str, following: str) -> bool:
    """Whether the phrase at the end of a full ``line`` goes on at the start of ``following``."""
    head, tail = line.rstrip(), following.lstrip()
    if not head or not tail:
        return False
    last = _half_width(head[-1])
    # A line that ends in a figure or a code is taken as complete: a table's rows end in them, and its next
    # row must not run into it (a sum broken at the line's end is read without its unit, 押金299 / 元).
    return last not in ENDS_A_LINE and not (last.isascii() and (last.isalnum() or last in "%."))


@dataclass
class _Claims:
    """Spans of the text taken by a number already read: a phone or a date is no sum."""

    starts: list[int] = field(default_factory=list)  # the spans never overlap: kept in order of their starts
    ends: list[int] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start)
        return (index == 0 or self.ends[index - 1] <= start) and (
            index == len(self.starts) or end <= self.starts[index]
        )

    def take(self, start: int, end: int) -> None:
        """Take a free span (the caller asked free() first)."""
        index = bisect.bisect_right(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


Found = Iterator[tuple[int, Suggestion]]
Reader = Callable[[_Text, _Claims, datetime.date], Found]

# --- Codes after their keyword: credit codes, merchant numbers, terminal serials ---------------------------

CODE = r"(?P<code>[0-9A-Za-z](?:[0-9A-Za-z-]|(?<=\d) (?=\d))*)"
CODE_GAP = r"[\s:#=是为]*"
CREDIT_KEYWORD = re.compile(
    r"(?:统一社会信用代码|社会信用代码|信用代码|纳税人识别号|税号)(?:\([^()]{0,6}\))?[^0-9A-Za-z\n]{0,4}?"
    r"(?P<code>(?:[0-9A-Za-z][ -]?){17}[0-9A-Za-z])(?![0-9A-Za-z])"
)
CREDIT_BARE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])")
MERCHANT = re.compile(r"(?:商户号|商户编号|商户编码|商户代码|商编|(?<![A-Za-z])MID(?![A-Za-z]))码?" + CODE_GAP + CODE)
SERIAL = re.compile(
    r"(?:终端序列号|终端编号|终端号码|终端号|终端SN|机身序列号|机身编号|机身号码|机身号|机具编号|机具号|机器编号|设备编号"
    r"|序列号|(?<![A-Za-z])(?:S/N|SN)(?:号|码)?(?![A-Za-z]))"
    r"(?: ?(?:S/N|SN)(?:号|码)?(?![A-Za-z]))?" + CODE_GAP + CODE,
    re.IGNORECASE,
)


def _credit_code(code: str) -> str | None:
    code = re.sub(r"[ -]", "", code).upper()
    try:
        validate_credit_code(code)
    except ValidationError:
        return None
    return code


def _credit_codes(text: _Text, claims: _Claims, today: datetime.date) -> Found:
    for match in CREDIT_KEYWORD.finditer(text.norm):
        start, end = match.span("code")
        if not claims.free(start, end):
            continue
        claims.take(start, end)
        if code := _credit_code(match["code"]):
            yield text.suggestion(Kind.CREDIT_CODE, code, start, end)
    for match in CREDIT_BARE.finditer(text.norm):
        code = match[0].upper()
        # Without the keyword, 18 digits (or 17 and X) are more likely a resident ID number.
        if not claims.free(*match.span()) or code[:17].isdigit():
            continue
        claims.take(*match.span())
        if valid := _credit_code(code):
            yield text.suggestion(Kind.CREDIT_CODE, valid, *match.span())


def _keyed_codes(pattern: re.Pattern[str], kind: str, sizes: range, strip: str) -> Reader:
    def read(text: _Text, claims: _Claims, today: datetime.date) -> Found:
        for match in pattern.finditer(text.norm):
            start, end = match.span("code")
            code = re.sub(f"[{strip}]", "", match["code"]).strip("-").upper()
            if len(code) in sizes and any(char.isdigit() for char in code) and claims.free(start, end):
                claims.take(start, end)
                yield text.suggestion(kind, code, start, end)

    return read


_merchant_numbers = _keyed_codes(MERCHANT, Kind.MERCHANT_NUMBER, range(12, 21), " -")
_terminal_serials = _keyed_codes(SERIAL, Kind.TERMINAL_SERIAL, range(6, 31), " ")

# --- Phones ----------------------------------------------------------------------------------------------

MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z])")
LANDLINE = re.compile(r"(?<![0-9A-Za-z])(?:\((0\d{2,3})\)|(0\d{2,3})[ -]) ?(\d{7,8})(?![0-9A-Za-z])")
HOTLINE = re.compile(r"(?<![0-9A-Za-z])([48]00)[ -]?(\d{3})[ -]?(\d{4})(?![0-9A-Za-z])")
# 95xxx (banks, acquirers), 96110 (anti-fraud), 123xx (12363, 12315): only where the words say it is a number to call.
SHORT_NUMBER = re.compile(
    r"(?:客服|热线|电话|拨打|致电|打|投诉|举报|联系)[^0-9\n,，。;!?]{0,6}?(?<![0-9])(?P<number>95\d{3}|96\d{3}|123\d{2})"
    r"(?![0-9A-Za-z])"
)


def _phones(text: _Text, claims: _Claims, today: datetime.date) -> Found:
    numbers: list[tuple[int, int, str]] = []
    numbers += [(*match.span(), "".join(match.groups())) for match in MOBILE.finditer(text.norm)]
    for match in LANDLINE.finditer(text.norm):
        area = match[1] or match[2]
        if len(area) == (3 if area[1] in "12" else 4):  # 010 and 02x have three digits, the others four
            numbers.append((*match.span(), f"{area}-{match[3]}"))
    numbers += [(*match.span(), "-".join(match.groups())) for match in HOTLINE.finditer(text.norm)]
    numbers += [(*match.span("number"), match["number"]) for match in SHORT_NUMBER.finditer(text.norm)]
    for start, end, number in sorted(numbers):
        if claims.free(start, end):
            claims.take(start, end)
            yield text.suggestion(Kind.PHONE, number, start, end)


# --- Dates -----------------------------------------------------------------------------------------------

CN_DIGITS = "〇零一二三四五六七八九"
CN_DAY = "[一二三四五六七八九十]{1,3}"
FULL_DATE = re.compile(r"(?<!\d)(\d{4}|\d{2}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?(?:日|号)?(?!\d)")
FULL_DATE_WORDS = re.compile(f"([{CN_DIGITS}]{{4}})年({CN_DAY})月({CN_DAY})[日号]")
NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])")
COMPACT_DATE = re.compile(r"(?:日期|时间)[\s:]*(20\d{2})(\d{2})(\d{2})(?!\d)")
SHORT_YEAR_DATE = re.compile(r"(?<![\d.])(\d{2})([-/.])(\d{1,2})\2(\d{1,2})(?![\d.])")
MONTH_DAY = re.compile(r"(?<![\d年.])(\d{1,2}) ?月 ?(\d{1,2}) ?(?:日|号)")
MONTH_DAY_WORDS = re.compile(f"(?<![{CN_DIGITS}十年])({CN_DAY})月({CN_DAY})[日号]")
PLAUSIBLE_YEARS = 10  # a two-digit-year date must have one reading within this many years before today


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _without_year(month: int, day: int, today: datetime.date) -> datetime.date | None:
    """3月1日: this year's, or last year's if this year's is still to come."""
    found = _day(today.year, month, day)
    if found and found > today:
        found = _day(today.year - 1, month, day)
    return found


def _short_year(first: int, second: int, third: int, today: datetime.date) -> datetime.date | None:
    """25.3.1: offered only when one reading (y.m.d, d.m.y, m.d.y) falls in the last PLAUSIBLE_YEARS years."""
    earliest = today.replace(year=today.year - PLAUSIBLE_YEARS, day=min(today.day, 28))
    readings = {_day(2000 + first, second, third), _day(2000 + third, second, first), _day(2000 + third, first, second)}
    plausible = {day for day in readings if day and earliest <= day <= today}
    return plausible.pop() if len(plausible) == 1 else None


def _word_int(words: str) -> int:
    return integer_from_words(words) or 0


def _dates(text: _Text, claims: _Claims, today: datetime.date) -> Found:
    readers: list[tuple[re.Pattern[str], Callable[[re.Match[str]], datetime.date | None]]] = [
        (FULL_DATE, lambda m: _day(int(m[1]) + (2000 if len(m[1]) == 2 else 0), int(m[2]), int(m[3]))),
        (FULL_DATE_WORDS, lambda m: _day(_word_int(m[1]), _word_int(m[2]), _word_int(m[3]))),
        (NUMERIC_DATE, lambda m: _day(int(m[1]), int(m[3]), int(m[4]))),
        (COMPACT_DATE, lambda m: _day(int(m[1]), int(m[2]), int(m[3]))),
        (SHORT_YEAR_DATE, lambda m: _short_year(int(m[1]), int(m[3]), int(m[4]), today)),
        (MONTH_DAY, lambda m: _without_year(int(m[1]), int(m[2]), today)),
        (MONTH_DAY_WORDS, lambda m: _without_year(_word_int(m[1]), _word_int(m[2]), today)),
    ]
    for pattern, read in readers:
        for match in pattern.finditer(text.norm):
            start, end = match.start(1) if pattern is COMPACT_DATE else match.start(), match.end()
            if not claims.free(start, end):
                continue
            claims.take(start, end)  # taken even when not a real day (2月30日): it is no sum either
            day = read(match)
            if day and 1990 <= day.year <= 2100:
                yield text.suggestion(Kind.DATE, day.isoformat(), start, end)


# --- Sums and rates --------------------------------------------------------------------------------------

CN_NUMERALS = "〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
CN_DIGIT = "[一二两三四五六七八九壹贰叁肆伍陆柒捌玖]"
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:，\d{3})+\.\d+|\d+(?:\.\d+)?)"
# Beside a currency mark, OCR's stray spaces between digits are read through: ¥2 99, 1 408.12元.
MARKED_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:，\d{3})+(?=\.)|\d(?:\d| (?=\d)){0,15})(?:\.\d+)?"
NOT_AFTER = r"(?<![0-9A-Za-z.,，])(?<!\d )"  # not inside a number, spaced or not
CURRENCY_BEFORE = re.compile(r"(?:¥|RMB|CNY|人民币) ?(?P<n>" + MARKED_NUMBER + r")(?: ?(?:元|圆|块))?(?![0-9A-Za-z])")
CURRENCY_AFTER = re.compile(NOT_AFTER + r"(?P<n>" + MARKED_NUMBER + r") ?(?P<wan>万|w|W)? ?(?:元|圆|块|RMB)")
WAN = re.compile(NOT_AFTER + r"(?P<n>" + NUMBER + r") ?(?P<wan>万|w|W)(?![A-Za-z元圆块])")
DECIMALS = re.compile(
    NOT_AFTER + r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d{1,3}(?:，\d{3})+\.\d{2}|\d+\.\d{2})(?![0-9A-Za-z.%])"
)
WORDS = re.compile(
    f"(?:人民币)?(?:(?<![{CN_NUMERALS}])[{CN_NUMERALS}]+(?:元|圆|块)(?:[零〇]?{CN_DIGIT}(?:角|毛))?(?:[零〇]?{CN_DIGIT}分)?"
    f"|(?<=人民币){CN_DIGIT}角(?:[零〇]?{CN_DIGIT}分)?|(?<=人民币){CN_DIGIT}分)(?:整|正)?"
)
WORDS_WAN = re.compile(f"(?<=[满够到达])[{CN_NUMERALS}]+万(?![元圆块])")
FILLER = r"(?:[\s:=]|是|为|了|共|计|约|人民币|¥)*"
MONEY_WORDS = (
    "押金|保证金|服务费|年费|激活费|流量费|会员费|卡费|手续费|费用|金额|扣款|扣除|扣了|扣|收取|收了|收|交了|付了"
    "|共计|合计|实收|实付|到账|退还|退回|退款|退了|退|返还|返现|返"
)
KEYED = re.compile(
    f"(?:{MONEY_WORDS}){FILLER}(?P<n>{NUMBER})(?![0-9A-Za-z.,])"
    r"(?! ?(?:个|台|天|月|年|日|号|次|笔|期|%|点|倍|张|部|人|家|条|万|w|W|元|圆|块))"
)
PERCENT = re.compile(r"(?<![0-9A-Za-z.])(?P<n>\d+(?:\.\d+)?) ?(?:%|个百分点|个点)")
PER_MILLE = re.compile(f"(?P<per>万分之|千分之) ?(?P<n>\\d+(?:\\.\\d+)?|[{CN_NUMERALS}]+)")
RATE_KEYED = re.compile(
    r"(?:刷卡费率|手续费率|费率|扣率)(?:[\s:=]|是|为|按|调整为|调整到|调为|调到|涨到|涨至|变成|变为|上调至|上调为|上调到|调至|只有|仅"
    r"|永久|终身|一直|固定|都是)*"
    r"(?P<n>\d+(?:\.\d+)?)(?![0-9A-Za-z.%])(?! ?(?:个点|元|块|万))"
)
RATE_WORDS = re.compile("费率|扣率|手续费|费|扣|点")
MAX_RATE = Decimal(10)  # a card rate is a few per cent; 100% is a figure of speech
MAX_AMOUNT = Decimal(10**12)  # more is no sum but a long run of digits
DEPOSIT_WORDS = "服务费押金|激活押金|押金|保证金|冻结资金|冻结金额|冻结"
FEE_WORDS = (
    "服务费|年费|激活费|开通费|流量费|通讯费|通信费|会员费|SIM卡费|物联网卡费|流量卡费|卡费|机具费|机器费|购机款"
    "|礼包费|礼包|手续费|月租|年租"
)
REFUND_WORDS = "退还|退回|退款|返还|返现|返款|退|返"
NOUNS = f"(?P<deposit>{DEPOSIT_WORDS})|(?P<service_fee>{FEE_WORDS})"
LABEL_WORDS = re.compile(f"{NOUNS}|(?P<refund>{REFUND_WORDS})", re.IGNORECASE)
# Words that name a sum without saying what it is for: the sum after them is theirs, and so no other word's.
NEUTRAL_WORDS = "交易金额|结算金额|金额|费用|合计|共计|总计|实收|实付|到账|总额|余额|价格|价款|单价|货款"
LABEL_BEFORE = re.compile(f"(?:{LABEL_WORDS.pattern}|(?P<other>{NEUTRAL_WORDS})){FILLER}$", re.IGNORECASE)
NOUN = re.compile(NOUNS, re.IGNORECASE)
NOUN_AFTER = re.compile(f"[\\s的]*(?:{NOUNS})", re.IGNORECASE)
CLAUSE_BREAKS = set("，,。;!?、\n")
LEFT_WINDOW, RIGHT_WINDOW = 16, 6


def _decimal(number: str) -> Decimal | None:
    try:
        value = Decimal(re.sub(r"[ ,，]", "", number))
    except InvalidOperation:
        return None
    return value if value < MAX_AMOUNT else None


def _yuan(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


def _percent(rate: Decimal) -> str:
    """0.6 -> '0.60%', 0.625 -> '0.625%'."""
    cents = rate.quantize(Decimal("0.01"))
    return f"{cents if cents == rate else rate.normalize()}%"


def _is_break(norm: str, index: int) -> bool:
    """A clause ends at norm[index] (a comma between digits is a thousands mark)."""
    char = norm[index]
    if char == "," and 0 < index < len(norm) - 1 and norm[index - 1].isdigit() and norm[index + 1].isdigit():
        return False
    return char in CLAUSE_BREAKS


def _clause_start(norm: str, start: int) -> int:
    """Where the clause holding norm[start] begins, at most LEFT_WINDOW characters back."""
    left = start
    while left > 0 and start - left < LEFT_WINDOW and not _is_break(norm, left - 1):
        left -= 1
    return left


def _amount_label(norm: str, start: int, end: int) -> str:
    """What the words beside a sum call it: the word just before it, else the noun just after, else the nearest."""
    if before := LABEL_BEFORE.search(norm, max(0, start - 12), start):
        return str(before.lastgroup)
    if after := NOUN_AFTER.match(norm, end, end + 8):
        return str(after.lastgroup)
    window = norm[_clause_start(norm, start) : start]
    # A word before an earlier sum in the same clause is that sum's.
    window = re.split(r"[\d元圆块]", window)[-1]
    if words := list(LABEL_WORDS.finditer(window)):
        return str(words[-1].lastgroup)
    # A noun a little after it (收了299元作为押金), unless a verb or another sum comes first.
    right = end
    while right < len(norm) and right - end < RIGHT_WINDOW and not _is_break(norm, right) and not norm[right].isdigit():
        right += 1
    if (word := LABEL_WORDS.search(norm, end, right)) and word.lastgroup != AmountLabel.REFUND:
        return str(word.lastgroup)
    return AmountLabel.OTHER


def _speaks_of_rates(norm: str, start: int) -> bool:
    return bool(RATE_WORDS.search(norm, _clause_start(norm, start), start))


def _amount_candidates(norm: str) -> Iterator[tuple[int, int, Decimal, bool]]:
    """(start, end, value, whether it is a rate) for every way a sum or a rate may be written."""
    for pattern in (CURRENCY_BEFORE, CURRENCY_AFTER, WAN, DECIMALS, KEYED):
        for match in pattern.finditer(norm):
            value = _decimal(match["n"])
            if value is not None:
                wan = "wan" in match.groupdict() and match["wan"]
                span = match.span("n") if pattern is KEYED else match.span()
                yield *span, value * 10000 if wan else value, False
    for match in WORDS.finditer(norm):
        if (words := amount_from_words(match[0])) is not None:
            yield *match.span(), words, False
    for match in WORDS_WAN.finditer(norm):
        if whole := integer_from_words(match[0]):
            yield *match.span(), Decimal(whole), False
    for pattern in (PERCENT, RATE_KEYED):
        for match in pattern.finditer(norm):
            rate = _decimal(match["n"])
            # A whole per cent alone (a phone's battery, 5%) is a rate only where the words speak of one.
            whole_alone = pattern is PERCENT and "." not in match["n"] and not _speaks_of_rates(norm, match.start())
            if rate is not None and 0 < rate <= MAX_RATE and not whole_alone:
                yield *(match.span() if pattern is PERCENT else match.span("n")), rate, True
    for match in PER_MILLE.finditer(norm):
        parts = _decimal(match["n"]) if match["n"][0].isdigit() else integer_from_words(match["n"])
        if parts is not None:
            rate = Decimal(parts) / (100 if match["per"] == "万分之" else 10)
            if 0 < rate <= MAX_RATE:
                yield *match.span(), rate, True


def _amounts(text: _Text, claims: _Claims, today: datetime.date) -> Found:
    # Where two readings overlap, the one that starts first wins, then the longer (¥299.00 over 299.00), then a rate.
    candidates = sorted(_amount_candidates(text.norm), key=lambda c: (c[0], c[0] - c[1], not c[3]))
    for start, end, value, is_rate in candidates:
        if value >= MAX_AMOUNT or not claims.free(start, end):
            continue
        claims.take(start, end)
        if is_rate:
            yield text.suggestion(Kind.AMOUNT, _percent(value), start, end, AmountLabel.RATE)
        else:
            yield text.suggestion(Kind.AMOUNT, _yuan(value), start, end, _amount_label(text.norm, start, end))


# --- Company names ---------------------------------------------------------------------------------------

COMPANY_SUFFIX = re.compile(r"股 ?份 ?有 ?限 ?公 ?司|有 ?限 ?责 ?任 ?公 ?司|有 ?限 ?公 ?司")
BRANCH = re.compile(r" ?(?P<place>[\u4e00-\u9fff]{2,12}?)分 ?公 ?司")
NOT_IN_BRANCH = re.compile(r"公司|与|和|及|的|是|在|了")
NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()·&]")
NAME_LONGEST = 40
# A name starts after these: 机器是拉卡拉…, 你们的…, 我找了…
NAME_CUT = re.compile(
    r"是|的|了|由|跟|找|叫|被|把|让|说|问|我们|你们|他们|我司|本公司|贵公司|该公司|这家|那家|属于|来自|联系"
)
# Brackets inside a name hold a place, 汇通（上海）…; longer ones are a remark before it, （以下简称甲方）.
NOT_A_PLACE = re.compile(r"\([^()]{5,}\)|\([^()]*简称[^()]*\)")
NAME_NOISE = re.compile(
    r"(?:甲方|乙方|丙方|收款方|收款人|收款单位|付款方|付款人|收单机构|收单方|服务商|代理商|服务机构|外包机构|签约方"
    r"|商户名称|公司名称|企业名称|单位名称|机构名称|账户名称|开户名称|开户名|户名|名称|合作方|委托方|受托方"
    r"|被投诉人|被投诉方|被申请人|被告|原告|投诉对象|对方|运营方|销售方|开票方)(?:\([^()]{0,8}\))?(?:为|是)?"
    r"|以及|与|和|及|同|或"
)


def _after_unopened_bracket(norm: str, start: int, end: int) -> int:
    """Where a name starts after a closing bracket whose opening one lies before it: 乙方)深圳… -> 深圳…."""
    depth = 0
    for index in range(start, end):
        if norm[index] == "(":
            depth += 1
        elif norm[index] == ")":
            depth -= 1
            if depth < 0:
                start, depth = index + 1, 0
    return start


def _companies(text: _Text, claims: _Claims, today: datetime.date) -> Found:
    norm = text.norm
    previous = 0  # a name starts after the company before it
    for match in COMPANY_SUFFIX.finditer(norm):
        name_end = match.start()
        while name_end > 0 and norm[name_end - 1] == " ":  # OCR's space between the name and its suffix
            name_end -= 1
        start = name_end
        while start > previous and name_end - start < NAME_LONGEST and NAME_CHAR.match(norm[start - 1]):
            start -= 1
        if cuts := list(NAME_CUT.finditer(norm, start, name_end)) + list(NOT_A_PLACE.finditer(norm, start, name_end)):
            start = max(cut.end() for cut in cuts)
        start = _after_unopened_bracket(norm, start, name_end)
        while noise := NAME_NOISE.match(norm, start, name_end):
            if noise.end() == start:
                break
            start = noise.end()
        name = norm[start:name_end]
        if sum("\u4e00" <= char <= "\u9fff" for char in name) < 2 or name.count("(") != name.count(")"):
            continue
        end = match.end()
        branch = BRANCH.match(norm, end)
        if branch and not NOT_IN_BRANCH.search(branch["place"]):
            end = branch.end()
        previous = end
        value = (name + norm[match.start() : end]).replace(" ", "").replace("(", "（").replace(")", "）")
        yield text.suggestion(Kind.COMPANY, value, start, end)


# --- Promises --------------------------------------------------------------------------------------------

SENTENCE_ENDS = re.compile(r"[。!?;\n]")
NOT = r"(?<![不没未无别拒])(?<!不予)(?<!不会)(?<!不能)(?<!不可)(?<!不给)(?<!不再)"
GIVES_BACK = NOT + r"(?:全额退还|全额退|全部退还|退还|退回|退给|退款|返还|返现|返给|返|退)"
# A sum swiped, not a time: 刷满3个月 is a period (and no volume promise).
VOLUME_FIGURES = "[\\d.,一二两三四五六七八九十百千万]"
VOLUME = VOLUME_FIGURES + r"+ ?(?:万|w|W|千|元|块)*(?!" + VOLUME_FIGURES + r"| ?个?(?:月|天|年|周))"
# 3个月内, 九十天之内 (a count starts where a run of digits or numerals starts: no backtracking into it)
PERIOD = (
    r"(?:(?<!\d)\d+|(?<![一二两三四五六七八九十半])[一二两三四五六七八九十半]+) ?个? ?(?:自然)?(?:月|天|日|年|周)"
    r" ?(?:内|之内|以内)"
)
PROMISES = [
    (
        PromiseLabel.PERIOD_TARGET,
        PERIOD + r".{0,20}?(?:交易|刷卡|刷|流水|消费)[^,，;]{0,6}?(?:满|够|达到|达|超过).{0,24}?" + GIVES_BACK,
    ),
    (
        PromiseLabel.SWIPE_TARGET,
        r"(?:刷满|刷够|刷到|刷卡满|刷卡达到|交易满|交易额满|交易达到|交易额达到|流水满|流水达到|累计满) ?"
        + VOLUME
        + ".{0,12}?"
        + GIVES_BACK,
    ),
    (PromiseLabel.TARGET_MET, r"(?:达标|达到标准|满足条件|完成考核|考核通过).{0,8}?" + GIVES_BACK),
    (PromiseLabel.ACTIVATION_CASHBACK, r"激活.{0,6}?" + NOT + r"(?:返现|返还|返|送)"),
    (
        PromiseLabel.DEPOSIT_REFUNDABLE,
        r"(?:押金|保证金).{0,15}?"
        + NOT
        + r"(?:可以退|可退|能退|会退|全额退还|全额退|全退|退还|退回|返还|退给|原路退|退)"
        + r"|(?<!请)(?<!要求)(?<!申请)(?<!催)"
        + NOT
        + r"(?:可退|可以退|能退|会退|全额退还|退还|返还|退回)(?:全部)?(?:押金|保证金)",
    ),
    (PromiseLabel.FIXED_RATE, r"(?:费率|手续费|扣率).{0,10}?(?:永久|终身|永不|不变|不涨|不会涨|不上调|不调整|锁定)"),
    (
        PromiseLabel.FREE_OF_CHARGE,
        r"(?<![不非])(?<!不是)(?<!并非)"
        r"(?:免费|零费用|0费用|零成本|0成本|不收(?:取)?任何费用|不收费|无押金|免押金|零押金|0押金|送机)",
    ),
]
PROMISE_PATTERNS = [(label, re.compile(pattern)) for label, pattern in PROMISES]
# A question or a complaint about the refund is no promise: 押金什么时候退, 押金一直没退.
NOT_A_PROMISE = re.compile(r"什么时候|何时|怎么|为什么|为何|还没|迟迟|一直|至今|多久|能不能|可不可以|是否")
QUESTION_ENDS = ("吗", "么", "呢")


def _sentences(norm: str) -> Iterator[tuple[int, int]]:
    start = 0
    for end in [match.start() for match in SENTENCE_ENDS.finditer(norm)] + [len(norm)]:
        yield start, end
        start = end + 1


def _promises(text: _Text, claims: _Claims, today: datetime.date) -> Found:
    norm = text.norm
    for start, end in _sentences(norm):
        while start < end and norm[start].isspace():
            start += 1
        while end > start and norm[end - 1].isspace():
            end -= 1
        if end == start or (end < len(norm) and norm[end] == "?") or norm[start:end].endswith(QUESTION_ENDS):
            continue
        for label, pattern in PROMISE_PATTERNS:
            trigger = pattern.search(norm, start, end)
            if trigger and not NOT_A_PROMISE.search(trigger[0]):
                _, found = text.suggestion(Kind.PROMISE, " ".join(text.raw[start:end].split()), start, end, label)
                yield start, replace(found, context=text.context(*trigger.span()))
                break


READERS: list[Reader] = [
    _credit_codes,
    _merchant_numbers,
    _terminal_serials,
    _phones,
    _dates,
    _amounts,
    _companies,
    _promises,
]
