"""Login codes sent by text message: they expire, are used once, and are rate-limited."""

from __future__ import annotations

import datetime
import hmac
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models.throttling import forget_old
from lib import chinatime
from lib.personal import keyed_hash


def code_hash(mobile: str, code: str) -> str:
    """A keyed hash of the code for this number: the table never holds a usable code."""
    return keyed_hash(f"{mobile}:{code}")


def number_key(mobile: str) -> str:
    """A keyed hash of the number, so the rate-limit rows hold no phone number."""
    return keyed_hash(f"mobile:{mobile}")


class SmsCodeRefused(Exception):
    """Why no code was sent: ``WAIT`` (seconds before the next one) or ``TOO_MANY`` (per number or address)."""

    WAIT = "wait"
    TOO_MANY = "too_many"

    def __init__(self, reason: str, seconds: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.seconds = seconds


class SmsCode(models.Model):
    """One code sent to one number. Only its keyed hash is kept, with the number's keyed hash."""

    number = models.CharField(_("number (keyed hash)"), max_length=64, db_index=True)
    address = models.CharField(_("client address"), max_length=45, blank=True, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        db_table = "disputes_smscode"
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def minutes() -> int:
        return settings.SMS_CODE_MINUTES

    @classmethod
    def issue(cls, mobile: str, address: str = "") -> tuple[SmsCode, str]:
        """A new six-digit code for ``mobile``: (record, code). Raises SmsCodeRefused past the limits."""
        now = chinatime.now()
        key = number_key(mobile)
        hour_ago = now - datetime.timedelta(hours=1)
        with transaction.atomic():
            recent = (
                cls.objects.select_for_update().filter(number=key, created_at__gte=hour_ago).order_by("-created_at")
            )
            latest = recent.first()
            if latest is not None:
                wait = settings.SMS_CODE_INTERVAL_SECONDS - (now - latest.created_at).total_seconds()
                if wait > 0:
                    raise SmsCodeRefused(SmsCodeRefused.WAIT, int(wait) + 1)
            if recent.count() >= settings.SMS_CODES_PER_NUMBER_PER_HOUR:
                raise SmsCodeRefused(SmsCodeRefused.TOO_MANY)
            if address and (
                cls.objects.filter(address=address, created_at__gte=hour_ago).count()
                >= settings.SMS_CODES_PER_ADDRESS_PER_HOUR
            ):
                raise SmsCodeRefused(SmsCodeRefused.TOO_MANY)
            code = f"{secrets.randbelow(10**6):06d}"
            # A new code replaces the older ones: only the latest can be used.
            cls.objects.filter(number=key, used_at__isnull=True).update(used_at=now)
            record = cls.objects.create(
                number=key,
                address=address[:45],
                code_hash=code_hash(mobile, code),
                created_at=now,
                expires_at=now + datetime.timedelta(minutes=settings.SMS_CODE_MINUTES),
            )
        return record, code

    @classmethod
    def redeem(cls, mobile: str, code: str | None) -> bool:
        """True once for the right, unexpired, unused code; every wrong try counts against it."""
        now = chinatime.now()
        code = "".join((code or "").split())
        with transaction.atomic():
            record = (
                cls.objects.select_for_update()
                .filter(number=number_key(mobile), used_at__isnull=True, expires_at__gt=now)
                .order_by("-created_at")
                .first()
            )
            if record is None or record.attempts >= settings.SMS_CODE_ATTEMPTS:
                return False
            if not hmac.compare_digest(record.code_hash, code_hash(mobile, code)):
                record.attempts += 1
                record.save(update_fields=["attempts"])
                return False
            record.used_at = now
            record.save(update_fields=["used_at"])
            return True

    @classmethod
    def forget_old(cls) -> None:
        forget_old(cls.objects, "created_at")
