"""The three roles as Django groups: merchant, volunteer, admin.

Kept in step with the code on every ``migrate`` (a post_migrate handler), so a
new permission reaches the groups without a data migration.
"""

from django.contrib.auth.models import Group, Permission

MERCHANT, VOLUNTEER, ADMIN = "merchant", "volunteer", "admin"
# The apps whose rows the admin group may view (read-only lists in the admin).
CASE_DATA_APPS = ["cases", "reminders", "documents", "review", "accounts"]


def ensure_roles(**kwargs):
    merchant, _ = Group.objects.get_or_create(name=MERCHANT)
    volunteer, _ = Group.objects.get_or_create(name=VOLUNTEER)
    admin, _ = Group.objects.get_or_create(name=ADMIN)
    review = Permission.objects.filter(content_type__app_label="cases", codename="review_case")
    volunteer.permissions.add(*review)
    admin_permissions = (
        Permission.objects.filter(content_type__app_label="escalation")
        | Permission.objects.filter(content_type__app_label="auth")
        | Permission.objects.filter(content_type__app_label__in=CASE_DATA_APPS, codename__startswith="view_")
        | review
    )
    admin.permissions.add(*admin_permissions)
    return merchant, volunteer, admin
