"""China time: the one clock every part of the app reads.

Times are stored aware (UTC); a deadline is a date in China's calendar
(UTC+8, no daylight saving). Code asks this module for the current time and
date instead of calling ``timezone.now()`` or ``date.today()`` itself, so that
a test can move one clock and the whole app follows.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

CHINA = datetime.timezone(datetime.timedelta(hours=8))
REMINDER_HOUR = 9  # reminders go out at 09:00 China time


def now() -> datetime.datetime:
    """The current time, aware.

    End-to-end tests only: when ``settings.TEST_CLOCK_FILE`` names a file, the
    number of days in it moves this clock forward, so a browser test can let a
    deadline pass. ``manage.py check --deploy`` fails while it is set.
    """
    current = timezone.now()
    path = settings.TEST_CLOCK_FILE
    if path:
        try:
            days = float(Path(path).read_text().strip() or 0)
        except FileNotFoundError:
            days = 0
        current += datetime.timedelta(days=days)
    return current


def date_of(moment: datetime.datetime) -> datetime.date:
    """The date in China's calendar of an aware datetime."""
    return timezone.localdate(moment, timezone=CHINA)


def today() -> datetime.date:
    """Today's date in China's calendar."""
    return date_of(now())


def at_hour(day: datetime.date, hour: int = REMINDER_HOUR) -> datetime.datetime:
    """An aware datetime for ``hour`` o'clock China time on ``day``."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=CHINA)
