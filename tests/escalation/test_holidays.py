"""Reading a year's holidays as the State Council notice lists them, and writing them back for editing.

Pure functions, no database: every way a notice writes a date or a range, and every reason a text is
refused (in English, with the line it is on).
"""

import datetime as dt

import pytest
from django.utils import translation

from escalation.holidays import ScheduleError, format_dates, parse_schedule, years_needing_entry

D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def days(start, end):
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def refusal(holidays, workdays="", year=2027):
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(year, holidays, workdays)
    return caught.value.problems


def test_the_notice_as_published_with_numbering_notes_and_day_counts():
    schedule = parse_schedule(
        2027,
        "一、元旦：1月1日（周五）至4日（周一）放假，共4天。\n"
        "\n"  # a blank line between two holidays is skipped, not the end of the text
        "2. 春节：2月6日（农历腊月三十）至2月12日放假调休，共7天。\n"
        "国庆节:9月30日至10月6日\n"
        "2027-05-01..2027-05-03\n"
        "端午节：6月9日",
        "1月9日（周六）、2月20日（周六）上班。\n2027-10-09",
    )
    assert schedule.year == 2027
    assert schedule.holidays == {
        **dict.fromkeys(days(D(2027, 1, 1), D(2027, 1, 4)), "元旦"),
        **dict.fromkeys(days(D(2027, 2, 6), D(2027, 2, 12)), "春节"),
        **dict.fromkeys(days(D(2027, 9, 30), D(2027, 10, 6)), "国庆节"),  # a range over a month's end
        **dict.fromkeys(days(D(2027, 5, 1), D(2027, 5, 3)), ""),  # no name before the dates
        D(2027, 6, 9): "端午节",
    }
    assert schedule.workdays == {D(2027, 1, 9): "", D(2027, 2, 20): "", D(2027, 10, 9): ""}


def test_a_range_written_with_its_year_and_a_range_into_the_next_month():
    schedule = parse_schedule(2027, "春节：2027年1月30日至2027年2月2日\n清明：4月3日~5日", "")
    assert sorted(schedule.holidays) == [*days(D(2027, 1, 30), D(2027, 2, 2)), *days(D(2027, 4, 3), D(2027, 4, 5))]


def test_a_name_is_kept_to_sixty_characters_and_dates_before_the_colon_are_dates_not_a_name():
    schedule = parse_schedule(2027, "节" * 61 + "：1月1日\n1月2日：放假", "")
    assert schedule.holidays == {D(2027, 1, 1): "节" * 60, D(2027, 1, 2): ""}


def test_a_range_of_fifteen_days_is_the_longest_and_a_range_of_one_day_is_that_day():
    assert len(parse_schedule(2027, "春节：2月1日至15日", "").holidays) == 15
    assert parse_schedule(2027, "春节：2月6日至6日", "").holidays == {D(2027, 2, 6): "春节"}
    assert refusal("春节：2月1日至16日") == ["Holidays, line 1: “2月1日至16日” is not a real date or range."]
    assert refusal("春节：2027-02-01..2027-02-16") == [
        "Holidays, line 1: “2027-02-01..2027-02-16” is not a real date or range."
    ]


