"""Time helpers shared by the models: deadlines are dates in China's calendar."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHINA = datetime.timezone(datetime.timedelta(hours=8))
REMINDER_HOUR = 9  # reminders go out at 09:00 China time


def china_today():
    """Today's date in China's calendar."""
    return timezone.localdate(timezone=CHINA)


def at_china_hour(day, hour=REMINDER_HOUR):
    """An aware datetime for ``hour`` o'clock China time on ``day``."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=CHINA)


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")
