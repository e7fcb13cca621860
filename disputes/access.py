"""Who may see which case: one helper that every view and download goes through."""

from django.db.models import Q
from django.http import Http404

from .models import Case


def visible_cases(user):
    """The cases ``user`` may look at: their own; everything for admins."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(Q(owner=user))


def get_case_for(user, pk, *, owner_only=False):
    """The case ``pk`` if ``user`` may see it (may act on it, with ``owner_only``); 404 otherwise."""
    cases = Case.objects.filter(owner=user) if owner_only and user.is_authenticated else visible_cases(user)
    try:
        return cases.select_related("rung", "provider").get(pk=pk)
    except (Case.DoesNotExist, ValueError):
        raise Http404("No such case") from None
