"""The limits a page is measured against.

``bare_form``: the wizard step's form class in a bare template. No session, no database, no
wizard: it renders the form with the same prefix and the same field markup, and on POST
validates it and redirects. It says what the form costs; no real page can get there.

``floor_form``: the same-stack floor, what a wizard step cannot avoid. It authenticates the
session (the session row and the user), loads the case by its owner in one query (404 for
anyone else), and renders the same form for that case (GET), or validates it, saves one row
(the timeline event a step writes) and redirects (POST). It renders its template without the
site's context processors (the header's unread-notice count is the page's work, not the floor's).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from cases.models import Case, Event, china_today
from wizard.views.wizard import STEPS

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
