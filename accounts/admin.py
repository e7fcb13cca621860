"""Profiles, users and groups in the admin.

Profiles are read-only with personal data masked. Users and groups keep Django's admin, except
that only a superuser hands out power: staff and superuser status, groups and permissions."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile
from lib.admin import ReadOnlyAdmin
from lib.personal import mask_name


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


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, where only a superuser grants roles or touches a superuser's account.

    The admin group may manage users (``auth`` permissions, accounts/roles.py), but a
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
