"""The ladder's documents: which letters a case can have, and rendering and issuing them.

A letter is (kind, channel, language). Complaint filings are addressed to a
channel; the family of the channel (financial regulator, market regulator or
consumer association, industry association) picks the template.
"""

import json
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from documents.casefile.exporter import export_case
from documents.casefile.schema import FORMAT
from documents.letters import signing
from documents.letters.bilingual import letter_html, text_language
from documents.letters.context import letter_context
from documents.letters.facts import family_of
from documents.letters.render import Carried, html_to_pdf, template_version
from documents.models import Document, LetterReview
from escalation import rungs
from escalation.models import Channel
from lib import chinatime

# The name of the case file every PDF carries (the merchant never sees it: a PDF reader lists it).
CASE_FILE_NAME = "case.json"

# The form of each recipient's document (facts.family_of). What each body needs (its addressee,
# requests, the standing of the one who writes, where to send it) comes from the records.
TEMPLATES = {
    "application": "letters/refund_application.html",
    "pboc": "letters/complaint.html",
    "nfra": "letters/complaint.html",
    "samr_complaint": "letters/complaint.html",
    "consumer_association": "letters/complaint.html",
    "samr_report": "letters/report.html",
    "pcac": "letters/report.html",
    "civil": "letters/civil_complaint.html",
}
FILING_KINDS = {
    Channel.Filing.FINANCIAL: Document.Kind.COMPLAINT_FINANCIAL,
    Channel.Filing.MARKET: Document.Kind.COMPLAINT_MARKET,
    Channel.Filing.ASSOCIATION: Document.Kind.COMPLAINT_ASSOCIATION,
    Channel.Filing.CIVIL: Document.Kind.CIVIL_COMPLAINT,
}
RUNG_OF_KIND = {
    Document.Kind.REFUND_APPLICATION: rungs.APPLICATION,
    Document.Kind.COMPLAINT_FINANCIAL: rungs.THIRD_PARTY,
    Document.Kind.COMPLAINT_MARKET: rungs.THIRD_PARTY,
    Document.Kind.COMPLAINT_ASSOCIATION: rungs.THIRD_PARTY,
    Document.Kind.CIVIL_COMPLAINT: rungs.LITIGATION,
}


class LetterNotAvailable(ValueError):
    pass


class LetterBlocked(ValueError):
    """The letter waits for a volunteer's review, or changed since it was approved."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Letter:
    """One document a case can have: its kind and, for filings, the channel it goes to."""

    kind: str
    channel: Channel | None = None

    @property
    def title(self):
        if self.channel and self.kind != Document.Kind.CIVIL_COMPLAINT:
            return _("%(kind)s: %(channel)s") % {"kind": Document.Kind(self.kind).label, "channel": self.channel.name}
        return Document.Kind(self.kind).label

    @property
    def channel_code(self):
        return self.channel.code if self.channel else ""

    def template_for(self, case):
        return TEMPLATES[family_of(self, case)]

    @property
    def rung(self):
        return RUNG_OF_KIND[self.kind]


def available_letters(case):
    """Every document this case can have, in ladder order."""
    letters = [Letter(Document.Kind.REFUND_APPLICATION)]
    channels = Channel.objects.filter(is_active=True).exclude(filing="").select_related("rung")
    for channel in channels.order_by("rung__position", "position"):
        letters.append(Letter(FILING_KINDS[channel.filing], channel))
    return letters


def find_letter(case, kind, channel_code=""):
    for letter in available_letters(case):
        if letter.kind == kind and letter.channel_code == (channel_code or ""):
            return letter
    raise LetterNotAvailable(f"{kind} {channel_code}")


def preview_html(case, letter, language, request=None, extra=None):
    return letter_html(case, letter, language, request=request, extra=extra)


def render_pdf(case, letter, language):
    """(html, pdf bytes) for a fresh render of the letter from the case as it is now, carrying its case file."""
    html = letter_html(case, letter, language, for_pdf=True)  # one language, or both (bilingual.py)
    return html, html_to_pdf(html, carried=[case_file(case, text_language(language))])


def case_file(case, language):
    """The case file (docs/case-format.md) as the case stands now, to be carried inside a PDF."""
    with translation.override(language):
        description = str(_("The case file (%(format)s) as it stood when this document was made") % {"format": FORMAT})
    data = json.dumps(export_case(case), ensure_ascii=False, indent=2).encode()
    return Carried(name=CASE_FILE_NAME, data=data, description=description, moment=chinatime.now())


def checklist(case, letter, language):
    """What the letter's recipient needs that the case still lacks (the PDF says 草稿 until none)."""
    return letter_context(case, letter, text_language(language))["facts"].checklist


def content_hash(case, letter, language):
    """The letter's content for a review: rendered on a fixed date, so the day it is printed on does not count.

    The date is the one the case's facts stand on (its last change), so the
    laws in force are those of the letter, not of a date long past.
    """
    day = case.updated_at.date() if case.updated_at else None
    return LetterReview.hash_of(letter_html(case, letter, language, today=day))


def latest_review(case, letter):
    return case.letter_reviews.filter(kind=letter.kind, channel=letter.channel).select_related("reviewer").first()


class Blocker(StrEnum):
    """Why a letter cannot be issued now."""

    NOTHING_OWED = "nothing_owed"  # everything taken was refunded
    PENDING = "pending"  # a volunteer's review is awaited
    CHANGES = "changes"  # the volunteer asked for changes
    CHANGED = "changed"  # the case changed since the letter was approved


def issue_blocker(case, letter, review=None):
    """Why the letter cannot be issued now (a Blocker), or None."""
    if case.nothing_owed:
        return Blocker.NOTHING_OWED
    review = review or latest_review(case, letter)
    if review is None:
        return None
    if review.status == LetterReview.Status.PENDING:
        return Blocker.PENDING
    if review.status == LetterReview.Status.CHANGES:
        return Blocker.CHANGES
    if content_hash(case, letter, review.language) != review.content_hash:
        return Blocker.CHANGED
    return None


def submit_for_review(case, letter, language, actor, shares_personal_data=False):
    """Ask a volunteer to check the letter as it is now (masked unless the merchant shares their details).

    One transaction: the copy and the hash are read from the same state of the case,
    and the review, its timeline line and the queue entry are written together or not at all.
    """
    with transaction.atomic():
        return LetterReview.submit(
            case,
            letter,
            language,
            preview_html(case, letter, language),
            content_hash(case, letter, language),
            actor,
            shares_personal_data=shares_personal_data,
        )


def issue(case, letter, language, actor):
    """Render and freeze the letter as a new Document version (LetterBlocked while a review stops it)."""
    review = latest_review(case, letter)
    blocker = issue_blocker(case, letter, review)
    if blocker:
        raise LetterBlocked(blocker)
    html, pdf = render_pdf(case, letter, language)
    pdf, signer = signing.sign_if_configured(pdf)  # issued letters only, never previews (signing.py)
    return Document.issue(
        case,
        letter.kind,
        language,
        html,
        pdf,
        template_version(letter.template_for(case)),
        actor,
        channel=letter.channel,
        review=review,
        signer=signer,
    )
