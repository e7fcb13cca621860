from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    """The migration history of the app the cases, reminders, letters, review and accounts apps
    grew out of (issue 19). It holds no models: its migrations built the tables those apps keep
    (``db_table = "disputes_…"``), and 0017 handed the models over without touching a row."""

    name = "disputes"
    verbose_name = _("Disputes (history)")
