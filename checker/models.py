"""The marks of a refund scam, as admin-editable rules: what each looks like, why it matters, who says so.

Fake "deposit refund" messages (退押金 / 退服务费) ask for what a real refund never needs: a
click on a link, a verification code, a fee, a card number, a screen share (domain.md §8.4).
Each mark is a row: its patterns, its explanation in both languages, its source and how far
that source was verified. ``ScamMark.find_in`` reads a message against the active rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from escalation.models import Sourced
from lib.forms import scrub

# Pieces of one message shown for one mark: enough to recognise it, short enough for a phone.
MAX_PIECES = 3


def normalized(text: str) -> str:
    """The message as the patterns read it: invisible characters removed, full-width letters,
    digits and punctuation made ordinary (ｈｔｔｐ：／／ reads http://, ，reads ,)."""
    return unicodedata.normalize("NFKC", scrub(text))


@dataclass(frozen=True)
class Finding:
    """One mark a message shows, and the words of the message that show it."""

    mark: ScamMark
    found: tuple[str, ...]


class ScamMark(Sourced):
    """One mark of a refund scam: a link, a request for a code, a fee, a card number, a screen share…

    The inherited ``legal_basis_*`` columns name who says so (the authority, its document,
    the article); ``sources`` holds the addresses, one per line; ``verification`` how far
    it was checked.
    """

    class Kind(models.TextChoices):
        LINK = "link", _("A link or QR code")
        CODE = "code", _("Asks for a verification code")
        FEE = "fee", _("Asks for a payment to unlock the refund")
        CARD = "card", _("Asks for a card number or password")
        SCREEN_SHARE = "screen_share", _("Asks for a screen share")
        APP = "app", _("Asks to install an app")
        URGENCY = "urgency", _("Hurries or threatens")
        UNOFFICIAL_CONTACT = "unofficial_contact", _("A contact that is not the provider's official one")
        OTHER = "other", _("Other")

    class Matching(models.TextChoices):
        KEYWORDS = "keywords", _("Words or phrases")
        REGEX = "regex", _("Regular expressions")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("what it detects"), max_length=32, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("order on the page"), default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    explanation_zh = models.TextField(_("explanation in plain words (Chinese)"))
    explanation_en = models.TextField(_("explanation in plain words (English)"), blank=True)
    matching = models.CharField(
        _("the patterns are"), max_length=16, choices=Matching.choices, default=Matching.KEYWORDS
    )
    patterns = models.TextField(
        _("patterns"),
        help_text=_(
            "One per line. Upper and lower case match alike; the message is read with full-width letters, "
            "digits and punctuation made ordinary (ｈｔｔｐ reads http, the full-width comma reads ,)."
        ),
    )
    # Sourced's columns, named for what they hold here.
    legal_basis_zh = models.TextField(
        _("who says so (Chinese)"),
        blank=True,
        help_text=_("The authority and its warning or rule: name, document number, article, date."),
    )
    legal_basis_en = models.TextField(_("who says so (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("scam mark")
        verbose_name_plural = _("scam marks")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def explanation(self) -> str:
        return self.localized("explanation")

    @property
    def source_name(self) -> str:
        """Who says so, in the active language."""
        return self.legal_basis

    @property
    def pattern_lines(self) -> list[str]:
        return [line.strip() for line in self.patterns.splitlines() if line.strip()]

    def compiled(self) -> list[re.Pattern[str]]:
        """The patterns as regular expressions: keywords literally, both case-insensitive.

        A line that is not a valid expression (``clean`` refuses them; a row written around
        the admin may still hold one) is left out, so one bad line never breaks the page.
        """
        if self.matching != self.Matching.REGEX:
            return [re.compile(re.escape(normalized(line)), re.IGNORECASE) for line in self.pattern_lines]
        patterns = []
        for line in self.pattern_lines:
            try:
                patterns.append(re.compile(line, re.IGNORECASE))
            except re.error:
                continue
        return patterns

    def found_in(self, text: str) -> tuple[str, ...]:
        """The words of ``text`` that show this mark (each once, at most three), or () when none does."""
        text = normalized(text)
        found: list[str] = []
        for pattern in self.compiled():
            for match in pattern.finditer(text):
                piece = match.group(0).strip()
                if piece and not any(piece in kept or kept in piece for kept in found):
                    found.append(piece)
        return tuple(found[:MAX_PIECES])

    def clean(self) -> None:
        lines = self.pattern_lines
        if not lines:
            raise ValidationError({"patterns": _("Write at least one pattern.")}, code="no_pattern")
        if self.matching != self.Matching.REGEX:
            return
        problems = []
        for number, line in enumerate(lines, 1):
            try:
                pattern = re.compile(line, re.IGNORECASE)
            except re.error as error:
                problems.append(
                    ValidationError(
                        _("Line %(number)d is not a valid regular expression: %(line)s (%(error)s)"),
                        code="bad_regex",
                        params={"number": number, "line": line, "error": error},
                    )
                )
                continue
            if pattern.search("") is not None:
                problems.append(
                    ValidationError(
                        _("Line %(number)d matches an empty message, so it would mark every message: %(line)s"),
                        code="matches_everything",
                        params={"number": number, "line": line},
                    )
                )
        if problems:
            raise ValidationError({"patterns": problems})

    @classmethod
    def find_in(cls, text: str) -> list[Finding]:
        """Every active mark ``text`` shows, in the admin's order, with the words that show it."""
        findings = []
        for mark in cls.objects.filter(is_active=True):
            found = mark.found_in(text)
            if found:
                findings.append(Finding(mark, found))
        return findings


def verdict(findings: list[Finding]) -> str:
    """The checker's answer in one line, in the active language: kept with a message saved as evidence."""
    if not findings:
        return gettext("Message checker: no known scam marks found.")
    names = "; ".join(finding.mark.name for finding in findings)
    return ngettext(
        "Message checker: %(count)d mark of a refund scam (%(names)s).",
        "Message checker: %(count)d marks of a refund scam (%(names)s).",
        len(findings),
    ) % {"count": len(findings), "names": names}
