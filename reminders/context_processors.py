from cases.access import shows_volunteer_pages
from reminders.models import Notification


def notices(request):
    """The unread in-app notices count for the header (one indexed COUNT, only for signed-in users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notices": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        "is_volunteer": shows_volunteer_pages(user),
    }
