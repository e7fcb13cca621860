"""Facts read from evidence in the admin, read-only."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin
from reading.models import OfferedFact


@admin.register(OfferedFact)
class OfferedFactAdmin(ReadOnlyAdmin):
    list_display = ["kind", "label", "status", "created_at"]
    list_filter = ["kind", "status"]
