from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """A merchant's cases: their parties, sums, steps, evidence and timeline; who may see them."""

    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases import signals  # noqa: F401 - connects the receivers that move deadlines
        from lib import checks  # noqa: F401 - registers the system checks
