"""Letters: preview on screen, issue as a frozen PDF, download through an access check; the handoff packet."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.access import get_case_for, may_see
from cases.models import Case
from documents import letters
from documents.letters import bilingual
from documents.models import Document
from documents.packet import write_packet
from lib import chinatime

LANGUAGES = set(Document.Language.values)
BLOCKED_MESSAGES = {
    letters.Blocker.NOTHING_OWED: gettext_lazy("Everything taken has been refunded: there is nothing left to claim."),
    letters.Blocker.PENDING: gettext_lazy("This letter is waiting for a volunteer's review."),
    letters.Blocker.CHANGES: gettext_lazy(
        "A volunteer asked for changes: change your case, then ask for a review again."
    ),
    letters.Blocker.CHANGED: gettext_lazy("The letter changed since it was approved: ask for a review again."),
}


def chosen_language(request, case):
    """The letter language asked for; the case owner's default when none is, or one that is not a letter language.

    A hand-typed ``?language=zh+en`` arrives as "zh en" (a plus is a space in a query string): it means the same.
    """
    language = (request.POST.get("language") or request.GET.get("language") or "").strip().replace(" ", "+")
    return language if language in LANGUAGES else bilingual.default_language(case)


def letter_or_404(case, kind, channel):
    try:
        return letters.find_letter(case, kind, channel)
    except letters.LetterNotAvailable:
        raise Http404("No such letter") from None


def step_url(case, letter):
    return reverse("wizard:ladder_step", args=[case.pk, Case.STEP_FOR_RUNG[letter.rung]])


def nothing_owed(request, case, letter):
    """Back to the case's documents: everything taken was refunded, so no letter is previewed or reviewed."""
    messages.info(request, BLOCKED_MESSAGES[letters.Blocker.NOTHING_OWED])
    return redirect(step_url(case, letter) + "#documents")


@login_required
def letter_preview(request, case, kind, channel=""):
    """The letter as HTML, from the same template as the PDF."""
    case = get_case_for(request.user, case, owner_only=True)
    letter = letter_or_404(case, kind, channel)
    if case.nothing_owed:
        return nothing_owed(request, case, letter)
    language = chosen_language(request, case)
    extra = {
        "back_url": step_url(case, letter),
        "letter_languages": bilingual.CHOICES,
        "issue_url": reverse("documents:letter_issue", args=[case.pk, kind, channel])
        if channel
        else reverse("documents:letter_issue", args=[case.pk, kind]),
    }
    html = letters.preview_html(case, letter, language, request=request, extra=extra)
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@login_required
@require_POST
def letter_issue(request, case, kind, channel=""):
    """Render the PDF now and freeze it as the next version."""
    case = get_case_for(request.user, case, owner_only=True)
    letter = letter_or_404(case, kind, channel)
    try:
        document = letters.issue(case, letter, chosen_language(request, case), request.user)
    except letters.LetterBlocked as blocked:
        messages.error(request, BLOCKED_MESSAGES[blocked.reason])
        return redirect(step_url(case, letter) + "#documents")
    except letters.signing.SigningError:  # logged by signing; the reason is for the site's administrators
        messages.error(
            request,
            _(
                "The letter could not be signed with the organisation's certificate, so it was not issued. "
                "Nothing is lost: try again later."
            ),
        )
        return redirect(step_url(case, letter) + "#documents")
    if document.created:
        messages.success(
            request,
            _("%(title)s issued as version %(version)s. Download it, print it, sign it and send it.")
            % {"title": letter.title, "version": document.version},
        )
    else:  # issued twice (a double click): the same letter, already there
        messages.info(
            request,
            _("%(title)s is unchanged since version %(version)s, which is issued already: download it below.")
            % {"title": letter.title, "version": document.version},
        )
    return redirect(step_url(case, letter) + "#documents")


@login_required
@require_POST
def letter_review(request, case, kind, channel=""):
    """Ask a volunteer to check the letter before issuing it (an open case only: a closed one is not queued)."""
    case = get_case_for(request.user, case, owner_only=True)
    letter = letter_or_404(case, kind, channel)
    if not case.is_open:
        messages.info(request, _("This case is closed. Reopen it from its last page to continue."))
        return redirect(step_url(case, letter) + "#documents")
    if case.nothing_owed:
        return nothing_owed(request, case, letter)
    shares = request.POST.get("share_personal_data") == "on"
    letters.submit_for_review(case, letter, chosen_language(request, case), request.user, shares_personal_data=shares)
    messages.success(request, _("Sent to the volunteers. You can issue the letter once it is approved."))
    return redirect(step_url(case, letter) + "#documents")


@login_required
def document_download(request, case, document):
    """An issued PDF, exactly as frozen, to someone who may see the case."""
    # One query for the document and its case; the access rule is then checked on them.
    document = Document.objects.select_related("case", "channel").filter(case_id=case, pk=document).first()
    if document is None or not may_see(request.user, document.case):
        raise Http404("No such document")
    etag = f'"{document.sha256}"'
    # An issued version never changes: a client that saved it gets "not modified", without the file.
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            handle = document.pdf.open("rb")
        except FileNotFoundError:
            raise Http404("File missing") from None
        response = FileResponse(handle, content_type="application/pdf", filename=document.filename)
        response["X-Content-Type-Options"] = "nosniff"
    # Never kept by the browser: a letter names the merchant, their ID number and address.
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = etag
    return response


def may_take_packet(user, case):
    """The packet is the owner's, and the volunteer's the case is assigned to (an admin's too)."""
    return case.owner_id == user.pk or user.is_superuser or case.assigned_to_id == user.pk


@login_required
def case_packet(request, case):
    """The handoff packet, put together now and streamed from a temporary file (never held in memory)."""
    case = get_case_for(request.user, case)
    if not may_take_packet(request.user, case):
        raise Http404("No such case")
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response once sent)
    try:
        write_packet(case, handle, translation.get_language())
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    day = chinatime.today().isoformat()
    response = FileResponse(handle, content_type="application/pdf", filename=f"case-packet-{day}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # it names the merchant and carries their evidence
    return response
