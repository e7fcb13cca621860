"""Who may see which case: one helper that every view and download goes through.

* a merchant sees their own cases;
* a volunteer also sees the open cases in the queue and the ones assigned to them;
* an admin (superuser) sees everything.
Anything else is a 404, never a 403: nobody learns that a case exists.
"""

from django.db.models import Q
from django.http import Http404

from .models import Case

REVIEW_PERMISSION = "disputes.review_case"


def is_volunteer(user):
    return user.is_authenticated and user.has_perm(REVIEW_PERMISSION)


def queue_cases(user):
    """The open cases a volunteer may work on: in the queue, unassigned or assigned to them."""
    if not is_volunteer(user):
        return Case.objects.none()
    in_queue = Q(status=Case.Status.OPEN, queued_at__isnull=False)
    if user.is_superuser:
        return Case.objects.filter(in_queue)
    return Case.objects.filter(in_queue & (Q(assigned_to__isnull=True) | Q(assigned_to=user)))


def visible_cases(user):
    """The cases ``user`` may look at."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    own = Q(owner=user)
    if is_volunteer(user):
        queue = Q(status=Case.Status.OPEN, queued_at__isnull=False) & (
            Q(assigned_to__isnull=True) | Q(assigned_to=user)
        )
        return Case.objects.filter(own | queue)
    return Case.objects.filter(own)


def get_case_for(user, pk, *, owner_only=False):
    """The case ``pk`` if ``user`` may see it (may act on it, with ``owner_only``); 404 otherwise."""
    cases = Case.objects.filter(owner=user) if owner_only and user.is_authenticated else visible_cases(user)
    try:
        return cases.select_related("rung", "provider").get(pk=pk)
    except (Case.DoesNotExist, ValueError):
        raise Http404("No such case") from None
