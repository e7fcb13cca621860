"""China's clock: dates in China's calendar whatever time zone is active, and the test clock file."""

import datetime as dt

from django.utils import timezone

from lib import chinatime

UTC = dt.UTC


def test_the_date_of_a_moment_is_its_date_in_china_whatever_zone_is_active(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, tzinfo=UTC), tick=False)  # "now" is elsewhere
    late_evening_utc = dt.datetime(2026, 1, 1, 16, 30, tzinfo=UTC)  # 00:30 on 2 January in China
    assert chinatime.date_of(late_evening_utc) == dt.date(2026, 1, 2)
    with timezone.override("America/New_York"):
        assert chinatime.date_of(late_evening_utc) == dt.date(2026, 1, 2)
        assert chinatime.today() == dt.date(2026, 6, 1)
    assert chinatime.date_of(dt.datetime(2026, 1, 1, 15, 59, tzinfo=UTC)) == dt.date(2026, 1, 1)


def test_today_and_now_follow_the_test_clock_file(settings, tmp_path, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 30, 20, tzinfo=UTC), tick=False)  # 04:00 on 1 December in China
    assert chinatime.today() == dt.date(2026, 12, 1)
    clock_file = tmp_path / "clock"
    clock_file.write_text("2.5\n")
    settings.TEST_CLOCK_FILE = str(clock_file)
    assert chinatime.now() == dt.datetime(2026, 12, 3, 8, tzinfo=UTC)
    assert chinatime.today() == dt.date(2026, 12, 3)
    clock_file.write_text("")  # empty: no move
    assert chinatime.now() == dt.datetime(2026, 11, 30, 20, tzinfo=UTC)
    clock_file.unlink()  # gone: no move either
    assert chinatime.today() == dt.date(2026, 12, 1)


def test_reminders_go_at_nine_in_china():
    moment = chinatime.at_hour(dt.date(2026, 11, 9))
    assert moment == dt.datetime(2026, 11, 9, 1, tzinfo=UTC)
    assert chinatime.at_hour(dt.date(2026, 11, 9), 18) == dt.datetime(2026, 11, 9, 10, tzinfo=UTC)
