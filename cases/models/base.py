"""Time helpers shared by the models: deadlines are dates in China's calendar (lib.chinatime)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.chinatime import CHINA, REMINDER_HOUR, now
from lib.chinatime import at_hour as at_china_hour
from lib.chinatime import today as china_today

__all__ = ["CHINA", "REMINDER_HOUR", "Answer", "at_china_hour", "china_today", "now"]


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")
