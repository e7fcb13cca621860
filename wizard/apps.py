from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WizardConfig(AppConfig):
    """The merchant's way up the ladder: the wizard's pages and case files in and out."""

    name = "wizard"
    verbose_name = _("Wizard")
