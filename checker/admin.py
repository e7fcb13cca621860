from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from checker.models import ScamMark


@admin.register(ScamMark)
class ScamMarkAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "kind", "matching", "verification", "is_active", "position"]
    list_display_links = ["name_zh"]
    list_editable = ["is_active", "position"]
    list_filter = ["kind", "matching", "verification", "is_active"]
    search_fields = ["code", "name_zh", "name_en", "patterns", "explanation_zh", "explanation_en"]
    fieldsets = [
        (None, {"fields": ("code", "kind", "position", "is_active")}),
        (_("What the merchant reads"), {"fields": ("name_zh", "name_en", "explanation_zh", "explanation_en")}),
        (_("How the checker finds it"), {"fields": ("matching", "patterns")}),
        (_("Who says so"), {"fields": ("legal_basis_zh", "legal_basis_en", "sources", "verification")}),
    ]
