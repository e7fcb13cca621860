from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingConfig(AppConfig):
    """Reading the words in a case's pictures and PDFs (OCR), in the Celery worker."""

    name = "reading"
    verbose_name = _("Reading evidence")

    def ready(self) -> None:
        from reading import checks, signals  # noqa: F401 - queues new exhibits; checks the shipped models
