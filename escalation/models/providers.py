"""The payment companies merchants dispute with, and the policy text the ladder quotes from them."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escalation import markup
from escalation.models.base import STALE_AFTER_DAYS, Localized, localized_suffix
from escalation.models.ladder import Rung
from lib import chinatime

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL: django-stubs' plugin resolves this alias to it.
    from django.contrib.auth.models import _User as User


def validate_credit_code(value: str) -> None:
    """Check a unified social credit code (统一社会信用代码, GB 32100-2015) and its check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    code = value.strip().upper()
    if len(code) != 18 or any(char not in alphabet for char in code):
        raise ValidationError(
            _("A unified social credit code has 18 characters (digits and capital letters without I, O, Z, S, V)."),
            code="credit_code_format",
        )
    total = sum(alphabet.index(char) * weight for char, weight in zip(code[:17], weights, strict=True))
    if alphabet[(31 - total % 31) % 31] != code[17]:
        raise ValidationError(_("This unified social credit code has a wrong check character."), code="credit_code")


class Provider(Localized, models.Model):
    """A licensed payment institution that letters name as the respondent."""

    name = models.CharField(_("full legal name"), max_length=200, unique=True)
    short_name_zh = models.CharField(_("short name (Chinese)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    credit_code_source = models.CharField(_("source of the credit code"), max_length=300, blank=True)
    credit_code_checked_on = models.DateField(_("credit code checked on"), null=True, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True)
    registered_address_source = models.CharField(_("source of the address"), max_length=300, blank=True)
    registered_address_checked_on = models.DateField(_("address checked on"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    legal_representative_source = models.CharField(_("source of the legal representative"), max_length=300, blank=True)
    legal_representative_checked_on = models.DateField(_("legal representative checked on"), null=True, blank=True)
    complaints_to = models.CharField(
        _("where written complaints go"),
        max_length=300,
        blank=True,
        help_text=_("The address, email or online channel that takes written complaints and refund applications."),
    )
    complaints_to_source = models.CharField(_("source of the complaints address"), max_length=300, blank=True)
    complaints_to_checked_on = models.DateField(_("complaints address checked on"), null=True, blank=True)
    service_phone = models.CharField(_("customer-service phone"), max_length=60, blank=True)
    service_email = models.EmailField(_("customer-service email"), blank=True)
    service_web = models.URLField(_("customer-service web address"), blank=True)
    details_verified = models.BooleanField(
        _("details checked by an admin"),
        default=False,
        help_text=_("Leave off until the name, code, address and contacts were checked against an official record."),
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("One address per line."))
    is_active = models.BooleanField(_("shown to merchants"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by a merchant"),
        help_text=_("A company a merchant added; shown to others once an admin has checked it and ticks 'shown'."),
    )

    # What letters print about the provider, each with where it comes from.
    SOURCED_FIELDS = ["credit_code", "registered_address", "legal_representative", "complaints_to"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def short_name(self) -> str:
        return self.localized("short_name")

    def fact(self, field: str) -> tuple[str, str, datetime.date | None]:
        """(value, source, checked on) of one of ``SOURCED_FIELDS``; the value is "" when unknown."""
        return (
            getattr(self, field),
            getattr(self, f"{field}_source"),
            getattr(self, f"{field}_checked_on"),
        )

    def clean(self) -> None:
        missing = [
            # Each of SOURCED_FIELDS is a plain field (get_field's type also allows relations).
            str(cast("models.Field[Any, Any]", self._meta.get_field(field)).verbose_name)
            for field in self.SOURCED_FIELDS
            if getattr(self, field) and not getattr(self, f"{field}_source")
        ]
        if missing:
            raise ValidationError(
                _("Say where each detail comes from: %(fields)s.") % {"fields": ", ".join(missing)}, code="source"
            )


class PolicyText(models.Model):
    """The text merchants read at a rung, per language and optionally per provider.

    The text itself lives in revisions: every edit adds one, none is ever changed,
    and a case records the revision its merchant read.
    """

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Simplified Chinese")
        EN = "en", _("English")

    rung = models.ForeignKey(Rung, on_delete=models.PROTECT, related_name="policy_texts", verbose_name=_("rung"))
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_texts",
        verbose_name=_("provider"),
        help_text=_("Empty for the text that applies to every provider."),
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    current = models.ForeignKey(
        "PolicyRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current revision"),
    )

    class Meta:
        ordering = ["rung__position", "provider__name", "language"]
        verbose_name = _("policy text")
        verbose_name_plural = _("policy texts")
        constraints = [
            models.UniqueConstraint(
                fields=["rung", "language"], condition=Q(provider__isnull=True), name="one_general_policy_per_rung"
            ),
            models.UniqueConstraint(fields=["rung", "provider", "language"], name="one_policy_per_rung_provider"),
        ]

    def __str__(self) -> str:
        return self.title

    def revise(self, body: str, author: User | None, reviewed: bool = False) -> PolicyRevision:
        """Save ``body`` as a new revision and make it current; return it.

        Nothing is saved when the body is unchanged (the current revision is returned).
        """
        with transaction.atomic():
            locked = PolicyText.objects.select_for_update().get(pk=self.pk)
            current = locked.current
            if current is not None and current.body == body and not reviewed:
                return current
            number = (locked.revisions.aggregate(models.Max("number"))["number__max"] or 0) + 1
            revision = PolicyRevision.objects.create(
                policy=locked,
                number=number,
                body=body,
                body_html=markup.render(body),
                author=author,
                reviewed_by=author if reviewed else None,
                reviewed_on=chinatime.today() if reviewed else None,
            )
            PolicyText.objects.filter(pk=self.pk).update(current=revision)
            self.current = revision
        return revision

    def restore(self, revision: PolicyRevision, author: User | None) -> PolicyRevision:
        """Make an old revision's text current again, as a new revision (history is kept)."""
        if revision.policy_id != self.pk:
            raise ValueError("revision belongs to another policy text")
        return self.revise(revision.body, author)

    def is_stale(self, today: datetime.date | None = None) -> bool:
        """True when the current text was never reviewed, or not in the last 180 days."""
        today = today or chinatime.today()
        reviewed_on = self.current.reviewed_on if self.current else None
        return reviewed_on is None or (today - reviewed_on).days > STALE_AFTER_DAYS

    @classmethod
    def general_by_rung(cls, language: str | None = None) -> dict[int, PolicyText]:
        """{rung id: the general text} in ``language`` (Chinese where missing), in one query."""
        language = language or ("en" if localized_suffix() == "en" else "zh-hans")
        texts: dict[int, PolicyText] = {}
        query = cls.objects.filter(provider__isnull=True, current__isnull=False).select_related("current")
        for text in query.filter(language__in={language, "zh-hans"}):
            if text.language == language or text.rung_id not in texts:
                texts[text.rung_id] = text
        return texts

    @classmethod
    def for_rung(cls, rung: Rung, language: str | None = None, provider: Provider | None = None) -> PolicyText | None:
        """The text a merchant should read: the provider's own if there is one, else the general one.

        Chinese is the fallback when the language has no text.
        """
        language = language or ("en" if localized_suffix() == "en" else "zh-hans")
        candidates = cls.objects.filter(rung=rung, current__isnull=False).select_related("current")
        for lang in dict.fromkeys([language, "zh-hans"]):
            if provider is not None:
                text = candidates.filter(provider=provider, language=lang).first()
                if text:
                    return text
            text = candidates.filter(provider__isnull=True, language=lang).first()
            if text:
                return text
        return None


class PolicyRevision(models.Model):
    """One immutable version of a policy text."""

    policy = models.ForeignKey(
        PolicyText, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("policy text")
    )
    number = models.PositiveIntegerField(_("revision"))
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(_("text as shown"), editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    class Meta:
        ordering = ["policy", "-number"]
        verbose_name = _("policy revision")
        verbose_name_plural = _("policy revisions")
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="unique_policy_revision_number")]

    def __str__(self) -> str:
        return f"{self.policy} · r{self.number}"

    def mark_reviewed(self, reviewer: User | None, on: datetime.date | None = None) -> None:
        """Stamp this revision as reviewed (who and when); the text itself never changes."""
        self.reviewed_by = reviewer
        self.reviewed_on = on or chinatime.today()
        self.save(update_fields=["reviewed_by", "reviewed_on"])
