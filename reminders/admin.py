"""Reminders and sweep runs in the admin, read-only."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin
from reminders.models import Reminder, SweepRun


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "sequence", "due_on", "created_at", "email_sent_at", "email_skipped"]
    list_filter = ["kind", "email_skipped"]
    search_fields = ["case__id"]
    date_hierarchy = "created_at"
    list_select_related = ["case__provider"]


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "due", "sent", "skipped"]
    list_filter = ["finished_at"]
    search_fields = ["finished_at"]
    date_hierarchy = "finished_at"
