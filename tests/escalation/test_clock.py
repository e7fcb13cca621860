"""The working-day clock against the published 2025 and 2026 schedules, and provisional 2027."""

import datetime as dt
import pickle

import pytest

from escalation import clock
from escalation.clock import Due, Overrides, add_days, add_working_days, due_date, is_workday
from escalation.models import DeadlineRule

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 2025 National Day: Oct 1-8 off; Sun Sep 28 and Sat Oct 11 are make-up workdays.
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 26), 3, D(2025, 9, 30)),
        (D(2025, 9, 26), 4, D(2025, 10, 9)),
        (D(2025, 9, 26), 6, D(2025, 10, 11)),
        (D(2025, 9, 26), 7, D(2025, 10, 13)),
        # 2025 Spring Festival: Jan 28 - Feb 4 off; Sun Jan 26 and Sat Feb 8 worked.
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 26), 1, D(2025, 1, 27)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 2, 7), 1, D(2025, 2, 8)),
        # 2026 New Year: Jan 1-3 off, Sun Jan 4 worked.
        (D(2026, 1, 1), 1, D(2026, 1, 4)),
        (D(2025, 12, 31), 1, D(2026, 1, 4)),
        # 2026 Spring Festival: Feb 15-23 off; Sat Feb 14 and Sat Feb 28 worked.
        (D(2026, 2, 12), 2, D(2026, 2, 14)),
        (D(2026, 2, 12), 3, D(2026, 2, 24)),
        (D(2026, 2, 12), 7, D(2026, 2, 28)),
        # 2026 Labour Day: May 1-5 off, Sat May 9 worked.
        (D(2026, 4, 30), 1, D(2026, 5, 6)),
        (D(2026, 5, 8), 1, D(2026, 5, 9)),
        # 2026 Mid-Autumn (Sep 25) and National Day (Oct 1-7); Sun Sep 20 and Sat Oct 10 worked.
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 18), 7, D(2026, 9, 29)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),
        # SAMR: 7 working days to accept a complaint filed on Friday 2026-11-20.
        (D(2026, 11, 20), 7, D(2026, 12, 1)),
    ],
)
def test_working_days_follow_the_published_schedule(start, days, expected):
    due = add_working_days(start, days)
    assert due == expected
    assert due.provisional is False


def test_counting_starts_the_day_after_start():
    # Monday + 1 working day is Tuesday, not Monday.
    assert add_working_days(D(2026, 11, 16), 1) == D(2026, 11, 17)


def test_zero_days_is_the_start_itself():
    assert add_working_days(D(2026, 11, 21), 0) == D(2026, 11, 21)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 21), -1)


def test_make_up_saturday_is_a_workday_and_a_weekday_holiday_is_not():
    assert is_workday(D(2026, 2, 14)) == (True, False)
    assert is_workday(D(2026, 10, 5)) == (False, False)


def test_a_year_the_library_does_not_know_is_counted_provisionally():
    # 2026-12-28 (Mon) + 7: Dec 29, 30, 31, [Jan 1 fixed holiday, weekend], Jan 4, 5, 6, 7.
    due = add_working_days(D(2026, 12, 28), 7)
    assert due == D(2027, 1, 7)
    assert due.provisional is True


def test_provisional_years_skip_weekends_and_fixed_date_holidays():
    assert is_workday(D(2027, 10, 1)) == (False, True)  # National Day, a Friday
    assert is_workday(D(2027, 5, 3)) == (True, True)  # a Monday; the real schedule may differ
    assert is_workday(D(2027, 5, 8)) == (False, True)  # Saturday
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 4)


def test_far_future_never_crashes():
    due = add_working_days(D(2040, 6, 1), 45)
    assert due.provisional is True
    assert due > D(2040, 6, 1)


def test_a_range_inside_known_years_is_not_provisional_even_near_the_edge():
    assert add_working_days(D(2026, 12, 1), 5).provisional is False


def test_admin_overrides_complete_an_unknown_year():
    overrides = Overrides(
        days={D(2027, 1, 1): False, D(2027, 1, 2): False, D(2027, 1, 4): False, D(2027, 1, 9): True},
        complete_years=frozenset({2027}),
    )
    assert is_workday(D(2027, 1, 4), overrides) == (False, False)
    assert is_workday(D(2027, 1, 9), overrides) == (True, False)
    assert is_workday(D(2027, 1, 5), overrides) == (True, False)
    due = add_working_days(D(2026, 12, 31), 2, overrides)
    assert due == D(2027, 1, 6)
    assert due.provisional is False


