from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckerConfig(AppConfig):
    """The message checker: does a "deposit refund" text show the marks of a refund scam?"""

    name = "checker"
    verbose_name = _("Message checker")
