"""The limits a page or a letter is measured against.

``bare_form``: the wizard step's form class in a bare template. No session, no database, no
wizard: it renders the form with the same prefix and the same field markup, and on POST
validates it and redirects. It says what the form costs; no real page can get there.

``floor_form``: the same-stack floor, what a wizard step cannot avoid. It authenticates the
session (the session row and the user), loads the case by its owner in one query (404 for
anyone else), and renders the same form for that case (GET), or validates it, saves one row
(the timeline event a step writes) and redirects (POST). It renders its template without the
site's context processors (the header's unread-notice count is the page's work, not the floor's).

``bare_letter``: a bare WeasyPrint render of an issued letter's HTML (bench/letters.py writes it to
``var/bench/letter.html``) to the same PDF/A-3a, answered as the PDF. No session, no database, no
case file: in the same gunicorn worker as the issue it is compared with. Like every render in a
long-running worker it ends by collecting its garbage (WeasyPrint's layout is full of reference
cycles): left to Python's collector, that work would land in whichever request comes next.
"""

import gc

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from cases.models import Case, Event, china_today
from wizard.views.wizard import STEPS

from .common import VAR

FORMS = dict(STEPS)


def bare_form(request, step):
    form_class = FORMS.get(step)
    if form_class is None:
        raise Http404("No such step")
    if request.method == "POST":
        form = form_class(request.POST, prefix=step)
        if form.is_valid():
            return HttpResponseRedirect(request.path)
    else:
        form = form_class(prefix=step)
    return render(request, "bench/bare_form.html", {"form": form})


@login_required
def floor_form(request, case, step):
    form_class = FORMS.get(step)
    if form_class is None:
        raise Http404("No such step")
    case = get_object_or_404(Case, pk=case, owner=request.user)
    if request.method == "POST":
        form = form_class(request.POST, prefix=step, case=case)
        if form.is_valid():
            details = {name: str(value) for name, value in form.cleaned_data.items()}
            case.record(Event.Kind.STEP_LOGGED, request.user, **details)
            return HttpResponseRedirect(request.path)
    else:
        form = form_class(prefix=step, case=case, initial={"started_on": china_today()})
    # The template alone: no context processor adds a query the floor does not need.
    return HttpResponse(render_to_string("bench/bare_form.html", {"form": form, "csrf_token": get_token(request)}))


def bare_letter(request):
    import weasyprint

    from documents.letters.render import ASSET_BASE, PDF_VARIANT, _letter_fetcher_class

    html = (VAR / "letter.html").read_text(encoding="utf-8")
    fetcher = _letter_fetcher_class()()
    try:
        pdf = weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)
    finally:
        gc.collect()
    return HttpResponse(pdf, content_type="application/pdf")
