"""The ladder's documents: which letters a case can have, and rendering and issuing them.

A letter is (kind, channel, language). Complaint filings are addressed to a
channel; the family of the channel (financial regulator, market regulator or
consumer association, industry association) picks the template.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from escalation.models import Channel

from ..models import Document
from .context import letter_context
from .render import html_to_pdf, render_html, template_version

TEMPLATES = {
    Document.Kind.REFUND_APPLICATION: "letters/refund_application.html",
    Document.Kind.COMPLAINT_FINANCIAL: "letters/complaint_financial.html",
    Document.Kind.COMPLAINT_MARKET: "letters/complaint_market.html",
    Document.Kind.COMPLAINT_ASSOCIATION: "letters/complaint_association.html",
    Document.Kind.CIVIL_COMPLAINT: "letters/civil_complaint.html",
}
FILING_KINDS = {
    Channel.Filing.FINANCIAL: Document.Kind.COMPLAINT_FINANCIAL,
    Channel.Filing.MARKET: Document.Kind.COMPLAINT_MARKET,
    Channel.Filing.ASSOCIATION: Document.Kind.COMPLAINT_ASSOCIATION,
    Channel.Filing.CIVIL: Document.Kind.CIVIL_COMPLAINT,
}
RUNG_OF_KIND = {
    Document.Kind.REFUND_APPLICATION: 3,
    Document.Kind.COMPLAINT_FINANCIAL: 4,
    Document.Kind.COMPLAINT_MARKET: 4,
    Document.Kind.COMPLAINT_ASSOCIATION: 4,
    Document.Kind.CIVIL_COMPLAINT: 5,
}


class LetterNotAvailable(ValueError):
    pass


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

    @property
    def template(self):
        return TEMPLATES[self.kind]

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


def preview_html(case, letter, language):
    return render_html(letter.template, letter_context(case, language, letter.channel), language)


def render_pdf(case, letter, language):
    """(html, pdf bytes) for a fresh render of the letter from the case as it is now."""
    html = render_html(letter.template, letter_context(case, language, letter.channel), language, for_pdf=True)
    return html, html_to_pdf(html)


def issue(case, letter, language, actor):
    """Render and freeze the letter as a new Document version."""
    html, pdf = render_pdf(case, letter, language)
    return Document.issue(
        case,
        letter.kind,
        language,
        html,
        pdf,
        template_version(letter.template),
        actor,
        channel=letter.channel,
    )
