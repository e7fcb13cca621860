from django import template
from django.db import DatabaseError

from lib import chinatime

register = template.Library()


@register.simple_tag
def years_without_holidays():
    """The years the admin index asks an admin to enter (escalation.holidays.years_needing_entry)."""
    from escalation import cache
    from escalation.holidays import years_needing_entry

    try:
        return years_needing_entry(chinatime.today(), cache.overrides())
    except DatabaseError:
        return []
