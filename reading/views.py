"""The merchant's answer to a fact read from their evidence: right (confirm) or wrong (dismiss)."""

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import get_case_for
from cases.views.evidence import back_to
from reading.models import OfferedFact

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

CONFIRM, DISMISS = "confirm", "dismiss"


@login_required
@require_POST
def decide(request: HttpRequest, case: str, fact: str) -> HttpResponse:
    """Only the case's owner decides; anyone else gets 404, like every case URL."""
    case_obj = get_case_for(request.user, case, owner_only=True)
    offered = get_object_or_404(OfferedFact.objects.select_related("evidence"), pk=fact, case=case_obj)
    answer = request.POST.get("answer")
    user = cast("User", request.user)  # signed in: login_required
    if answer == CONFIRM:
        try:
            filled = offered.confirm(user)
        except ValidationError as error:  # e.g. a name longer than the case's field: nothing is changed
            messages.error(
                request, _("This cannot go into your case as it is: %(why)s") % {"why": " ".join(error.messages)}
            )
            return back_to(request, case_obj)
        if filled:
            messages.success(request, _("Confirmed, and added to your case: %(fact)s.") % {"fact": offered.value})
        else:
            messages.success(request, _("Confirmed: %(fact)s.") % {"fact": offered.value})
    elif answer == DISMISS:
        offered.dismiss(user)
        messages.info(request, _("Set aside: %(fact)s.") % {"fact": offered.value})
    else:
        messages.error(request, _("Choose whether this is right or not."))
    return back_to(request, case_obj)
