"""The message checker: paste a "deposit refund" message, see which marks of a refund scam it shows.

The text is read and answered, never stored and never logged (no logger here, and the access
log leaves out query strings: config/gunicorn.py). It is kept only when a signed-in merchant
saves it to one of their open cases as evidence (``save_to_case``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import get_case_for
from cases.models import Case, Evidence
from cases.uploads import check_upload
from checker.forms import CheckForm
from checker.models import ScamMark, verdict


def open_cases_of(user):
    """The cases a checked message may be saved to: the user's own open ones, latest first."""
    if not user.is_authenticated:
        return []
    return list(
        Case.objects.filter(owner=user, status=Case.Status.OPEN)
        .select_related("provider")
        .annotate(respondent_name=Case.respondent_name_subquery())
        .order_by("-updated_at")
    )


def answer(request, form, status=200):
    """The page: the form, and when it holds a message, the marks found in it."""
    findings = ScamMark.find_in(form.cleaned_data["text"]) if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "checked": findings is not None,
        "findings": findings or [],
        "open_cases": open_cases_of(request.user) if findings is not None else [],
    }
    return render(request, "checker/check.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def check(request):
    """GET shows the form (or the answer, given ``?text=``); POST answers. Nothing is kept."""
    if request.method == "POST":
        return answer(request, CheckForm(request.POST))
    return answer(request, CheckForm(request.GET) if "text" in request.GET else CheckForm())


@login_required
@require_POST
def save_to_case(request, case):
    """Keep a checked message as the next exhibit of one of the merchant's open cases, with the verdict."""
    case = get_case_for(request.user, case, owner_only=True)
    if not case.is_open:
        raise Http404("No such open case")
    form = CheckForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("checker:check")
    text = form.cleaned_data["text"]
    title = _("Suspicious message")
    upload = ContentFile(text.encode("utf-8"), name=f"{title}.txt")
    try:
        detected = check_upload(upload, case)  # the case's and the account's limits
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return answer(request, form)
    try:
        evidence = Evidence.add(
            case,
            upload,
            detected,
            request.user,
            title=title,
            proves=verdict(ScamMark.find_in(text))[:200],
            source=_("Pasted into the message checker"),
            once=True,
        )
    except DatabaseError:
        messages.error(request, _("We could not save this file just now. Nothing was stored: please try again."))
        return answer(request, form)
    if evidence.created:
        messages.success(request, _("Saved as %(label)s.") % {"label": evidence.label})
    else:
        messages.info(request, _("This file is already saved as %(label)s.") % {"label": evidence.label})
    return redirect(reverse("cases:case", args=[case.pk]) + "#evidence")
