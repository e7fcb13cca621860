"""Cases in the Django admin: read-only lists for operations, with filters and search; personal data masked."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Event, Step
from lib.admin import ReadOnlyAdmin


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["short_id", "provider_label", "amount", "status", "rung", "queued_at", "assigned_to", "created_at"]
    list_filter = ["status", "rung", "provider", "queue_reason", "category", "province"]
    search_fields = ["id", "provider__name", "parties__name", "owner__username"]
    list_select_related = ["rung", "provider", "assigned_to"]
    date_hierarchy = "created_at"
    exclude = ["merchant_number", "terminal_sn"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(respondent_name=Case.respondent_name_subquery())

    @admin.display(description=_("case"))
    def short_id(self, obj):
        return str(obj.pk)[:8]

    @admin.display(description=_("provider"))
    def provider_label(self, obj):
        return obj.provider_name


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    list_display = ["case", "rung", "channel", "started_on", "outcome", "due_on", "next_reminder_at"]
    list_filter = ["rung", "outcome", "channel", "due_provisional", "superseded"]
    search_fields = ["case__id", "reference"]
    list_select_related = ["case__provider", "rung", "channel"]
    date_hierarchy = "started_on"


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    search_fields = ["case__id"]
    date_hierarchy = "created_at"
    list_select_related = ["case__provider", "actor"]
