from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing up and in (password or text-message code), profiles, throttling and the merchant's data."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts import signals, throttle  # noqa: F401 - connects the receivers
        from accounts.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="accounts.ensure_roles")
