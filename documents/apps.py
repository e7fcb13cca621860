from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The letters, filings and civil complaint a case issues as PDFs, and their review."""

    name = "documents"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from documents import checks  # noqa: F401 - registers the signing check