def test_overrides_for_an_incomplete_year_are_used_but_stay_provisional():
    overrides = Overrides(days={D(2027, 2, 8): False})
    assert is_workday(D(2027, 2, 8), overrides) == (False, True)
    assert add_working_days(D(2027, 2, 5), 1, overrides) == D(2027, 2, 9)


def test_overrides_win_over_the_library():
    overrides = Overrides(days={D(2026, 11, 23): False})
    assert add_working_days(D(2026, 11, 20), 1, overrides) == D(2026, 11, 24)


@pytest.mark.django_db
def test_overrides_load_from_the_admin_tables():
    from escalation.models import HolidayCalendar, HolidayDate

    calendar = HolidayCalendar.objects.create(year=2027, complete=True, source="国务院办公厅通知")
    HolidayDate.objects.create(calendar=calendar, date=D(2027, 2, 6), kind=HolidayDate.Kind.WORKDAY)
    overrides = Overrides.load()
    assert overrides.days == {D(2027, 2, 6): True}
    assert overrides.complete_years == {2027}
    assert add_working_days(D(2027, 2, 5), 1, overrides) == D(2027, 2, 6)


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        (D(2026, 11, 18), 15, "calendar_days", D(2026, 12, 3)),  # a Thursday: no extension
        (D(2026, 1, 31), 1, "months", D(2026, 2, 28)),  # Saturday 2026-02-28 is a make-up workday
        (D(2026, 10, 31), 1, "months", D(2026, 11, 30)),  # the 31st becomes the month's last day
        (D(2026, 11, 21), 3, "years", D(2029, 11, 21)),  # a Wednesday
    ],
)
def test_add_days_in_calendar_units(start, amount, unit, expected):
    assert add_days(start, amount, unit) == expected
    assert add_days(start, amount, unit).extended_from is None


# ----- periods whose last day is a rest day (民法典 Art. 203, 民事诉讼法 Art. 85) -----------------------------


def test_a_period_ending_in_national_day_runs_to_the_first_working_day_after_it():
    # 2026-09-24 + 7 days = 2026-10-01: National Day runs 10-01..10-07, so the period ends 10-08.
    due = add_days(D(2026, 9, 24), 7, "calendar_days")
    assert due == D(2026, 10, 8)
    assert due.extended_from == D(2026, 10, 1)
    assert due.provisional is False


def test_a_period_ending_on_a_saturday_runs_to_monday():
    due = add_days(D(2026, 11, 20), 15, "calendar_days")  # Saturday 2026-12-05
    assert due == D(2026, 12, 7)
    assert due.extended_from == D(2026, 12, 5)


def test_a_make_up_saturday_is_a_working_day_and_ends_the_period_itself():
    # 2026-10-03 + 7 = Saturday 2026-10-10, a 调休 working day; Sunday 2026-09-20 likewise.
    assert add_days(D(2026, 10, 3), 7, "calendar_days") == D(2026, 10, 10)
    assert add_days(D(2026, 10, 3), 7, "calendar_days").extended_from is None
    assert add_days(D(2026, 9, 13), 7, "calendar_days") == D(2026, 9, 20)


def test_months_and_years_ending_on_a_rest_day_are_extended_too():
    due = add_days(D(2026, 8, 14), 2, "months")  # Wednesday 2026-10-14
    assert due == D(2026, 10, 14) and due.extended_from is None
    due = add_days(D(2023, 10, 1), 3, "years")  # 2026-10-01, National Day
    assert due == D(2026, 10, 8)
    assert due.extended_from == D(2026, 10, 1)


def test_past_the_known_years_an_extended_period_is_provisional():
    # 2027 is not in the holiday data: New Year's Day is a fixed holiday, 2027-01-02/03 a weekend.
    due = add_days(D(2026, 12, 2), 30, "calendar_days")
    assert due == D(2027, 1, 4)
    assert due.extended_from == D(2027, 1, 1)
    assert due.provisional is True
    # Even a plain weekday of 2027 may turn out to be a holiday: provisional as well.
    assert add_days(D(2027, 3, 1), 2, "calendar_days").provisional is True


def test_admin_entered_holidays_extend_a_period_in_an_unknown_year():
    overrides = Overrides(
        days={D(2027, 2, 8): False, D(2027, 2, 9): False, D(2027, 2, 20): True}, complete_years=frozenset({2027})
    )
    due = add_days(D(2027, 1, 25), 14, "calendar_days", overrides)  # Monday 2027-02-08, entered as a holiday
    assert due == D(2027, 2, 10)
    assert due.extended_from == D(2027, 2, 8)
    assert due.provisional is False
    assert add_days(D(2027, 2, 13), 7, "calendar_days", overrides) == D(2027, 2, 20)  # an entered make-up Saturday


