"""A merchant's account details: their profile, used in their letters."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from lib import chinatime
from lib.personal import mask_id_number, mask_mobile
from reminders.models import new_calendar_token


class MobileTaken(Exception):
    """Another account has already verified this mobile number."""


class Profile(models.Model):
    """A merchant's contact details, used in their letters.

    The mobile number is only a contact until a text-message code proves it
    (``mobile_verified_at``); then it is a login name too, and no other account
    may verify it (a unique constraint on verified numbers).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    full_name = models.CharField(_("full name"), max_length=60)
    mobile = models.CharField(_("mobile number"), max_length=20)
    mobile_verified_at = models.DateTimeField(
        _("mobile number verified at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a code sent by text message proved the number; only then does it log in."),
    )
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    id_number = models.CharField(
        _("ID card number"),
        max_length=18,
        blank=True,
        help_text=_("Optional. Only printed in the documents that legally need it; shown masked elsewhere."),
    )
    ethnicity = models.CharField(
        _("ethnicity"), max_length=20, blank=True, help_text=_("Optional; a civil complaint states it (e.g. 汉族).")
    )
    occupation = models.CharField(
        _("occupation"), max_length=60, blank=True, help_text=_("Optional; a civil complaint states it.")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="zh-hans")
    email_reminders = models.BooleanField(
        _("reminders by email"), default=True, help_text=_("In-app notices are always kept.")
    )
    sms_reminders = models.BooleanField(
        _("reminders by text message"),
        default=True,
        help_text=_("A short text to your mobile when the other side's time runs out."),
    )
    calendar_token = models.CharField(
        _("calendar feed key"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )

    class Meta:
        db_table = "disputes_profile"
        verbose_name = _("merchant profile")
        verbose_name_plural = _("merchant profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"],
                condition=models.Q(mobile_verified_at__isnull=False),
                name="disputes_profile_verified_mobile_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def mobile_verified(self) -> bool:
        return self.mobile_verified_at is not None

    @staticmethod
    def verified_elsewhere(mobile: str, user: int | None = None) -> bool:
        """Whether an account other than ``user``'s (a user's id) has verified ``mobile``."""
        others = Profile.objects.filter(mobile=mobile, mobile_verified_at__isnull=False)
        return others.exclude(user=user).exists() if user is not None else others.exists()

    def verify_mobile(self, mobile: str) -> None:
        """Record that a text-message code proved ``mobile`` is this merchant's; MobileTaken if another has it."""
        if Profile.verified_elsewhere(mobile, self.user_id):
            raise MobileTaken(mobile)
        self.mobile, self.mobile_verified_at = mobile, chinatime.now()
        try:
            with transaction.atomic():
                self.save(update_fields=["mobile", "mobile_verified_at"])
        except IntegrityError:  # verified by another account a moment ago
            self.refresh_from_db(fields=["mobile", "mobile_verified_at"])
            raise MobileTaken(mobile) from None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""
