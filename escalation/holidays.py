"""A year's public holidays and make-up working days, typed as the State Council notice lists them.

The notice (国务院办公厅关于XXXX年部分节假日安排的通知) says, per holiday,
"春节：2月15日（农历腊月二十八）至23日（农历正月初七）放假调休，共9天。2月14日（周六）、
2月28日（周六）上班。" An admin pastes the holiday part and the make-up part into two
boxes; ``parse_schedule`` turns them into dates or refuses the whole text with the
lines it could not read. Nothing is guessed: a fragment with a digit that is not a
date is an error, a date listed twice is an error, a make-up working day must be a
Saturday or Sunday.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# 2月15日至23日, 2月15日至2月23日, 2027年2月15日至2027年2月23日; also ISO dates and ranges.
CN_DATE = r"(?:(?P<y1>\d{4})年)?(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日"
CN_END = r"(?:(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日"
ISO_DATE = r"(?P<iy1>\d{4})-(?P<im1>\d{1,2})-(?P<id1>\d{1,2})"
ISO_END = r"(?P<iy2>\d{4})-(?P<im2>\d{1,2})-(?P<id2>\d{1,2})"
RANGE_SEPARATOR = r"\s*(?:至|到|~|～|—|–|－|\.\.|to)\s*"
DATE_EXPRESSION = re.compile(
    rf"{CN_DATE}(?:{RANGE_SEPARATOR}{CN_END})?|{ISO_DATE}(?:{RANGE_SEPARATOR}{ISO_END})?",
)
# Notes the notice puts beside a date: （周六）, （农历腊月二十八）, (Sat).
ASIDE = re.compile(r"[（(][^）)]*[）)]")
# The notice's own words around the dates: "一、" numbering and "共9天" (so many days in all).
NUMBERING = re.compile(r"^\s*(?:[0-9]+|[一二三四五六七八九十]+)\s*[、.．]\s*")
DAY_COUNT = re.compile(r"共\s*\d+\s*天")
MAX_RANGE_DAYS = 15


@dataclass
class Schedule:
    year: int
    holidays: dict = field(default_factory=dict)  # date -> name
    workdays: dict = field(default_factory=dict)  # date -> name


class ScheduleError(ValueError):
    """The text cannot be read as a schedule; ``problems`` lists each reason in the user's language."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def _expand(match, year):
    """The dates one matched expression names, or raise ValueError."""
    parts = match.groupdict()
    if parts["m1"]:
        start = datetime.date(int(parts["y1"] or year), int(parts["m1"]), int(parts["d1"]))
        if parts["d2"] is None:
            return [start]
        end_month = int(parts["m2"]) if parts["m2"] else start.month
        end_year = int(parts["y2"]) if parts["y2"] else start.year + (1 if end_month < start.month else 0)
        end = datetime.date(end_year, end_month, int(parts["d2"]))
    else:
        start = datetime.date(int(parts["iy1"]), int(parts["im1"]), int(parts["id1"]))
        if parts["iy2"] is None:
            return [start]
        end = datetime.date(int(parts["iy2"]), int(parts["im2"]), int(parts["id2"]))
    if end < start or (end - start).days >= MAX_RANGE_DAYS:
        raise ValueError("range")
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _read(text, year, problems, what):
    """{date: name} from one box; each unreadable line adds to ``problems``."""
    found = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        text = NUMBERING.sub("", line)
        name, colon, rest = text.partition("：") if "：" in text else text.partition(":")
        if not colon or re.search(r"\d", name):
            name, rest = "", text
        rest = DAY_COUNT.sub("", ASIDE.sub("", rest))
        dates = []
        for match in DATE_EXPRESSION.finditer(rest):
            try:
                dates.extend(_expand(match, year))
            except ValueError:
                problems.append(
                    _("%(what)s, line %(line)d: “%(text)s” is not a real date or range.")
                    % {"what": what, "line": number, "text": match.group(0)}
                )
        leftover = DATE_EXPRESSION.sub("", rest)
        if re.search(r"\d", leftover) or not DATE_EXPRESSION.search(rest):
            problems.append(
                _("%(what)s, line %(line)d: cannot read “%(text)s” as dates (write e.g. 2月15日至23日).")
                % {"what": what, "line": number, "text": line}
            )
            continue
        outside = [day for day in dates if day.year != year]
        if outside:
            problems.append(
                _("%(what)s, line %(line)d: %(date)s is not in %(year)d.")
                % {"what": what, "line": number, "date": outside[0].isoformat(), "year": year}
            )
            continue
        for day in dates:
            if day in found:
                problems.append(_("%(what)s: %(date)s is listed twice.") % {"what": what, "date": day.isoformat()})
            else:
                found[day] = name.strip()[:60]
    return found


def parse_schedule(year, holidays_text, workdays_text):
    """Read both boxes for ``year``; return a ``Schedule`` or raise ``ScheduleError`` listing every problem."""
    problems = []
    holidays = _read(holidays_text, year, problems, _("Holidays"))
    workdays = _read(workdays_text, year, problems, _("Make-up working days"))
    for day in sorted(set(holidays) & set(workdays)):
        problems.append(
            _("%(date)s is listed both as a holiday and as a make-up working day.") % {"date": day.isoformat()}
        )
    for day in sorted(workdays):
        if day.weekday() < 5:
            problems.append(
                _("%(date)s is a weekday: a make-up working day is a Saturday or a Sunday.") % {"date": day.isoformat()}
            )
    if not holidays and not problems:
        problems.append(_("Enter the year's holidays."))
    if problems:
        raise ScheduleError(problems)
    return Schedule(year=year, holidays=holidays, workdays=workdays)


def format_dates(days):
    """Dates as lines an admin can edit again: consecutive days as one range."""
    lines = []
    for day, name in sorted(days.items()):
        if lines and lines[-1][1] == day - datetime.timedelta(days=1) and lines[-1][2] == name:
            lines[-1][1] = day
        else:
            lines.append([day, day, name])
    text = []
    for start, end, name in lines:
        span = start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"
        text.append(f"{name}：{span}" if name else span)
    return "\n".join(text)


def years_needing_entry(today, overrides):
    """The years whose holidays nobody has yet: this year at any time, next year from 1 November.

    The State Council publishes the next year's schedule in November; until an
    admin enters it (or the chinese-calendar library knows it), every deadline
    that reaches into that year is provisional.
    """
    from escalation.clock import year_is_published

    years = [today.year]
    if today.month >= 11:
        years.append(today.year + 1)
    return [year for year in years if not year_is_published(year, overrides)]
