"""The home page: one start button, or the way back to an open case."""

from django.shortcuts import redirect, render
from django.templatetags.static import static

from cases.models import Case
from escalation.models import Rung


def home(request):
    """The way in: one start button, or 「继续我的案件」 for a merchant with an open case."""
    context = {"rungs": Rung.objects.all()}
    if request.user.is_authenticated:
        open_cases = list(
            Case.objects.filter(owner=request.user, status=Case.Status.OPEN).order_by("-updated_at").only("pk")[:2]
        )
        context["continue_case"] = open_cases[0] if open_cases else None
        context["several_open"] = len(open_cases) > 1
    return render(request, "home.html", context)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon."""
    return redirect(static("favicon.svg"))
