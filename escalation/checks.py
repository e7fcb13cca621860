from django.core import checks
from django.db import DatabaseError
from django.utils.translation import gettext as _

from lib import chinatime


@checks.register(checks.Tags.database)
def holidays_known(app_configs, databases=None, **kwargs):
    """Warn when this year's holidays, or from 1 November next year's, are not known (manage.py check --database)."""
    from escalation import clock
    from escalation.holidays import years_needing_entry

    if not databases:
        return []
    try:
        missing = years_needing_entry(chinatime.today(), clock.Overrides.load())
    except DatabaseError:  # not migrated yet
        return []
    return [
        checks.Warning(
            _("The public holidays of %(year)d are not entered: deadlines that reach into %(year)d are provisional.")
            % {"year": year},
            hint=_("Enter them from the State Council notice at /admin/escalation/holidaycalendar/enter/?year=%(year)d")
            % {"year": year},
            id="escalation.W001",
        )
        for year in missing
    ]
