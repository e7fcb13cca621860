"""Who may see which group: one helper every group view goes through (404 otherwise, never 403).

* a member (the owner of a case in the group) sees the group;
* a volunteer sees a group with a member case in their part of the queue (queued, unassigned or
  assigned to them), and a group that asked for help choosing its representatives;
* an admin (superuser) sees every group.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from cases.access import is_volunteer, queue_cases
from groups.models import ComplaintGroup


def visible_groups(user):
    """The groups ``user`` may look at."""
    if not user.is_authenticated:
        return ComplaintGroup.objects.none()
    if user.is_superuser:
        return ComplaintGroup.objects.all()
    member = Q(members__case__owner=user, members__left_at__isnull=True)
    if is_volunteer(user):
        queued = Q(members__case__in=queue_cases(user), members__left_at__isnull=True)
        return ComplaintGroup.objects.filter(member | queued | Q(help_requested_at__isnull=False)).distinct()
    return ComplaintGroup.objects.filter(member).distinct()


def get_group_for(user, pk):
    """The group ``pk`` if ``user`` may see it; 404 otherwise."""
    if not user.is_authenticated:
        raise Http404("No such group")
    try:
        group = visible_groups(user).select_related("provider").filter(pk=pk).first()
    except (ValidationError, ValueError):
        group = None
    if group is None:
        raise Http404("No such group")
    return group


def is_member(user, group):
    return user.is_authenticated and group.membership_of(user) is not None


def sees_as_helper(user, group):
    """A volunteer or an admin who is not a member: sees masked names and may appoint representatives."""
    return not is_member(user, group) and (user.is_superuser or is_volunteer(user))
