"""The pieces every ladder model shares: text in both languages, legal sources and their verification marks."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

STALE_AFTER_DAYS = 180


def localized_suffix() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return "en" if language.startswith("en") else "zh"


class Localized:
    """Pick ``<field>_zh`` or ``<field>_en`` for the active language (Chinese when English is empty)."""

    def localized(self, field: str) -> str:
        value = getattr(self, f"{field}_{localized_suffix()}")
        return value or getattr(self, f"{field}_zh")


class Verification(models.TextChoices):
    PRIMARY = "primary", _("Verified against the legal text")
    SECONDARY = "secondary", _("Verified in a secondary source")
    UNVERIFIED = "unverified", _("Unverified")
    APP_DEFAULT = "default", _("App default, not law")


INTERNAL_REFERENCE = re.compile(r"\s*\(?\bdomain\.md(?:\s*§[\w.()]+(?:,?\s*(?:§|item)\s*[\w.()]+)*)?\)?[;,]?\s*")
MIRRORED_FILE = re.compile(r"^[^:]*:\s*(?P<path>\S+)\.md$")


def public_source(line: str) -> str:
    """One source line without internal references: a mirrored law file becomes the law's name.

    "LawRefBook (github.com/…): 行政法规/非银行支付机构监督管理条例(2023-12-09).md" reads
    "非银行支付机构监督管理条例(2023-12-09)", "…: 民法典/合同编.md" reads "民法典合同编", and
    "domain.md §6 (rung 2)" is dropped.
    """
    mirrored = MIRRORED_FILE.match(line)
    if mirrored:
        *folders, name = mirrored["path"].split("/")
        return f"民法典{name}" if folders and folders[-1] == "民法典" else name
    line = INTERNAL_REFERENCE.sub(" ", line).strip(" ;,")
    if re.fullmatch(r"\(rung \d\)", line):
        return ""
    if line.startswith("(") and line.endswith(")"):
        line = line[1:-1]
    return line


class Sourced(Localized, models.Model):
    """A legal fact: its basis, where it can be re-checked, and how far it was verified."""

    legal_basis_zh = models.TextField(_("legal basis (Chinese)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("One address or legal-text reference per line."))
    verification = models.CharField(
        _("verification"), max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )

    class Meta:
        abstract = True

    @property
    def legal_basis(self) -> str:
        return self.localized("legal_basis")

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def public_source_list(self) -> list[str]:
        """The sources as a merchant reads them: laws and pages by name, without the team's file references."""
        return [line for line in map(public_source, self.source_list) if line]

    @property
    def is_verified(self) -> bool:
        return self.verification in {Verification.PRIMARY, Verification.SECONDARY}
