from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Localized:
    """Pick ``<field>_zh`` or ``<field>_en`` for the active language.

    Ladder content is edited by admins in both languages, so it lives in
    paired columns rather than in the gettext catalogue.
    """

    def localized(self, field):
        language = translation.get_language() or "zh-hans"
        suffix = "en" if language.startswith("en") else "zh"
        value = getattr(self, f"{field}_{suffix}")
        return value or getattr(self, f"{field}_zh")


class Rung(Localized, models.Model):
    """One of the five fixed rungs of the ladder, in order."""

    class Code(models.TextChoices):
        READ_POLICY = "read_policy", _("Read the policy")
        CUSTOMER_SERVICE = "customer_service", _("Contact customer service")
        WRITTEN_APPLICATION = "written_application", _("Written application")
        THIRD_PARTY = "third_party", _("Third-party complaint")
        LITIGATION = "litigation", _("Litigation or arbitration")

    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    code = models.CharField(_("code"), max_length=32, choices=Code.choices, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100)

    class Meta:
        ordering = ["position"]
        verbose_name = _("rung")
        verbose_name_plural = _("rungs")

    def __str__(self):
        return f"{self.position}. {self.localized('title')}"

    @property
    def title(self):
        return self.localized("title")
