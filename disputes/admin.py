"""Case data in the Django admin: read-only lists for operations, with filters and search.

Cases change through the app's model methods (which keep the timeline), never
through admin forms; personal data is masked in every list. Users and groups
keep Django's admin, except that only a superuser hands out power: staff and
superuser status, groups and permissions.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .models import Case, Comment, Document, Event, LetterReview, Profile, Reminder, Step, SweepRun
from .personal import mask_name


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["masked_name", "user", "masked_mobile", "masked_id_number", "language", "email_reminders"]
    list_filter = ["language", "email_reminders"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "masked_name", "masked_mobile", "masked_id_number", "language", "email_reminders"]
    readonly_fields = fields

    @admin.display(description=_("full name"))
    def masked_name(self, obj):
        return mask_name(obj.full_name)

    @admin.display(description=_("mobile number"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    @admin.display(description=_("ID card number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    list_display = ["case", "rung", "channel", "started_on", "outcome", "due_on", "next_reminder_at"]
    list_filter = ["rung", "outcome", "channel", "due_provisional", "superseded"]
    search_fields = ["case__id", "reference"]
    list_select_related = ["case__provider", "rung", "channel"]
    date_hierarchy = "started_on"


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "channel", "language", "version", "issued_at", "size"]
    list_filter = ["kind", "language", "channel"]
    search_fields = ["case__id", "sha256"]
    exclude = ["html"]
    list_select_related = ["case__provider", "channel"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "sequence", "due_on", "created_at", "email_sent_at", "email_skipped"]
    list_filter = ["kind", "email_skipped"]
    search_fields = ["case__id"]
    date_hierarchy = "created_at"
    list_select_related = ["case__provider"]


@admin.register(LetterReview)
class LetterReviewAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "channel", "status", "requested_at", "reviewer", "reviewed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["case__id", "note"]
    exclude = ["html"]
    list_select_related = ["case__provider", "channel", "reviewer"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["case", "author", "visibility", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["case__id", "body"]
    list_select_related = ["case__provider", "author"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    search_fields = ["case__id"]
    date_hierarchy = "created_at"
    list_select_related = ["case__provider", "actor"]


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "due", "sent", "skipped"]
    list_filter = ["finished_at"]
    search_fields = ["finished_at"]
    date_hierarchy = "finished_at"


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, where only a superuser grants roles or touches a superuser's account.

    The admin group may manage users (``auth`` permissions, disputes/roles.py), but a
    staff member who could tick "superuser" on their own account would own the site.
    """

    ROLE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return (*fields, *self.ROLE_FIELDS)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # nor their password: a changed email or password would take the account over
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Groups carry permissions: staff may look at them, only a superuser may change them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
