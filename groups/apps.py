from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    """Group complaints (共同投诉): merchants hit by the same practice complain together."""

    name = "groups"
    verbose_name = _("Group complaints")
