"""The working-day clock: due dates in mainland China's calendar.

Pure functions. Public holidays and make-up workdays (调休) come from the
chinese-calendar library, plus the overrides admins enter (``Overrides``),
which win where both know a date. The library stops at the last year whose
schedule the State Council has published; for a later year nobody has entered,
the clock never crashes: it counts weekends and the fixed-date holidays and
marks the result provisional.
"""

import calendar
import datetime
from dataclasses import dataclass, field

import chinese_calendar

# Holidays that fall on the same date every year under 《全国年节及纪念日放假办法》
# (as revised by the State Council in 2024, in force from 2025): New Year's Day,
# 1–2 May, 1–3 October. The lunar holidays move and are not guessed; make-up
# workdays are unknown until the schedule is published.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


class Due(datetime.date):
    """A date that knows whether it was computed from a published holiday schedule.

    ``extended_from`` is the period's nominal last day when that day was a rest
    day and the period was extended to the next working day (民法典 Art. 203);
    None otherwise.
    """

    provisional: bool
    extended_from: datetime.date | None

    def __new__(cls, year, month, day, provisional=False, extended_from=None):
        instance = super().__new__(cls, year, month, day)
        instance.provisional = provisional
        instance.extended_from = extended_from
        return instance

    @classmethod
    def of(cls, day, provisional=False, extended_from=None):
        return cls(day.year, day.month, day.day, provisional=provisional, extended_from=extended_from)

    def __reduce__(self):
        return (type(self), (self.year, self.month, self.day, self.provisional, self.extended_from))

    def __repr__(self):
        flag = ", provisional=True" if self.provisional else ""
        if self.extended_from:
            flag += f", extended_from={self.extended_from!r}"
        return f"Due({self.year}, {self.month}, {self.day}{flag})"


@dataclass(frozen=True)
class Overrides:
    """Admin-entered calendar dates: ``days`` maps a date to True (workday) or False (holiday)."""

    days: dict = field(default_factory=dict)
    complete_years: frozenset = frozenset()

    @classmethod
    def load(cls):
        """Read the overrides from the database (one query each)."""
        from escalation.models import HolidayCalendar, HolidayDate

        days = {row.date: row.kind == HolidayDate.Kind.WORKDAY for row in HolidayDate.objects.only("date", "kind")}
        complete = frozenset(HolidayCalendar.objects.filter(complete=True).values_list("year", flat=True))
        return cls(days=days, complete_years=complete)


NO_OVERRIDES = Overrides()


def library_knows(year):
    """True when chinese-calendar has the published schedule for this year."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def year_is_published(year, overrides=NO_OVERRIDES):
    return year in overrides.complete_years or library_knows(year)


def is_workday(day, overrides=NO_OVERRIDES):
    """Return ``(workday, provisional)`` for one date."""
    if day in overrides.days:
        return overrides.days[day], not year_is_published(day.year, overrides)
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        pass
    if day.year in overrides.complete_years:
        return day.weekday() < 5, False
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS, True


def add_working_days(start, days, overrides=NO_OVERRIDES):
    """The date ``days`` working days after ``start``; counting starts the day after ``start``.

    Zero days gives ``start`` itself. The result is provisional when any day
    counted lies in a year whose holiday schedule is not known.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    provisional = False
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        workday, unsure = is_workday(day, overrides)
        provisional |= unsure
        if workday:
            remaining -= 1
    return Due.of(day, provisional)


def add_months(start, months):
    """Calendar months later; the 31st becomes the month's last day when the month is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def next_working_day(day, overrides=NO_OVERRIDES):
    """The period ending on ``day``, extended past rest days (民法典 Art. 203; 民事诉讼法 Art. 85).

    When the last day of a period is a weekend or a public holiday, the period
    ends on the next working day; a make-up working day (调休) is a working day.
    The result is provisional when any day looked at lies in a year whose
    holiday schedule is not known.
    """
    end = day
    provisional = False
    while True:
        workday, unsure = is_workday(end, overrides)
        provisional |= unsure
        if workday:
            return Due.of(end, provisional, extended_from=day if end != day else None)
        end += datetime.timedelta(days=1)


def add_days(start, amount, unit, overrides=NO_OVERRIDES):
    """``amount`` of ``unit`` after ``start`` (units as in ``DeadlineRule.Unit``).

    A period counted in calendar days, months or years that ends on a rest day
    ends on the next working day instead (``next_working_day``).
    """
    if unit == "working_days":
        return add_working_days(start, amount, overrides)
    if unit == "calendar_days":
        end = start + datetime.timedelta(days=amount)
    elif unit == "months":
        end = add_months(start, amount)
    elif unit == "years":
        end = add_months(start, 12 * amount)
    else:
        raise ValueError(f"unknown unit {unit!r}")
    return next_working_day(end, overrides)


def due_date(rule, started, overrides=NO_OVERRIDES):
    """When the other side's time under ``rule`` is up, for a clock started on ``started``."""
    return add_days(started, rule.amount, rule.unit, overrides)


def maximum_date(rule, started, overrides=NO_OVERRIDES):
    """The latest date the rule allows with every extension, or None when it has no maximum."""
    if rule.maximum is None:
        return None
    return add_days(started, rule.maximum, rule.unit, overrides)


# 民法典 Art. 188: three years. Used only when the admin's "limitation" rule is missing.
LIMITATION_DEFAULT = (3, "years")


def limitation_end(rule, *starts, overrides=NO_OVERRIDES):
    """When the limitation period ends, counted from the latest of ``starts`` (None when there is none).

    The one place the period is computed: the length comes from the admin-edited
    ``limitation`` rule (民法典 Art. 188: three years), the start is the day the
    merchant learned of the harm or, when later, the last written demand, which
    restarts it (Art. 195), and a last day that is a rest day runs on to the next
    working day (Art. 203).
    """
    days = [day for day in starts if day]
    if not days:
        return None
    amount, unit = (rule.amount, rule.unit) if rule is not None else LIMITATION_DEFAULT
    return add_days(max(days), amount, unit, overrides)
