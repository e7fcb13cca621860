"""The working-day clock, for any start date and period within the years the holiday data knows (hypothesis).

The oracle is chinese-calendar itself, asked day by day: the clock must agree with it on every
example, whatever the start, the unit and the length of the period.
"""

import datetime as dt

import chinese_calendar
from hypothesis import given
from hypothesis import strategies as st

from escalation import clock

# chinese-calendar knows the State Council's schedules from 2004 to the end of 2026; the starts and the
# periods below end inside those years (the longest: a year, plus a holiday week of extension).
FIRST = dt.date(2004, 1, 1)
LAST_START = dt.date(2025, 12, 1)
CALENDAR_UNITS = ("calendar_days", "months", "years")
LONGEST = {"working_days": 250, "calendar_days": 366, "months": 12, "years": 1}

starts = st.dates(min_value=FIRST, max_value=LAST_START)
units = st.sampled_from(["working_days", *CALENDAR_UNITS])


@st.composite
def periods(draw, minimum=1):
    unit = draw(units)
    return unit, draw(st.integers(min_value=minimum, max_value=LONGEST[unit]))


def workday(day):
    return chinese_calendar.is_workday(day)


def nominal_end(start, amount, unit):
    """The last day of a calendar period before any extension, counted without the clock's helpers."""
    if unit == "calendar_days":
        return start + dt.timedelta(days=amount)
    months = amount * 12 if unit == "years" else amount
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day in range(start.day, 27, -1):  # the 31st of a shorter month is its last day
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, start.day)


@given(start=starts, period=periods())
def test_the_deadline_is_a_working_day_never_before_the_start(start, period):
    unit, amount = period
    due = clock.add_days(start, amount, unit)
    assert workday(due)
    assert due > start
    assert due.provisional is False


@given(start=starts, unit=units, amounts=st.tuples(st.integers(1, 366), st.integers(1, 366)))
def test_a_longer_period_never_gives_an_earlier_deadline(start, unit, amounts):
    shorter, longer = sorted(min(amount, LONGEST[unit]) for amount in amounts)
    assert clock.add_days(start, shorter, unit) <= clock.add_days(start, longer, unit)


@given(start=starts, period=periods(minimum=0))
def test_a_calendar_period_ending_on_a_rest_day_runs_to_the_next_working_day(start, period):
    unit, amount = period
    if unit == "working_days":
        unit = "calendar_days"
    end = nominal_end(start, amount, unit)
    due = clock.add_days(start, amount, unit)
    if workday(end):
        assert (due, due.extended_from) == (end, None)
    else:
        expected = end + dt.timedelta(days=1)
        while not workday(expected):
            expected += dt.timedelta(days=1)
        assert (due, due.extended_from) == (expected, end)


@given(start=starts, amount=st.integers(min_value=1, max_value=LONGEST["working_days"]))
def test_working_days_count_exactly_the_working_days_after_the_start(start, amount):
    due = clock.add_days(start, amount, "working_days")
    assert workday(due)
    assert len(chinese_calendar.get_workdays(start + dt.timedelta(days=1), due)) == amount
    assert due.extended_from is None


@given(day=st.dates(min_value=FIRST, max_value=dt.date(2026, 12, 31)))
def test_a_day_is_a_working_day_exactly_when_the_published_schedule_says_so(day):
    assert clock.is_workday(day) == (workday(day), False)
    if workday(day):
        assert clock.next_working_day(day) == day
    else:
        assert clock.next_working_day(day) > day


@given(start=st.dates(min_value=dt.date(2026, 6, 1), max_value=dt.date(2026, 12, 31)), period=periods())
def test_a_deadline_that_reaches_past_the_known_years_says_it_is_provisional(start, period):
    unit, amount = period
    due = clock.add_days(start, amount, unit)
    assert due.provisional is (due.year > 2026)
    assert due > start
