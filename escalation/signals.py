"""Signals for the apps that build on the ladder (escalation imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction that saved a year's holidays (HolidayCalendar.replace_schedule),
# with ``year`` and ``actor``: receivers recompute the deadlines that depend on that year.
holidays_saved = Signal()
