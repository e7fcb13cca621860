"""The limit a wizard step is measured against: the same form, in a bare template.

No session, no database, no wizard: it renders the step's form class with the
same prefix and the same field markup, and on POST validates it and redirects.
"""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render

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
