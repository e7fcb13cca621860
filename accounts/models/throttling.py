"""Throttling records: failed logins, and password-reset requests counted so nobody can flood a mailbox."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib import chinatime
from lib.personal import keyed_hash

# Throttling records count for an hour at most; they name accounts and addresses (as keyed hashes),
# so after a day they are deleted (the "forget old failures" task).
KEPT_FOR = datetime.timedelta(days=1)


def forget_old(queryset: models.QuerySet[Any] | models.Manager[Any], field: str) -> None:
    """Delete the rows of ``queryset`` whose time ``field`` is older than KEPT_FOR."""
    queryset.filter(**{f"{field}__lt": chinatime.now() - KEPT_FOR}).delete()


def email_key(email: str | None) -> str:
    """A keyed hash of the email asked for: the table never holds the address itself."""
    return keyed_hash("email:" + (email or "").strip().lower())


class FailedLogin(models.Model):
    """One failed login: a keyed hash of the account name and the client address, for throttling."""

    account = models.CharField(max_length=64, db_index=True)
    address = models.CharField(max_length=45, blank=True, db_index=True)
    at = models.DateTimeField(default=chinatime.now, db_index=True)

    class Meta:
        db_table = "disputes_failedlogin"
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def forget_old(cls) -> None:
        forget_old(cls.objects, "at")


class PasswordResetRequest(models.Model):
    """One password-reset mail let through, for an email (keyed hash) and from a client address.

    A row is written whether or not an account uses the email, so the limits, like the page,
    say nothing about which emails exist.
    """

    email = models.CharField(_("email (keyed hash)"), max_length=64, db_index=True)
    address = models.CharField(_("client address"), max_length=45, blank=True, db_index=True)
    at = models.DateTimeField(_("asked at"), default=chinatime.now, db_index=True)

    class Meta:
        db_table = "disputes_passwordresetrequest"
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hour_ago() -> datetime.datetime:
        return chinatime.now() - datetime.timedelta(hours=1)

    @classmethod
    def too_many_from(cls, address: str) -> bool:
        """True when this client address asked for PASSWORD_RESETS_PER_ADDRESS_PER_HOUR links in the last hour."""
        recent = cls.objects.filter(address=address, at__gte=cls.hour_ago())
        return bool(address) and recent.count() >= settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR

    @classmethod
    def accept(cls, email: str, address: str) -> bool:
        """Record a request for ``email``; True when its mail may go (PASSWORD_RESETS_PER_EMAIL_PER_HOUR).

        The row is written first and counted after, each statement on its own: of two requests
        racing for the last place each sees the other, so at worst both stay silent; the limit
        is never passed. A request past the limit leaves no row.
        """
        key = email_key(email)
        row = cls.objects.create(email=key, address=address[:45])
        if cls.objects.filter(email=key, at__gte=cls.hour_ago()).count() > settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR:
            row.delete()
            return False
        return True

    @classmethod
    def forget_old(cls) -> None:
        forget_old(cls.objects, "at")