def test_working_day_periods_are_not_extended_again():
    due = add_working_days(D(2026, 9, 30), 1)
    assert due == D(2026, 10, 8)
    assert due.extended_from is None


# ----- the limitation period ------------------------------------------------------------------------------


def test_limitation_runs_from_the_later_of_the_harm_and_the_last_demand():
    rule = DeadlineRule(amount=3, unit=DeadlineRule.Unit.YEARS)
    assert clock.limitation_end(rule, D(2022, 1, 10), D(2024, 6, 3)) == D(2027, 6, 3)
    assert clock.limitation_end(rule, D(2024, 6, 3), None) == D(2027, 6, 3)
    assert clock.limitation_end(rule, None, None) is None


def test_limitation_follows_the_admins_rule_and_rest_days():
    two_years = DeadlineRule(amount=2, unit=DeadlineRule.Unit.YEARS)
    assert clock.limitation_end(two_years, D(2024, 10, 1)) == D(2026, 10, 8)  # National Day 2026
    assert clock.limitation_end(None, D(2023, 10, 1)) == D(2026, 10, 8)  # no rule: 3 years (Art. 188)


def test_unknown_unit_is_an_error():
    with pytest.raises(ValueError):
        add_days(D(2026, 1, 1), 1, "fortnights")


def test_due_date_uses_the_rule_on_an_unsaved_instance():
    rule = DeadlineRule(amount=7, unit=DeadlineRule.Unit.WORKING_DAYS)
    assert due_date(rule, D(2025, 9, 26)) == D(2025, 10, 13)
    rule = DeadlineRule(amount=15, maximum=60, unit=DeadlineRule.Unit.CALENDAR_DAYS)
    assert due_date(rule, D(2026, 11, 1)) == D(2026, 11, 16)
    assert clock.maximum_date(rule, D(2026, 11, 1)) == D(2026, 12, 31)
    assert clock.maximum_date(rule, D(2026, 8, 2)) == D(2026, 10, 8)  # 10-01, extended past National Day


def test_due_is_a_date_that_survives_pickling():
    due = Due(2027, 1, 7, provisional=True, extended_from=D(2027, 1, 3))
    assert isinstance(due, dt.date)
    assert due == D(2027, 1, 7)
    copy = pickle.loads(pickle.dumps(due))
    assert copy.provisional is True
    assert copy.extended_from == D(2027, 1, 3)


# ----- a period that crosses into a year an admin completed ------------------------------------------------------


def test_counting_through_an_unknown_year_stays_provisional_even_when_it_ends_in_a_known_one():
    """Days counted in 2027 (nobody entered it) make the result provisional, though 2028 is complete."""
    complete_2028 = Overrides(complete_years=frozenset({2028}))
    due = add_working_days(D(2027, 12, 29), 3, complete_2028)  # 12-30, 12-31 (2027: a guess), then 2028-01-03
    assert (due, due.provisional) == (D(2028, 1, 3), True)
    holiday_guess = Overrides(days={D(2027, 12, 31): False}, complete_years=frozenset({2028}))
    due = clock.next_working_day(D(2027, 12, 31), holiday_guess)  # an entered 2027 holiday, then a 2028 weekend
    assert (due, due.provisional, due.extended_from) == (D(2028, 1, 3), True, D(2027, 12, 31))


def test_negative_days_are_refused_saying_why():
    with pytest.raises(ValueError, match="^days must not be negative$"):
        add_working_days(D(2026, 11, 21), -1)


def test_the_latest_date_a_rule_allows_with_every_extension():
    rule = DeadlineRule(amount=15, unit="calendar_days", maximum=60)
    assert clock.maximum_date(rule, D(2026, 11, 1)) == D(2026, 12, 31)
    holiday = Overrides(days={D(2026, 12, 31): False})
    assert clock.maximum_date(rule, D(2026, 11, 1), holiday) == D(2027, 1, 4)  # entered holiday: runs on
    assert clock.maximum_date(DeadlineRule(amount=15, unit="calendar_days"), D(2026, 11, 1)) is None


def test_a_due_date_says_what_it_is():
    assert repr(Due(2026, 11, 9)) == "Due(2026, 11, 9)"
    assert repr(Due(2027, 1, 4, provisional=True)) == "Due(2027, 1, 4, provisional=True)"
    assert repr(Due(2027, 1, 4, True, D(2027, 1, 1))) == (
        "Due(2027, 1, 4, provisional=True, extended_from=datetime.date(2027, 1, 1))"
    )
    assert repr(Due(2026, 10, 8, extended_from=D(2026, 10, 1))) == (
        "Due(2026, 10, 8, extended_from=datetime.date(2026, 10, 1))"
    )
