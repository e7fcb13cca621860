from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import get_case_for, may_see
from cases.forms.evidence import EvidenceForm, EvidenceSearchForm, EvidenceTitleForm
from cases.models import Evidence
from cases.models.evidence import SUFFIXES


def back_to(request, case):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("cases:case", case=case.pk)


@login_required
@require_POST
def evidence_upload(request, case):
    case = get_case_for(request.user, case, owner_only=True)
    form = EvidenceForm(request.POST, request.FILES, case=case)
    if form.is_valid():
        try:
            evidence = form.save(request.user)
        except DatabaseError:
            messages.error(request, _("We could not save this file just now. Nothing was stored: please try again."))
        else:
            if evidence.created:
                messages.success(request, _("Saved as %(label)s.") % {"label": evidence.label})
            else:
                messages.info(request, _("This file is already saved as %(label)s.") % {"label": evidence.label})
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    response = back_to(request, case)
    if request.headers.get("X-Upload") == "progress":
        # The phone's upload script (static/js/app.js) goes to the page itself, so the
        # message above is shown there rather than read by the script's own request.
        return JsonResponse({"next": response.url})
    return response


def served_type(content_type):
    """The Content-Type of a download: the checked type, or opaque bytes for anything else."""
    if content_type == "text/plain":
        return "text/plain; charset=utf-8"
    return content_type if content_type in SUFFIXES else "application/octet-stream"


@login_required
def evidence_download(request, case, evidence):
    """Serve a private evidence file to someone who may see the case, always as a download.

    No file from a merchant is ever rendered in this site's pages (issue 18, F3): a PDF
    can carry scripts a browser's viewer runs, and a checker may miss something; a phone
    opens a downloaded photo in its own viewer.
    """
    item = Evidence.objects.select_related("case").filter(case_id=case, pk=evidence).first()
    if item is None or not may_see(request.user, item.case):
        raise Http404("No such evidence")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("File missing") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.download_name,
        content_type=served_type(item.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request, case, evidence):
    case = get_case_for(request.user, case, owner_only=True)
    item = get_object_or_404(case.evidence, pk=evidence)
    item.remove(request.user)
    messages.success(request, _("%(label)s was removed.") % {"label": item.label})
    return back_to(request, case)


@login_required
def evidence_list(request, case):
    """Every exhibit of a case, with what was read from it; ``q`` finds the exhibits whose text or title holds it.

    For whoever may see the case (its owner, a volunteer working on it, an admin); a 404 for anyone else.
    """
    case = get_case_for(request.user, case)
    form = EvidenceSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    evidence = case.evidence.prefetch_related("offered_facts")
    if query:
        evidence = evidence.filter(Q(text__icontains=query) | Q(title__icontains=query))
    context = {"case": case, "evidence": list(evidence), "search_form": form, "query": query}
    return render(request, "cases/evidence_list.html", context)


@login_required
@require_POST
def evidence_title(request, case, evidence):
    """The merchant keeps the title offered from the exhibit's text, or one of their own."""
    case = get_case_for(request.user, case, owner_only=True)
    item = get_object_or_404(case.evidence, pk=evidence)
    form = EvidenceTitleForm(request.POST)
    if form.is_valid():
        if item.describe(form.cleaned_data["title"], request.user):
            messages.success(
                request, _("%(label)s is now called “%(title)s”.") % {"label": item.label, "title": item.title}
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return back_to(request, case)
