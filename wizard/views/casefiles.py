"""The case file in and out of the web pages: a merchant downloads theirs, a volunteer imports one."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases.access import get_case_for
from cases.models import Case
from documents.casefile.exporter import export_case
from documents.casefile.schema import CaseFileError
from review.views import volunteer_required
from wizard.casefile.importer import import_case
from wizard.casefile.upload import opened
from wizard.forms import ImportForm


@login_required
def case_file(request, case):
    """The merchant's case as a case file (JSON), to keep, to give a lawyer, or to bring elsewhere."""
    case = get_case_for(request.user, case, owner_only=True)
    body = json.dumps(export_case(case), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="case-{str(case.pk)[:8]}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def import_into_list(document, volunteer, folder):
    """Import a case file into the volunteer's list: the case, its queue entry and its assignment, all or nothing.

    A case imported but left out of the queue would reach no volunteer at all.
    """
    with transaction.atomic():
        case = import_case(document, actor=volunteer, base_dir=folder)
        case.enqueue(Case.QueueReason.IMPORTED, volunteer)
        case.take(volunteer)
    return case


@volunteer_required
def import_file(request):
    """A volunteer brings in a case taken by phone or on paper; it lands in their list."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with opened(form.cleaned_data["file"]) as (document, folder):
                case = import_into_list(document, request.user, folder)
        except CaseFileError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("The case is imported and in your list."))
            return redirect("review:case", case=case.pk)
    status = 400 if form.errors else 200
    return render(request, "review/import.html", {"form": form}, status=status)