@pytest.mark.parametrize(
    ("holidays", "workdays", "problems"),
    [
        ("", "", ["Enter the year's holidays."]),
        (
            "元旦：1月1日\n春节：2月30日",
            "",
            ["Holidays, line 2: “2月30日” is not a real date or range."],
        ),
        ("春节：2月6日至1日", "", ["Holidays, line 1: “2月6日至1日” is not a real date or range."]),  # backwards
        (
            "元旦：1月1日\n\n春节：2月6号到12号",
            "",
            ["Holidays, line 3: cannot read “春节：2月6号到12号” as dates (write e.g. 2月15日至23日)."],
        ),
        ("元旦：放假", "", ["Holidays, line 1: cannot read “元旦：放假” as dates (write e.g. 2月15日至23日)."]),
        ("元旦：12月31日至1月2日", "", ["Holidays, line 1: 2028-01-01 is not in 2027."]),  # runs into the next year
        ("元旦：2026-12-31..2027-01-02", "", ["Holidays, line 1: 2026-12-31 is not in 2027."]),
        ("春节：2月6日至8日\n2月8日", "", ["Holidays: 2027-02-08 is listed twice."]),
        ("春节：2月6日", "2月6日", ["2027-02-06 is listed both as a holiday and as a make-up working day."]),
        (
            "春节：2月6日",
            "2月8日\n2月10日",
            [
                "2027-02-08 is a weekday: a make-up working day is a Saturday or a Sunday.",
                "2027-02-10 is a weekday: a make-up working day is a Saturday or a Sunday.",
            ],
        ),
        (
            "春节：2月6日",
            "2月30日\n2月20日，2月21日\n上班",
            [
                "Make-up working days, line 1: “2月30日” is not a real date or range.",
                "Make-up working days, line 3: cannot read “上班” as dates (write e.g. 2月15日至23日).",
            ],
        ),
    ],
)
def test_a_text_is_refused_whole_with_every_reason(holidays, workdays, problems):
    assert refusal(holidays, workdays) == problems


def test_a_line_with_a_number_that_is_not_a_date_is_refused_and_the_lines_after_it_are_read_too():
    problems = refusal("元旦：1月1日，放假3天\n元旦：12月31日至1月2日\n春节：2月30日\n清明：4月5号")
    assert problems == [
        "Holidays, line 1: cannot read “元旦：1月1日，放假3天” as dates (write e.g. 2月15日至23日).",
        "Holidays, line 2: 2028-01-01 is not in 2027.",
        "Holidays, line 3: “2月30日” is not a real date or range.",
        "Holidays, line 4: cannot read “清明：4月5号” as dates (write e.g. 2月15日至23日).",
    ]


def test_only_the_first_colon_ends_the_name():
    assert parse_schedule(2027, "元旦：说明：1月1日", "").holidays == {D(2027, 1, 1): "元旦"}


def test_every_problem_is_listed_not_only_the_first():
    problems = refusal("元旦：1月1日\n春节：2月30日\n清明：4月31日\n元旦：1月1日", "3月1日")
    assert problems == [
        "Holidays, line 2: “2月30日” is not a real date or range.",
        "Holidays, line 3: “4月31日” is not a real date or range.",
        "Holidays: 2027-01-01 is listed twice.",
        "2027-03-01 is a weekday: a make-up working day is a Saturday or a Sunday.",
    ]
    error = ScheduleError(problems[:2])
    assert str(error) == "; ".join(problems[:2])
    assert error.problems == problems[:2]


def test_the_saved_dates_are_written_back_as_ranges_an_admin_can_edit():
    holidays = {
        **dict.fromkeys(days(D(2027, 2, 6), D(2027, 2, 12)), "春节"),
        D(2027, 2, 13): "调休",  # the next day under another name starts a new line
        D(2027, 5, 1): "",
        D(2027, 1, 1): "元旦",
    }
    text = format_dates(holidays)
    assert text == "元旦：2027-01-01\n春节：2027-02-06..2027-02-12\n调休：2027-02-13\n2027-05-01"
    assert parse_schedule(2027, text, "").holidays == holidays  # and read back the same
    assert format_dates({}) == ""


def test_the_years_that_need_entering():
    from escalation.clock import Overrides

    assert years_needing_entry(D(2026, 10, 31), Overrides()) == []
    assert years_needing_entry(D(2026, 11, 1), Overrides()) == [2027]
    assert years_needing_entry(D(2027, 3, 1), Overrides()) == [2027]
    assert years_needing_entry(D(2027, 11, 1), Overrides(complete_years=frozenset({2027}))) == [2028]
