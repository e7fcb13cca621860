from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """The volunteers' queue, comments and dashboard."""

    name = "review"
    verbose_name = _("Volunteers' review")
