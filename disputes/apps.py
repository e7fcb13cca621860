from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Disputes")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, signals, throttle  # noqa: F401 - registers the checks, connects the receivers
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="disputes.ensure_roles")
