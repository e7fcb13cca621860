"""Time helpers shared by the models: deadlines are dates in China's calendar."""

import datetime
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHINA = datetime.timezone(datetime.timedelta(hours=8))
REMINDER_HOUR = 9  # reminders go out at 09:00 China time


def now():
    """The current time.

    End-to-end tests only: when settings.TEST_CLOCK_FILE names a file, the number
    of days in it moves this clock forward, so a browser test can let a
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


def china_today():
    """Today's date in China's calendar."""
    return timezone.localdate(now(), timezone=CHINA)


def at_china_hour(day, hour=REMINDER_HOUR):
    """An aware datetime for ``hour`` o'clock China time on ``day``."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=CHINA)


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")
