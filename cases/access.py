"""Who may see which case: one helper that every view and download goes through.

* a merchant sees their own cases;
* a volunteer also sees the open cases in the queue and the ones assigned to them;
* an admin (superuser) sees everything.
Anything else is a 404, never a 403: nobody learns that a case exists.
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from cases.models import Case

REVIEW_PERMISSION = "cases.review_case"


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


def get_case_for(user, pk, *, owner_only=False, related=(), annotations=None):
    """The case ``pk`` if ``user`` may see it (may act on it, with ``owner_only``); 404 otherwise.

    ``related`` names more relations to read in the same query, ``annotations`` more values.
    """
    if not user.is_authenticated:
        raise Http404("No such case")
    try:
        # The owner first: that answer needs no permission lookup.
        # The respondent's typed name comes in the same query: every page's header shows it.
        extra = {"respondent_name": Case.respondent_name_subquery(), **(annotations or {})}
        case = (
            Case.objects.select_related("rung", "provider", *related)
            .annotate(**extra)
            .filter(owner=user, pk=pk)
            .first()
        )
        if case is None and not owner_only:
            case = (
                visible_cases(user).select_related("rung", "provider", *related).annotate(**extra).filter(pk=pk).first()
            )
    except (ValidationError, ValueError):
        case = None
    if case is None:
        raise Http404("No such case")
    return case


def may_see(user, case):
    """Whether ``user`` may look at ``case`` (the rule of ``visible_cases``, for a case already read)."""
    if not user.is_authenticated:
        return False
    if case.owner_id == user.pk or user.is_superuser:
        return True
    return is_volunteer(user) and case.is_open and case.queued_at is not None and case.assigned_to_id in {None, user.pk}


def shows_volunteer_pages(user):
    """Whether the header links to the volunteers' pages: ``is_volunteer``, remembered for a minute.

    Only for the navigation; the volunteers' views and every access check ask
    ``is_volunteer`` itself, so a role taken away stops working at once.
    """
    if not user.is_authenticated:
        return False
    key = f"volunteer:{user.pk}"
    found = cache.get(key)
    if found is None:
        found = is_volunteer(user)
        cache.set(key, found, 60)
    return found
