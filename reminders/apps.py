from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminders when the other side's time runs out, in-app notices, the sweep and retention."""

    name = "reminders"
    verbose_name = _("Reminders")
