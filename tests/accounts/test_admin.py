"""The Django admin: staff in the admin group manage users, only a superuser hands out power (F5)."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ADMIN, VOLUNTEER, ensure_roles
from tests.factories import UserFactory, admin_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    """A staff member in the admin group, not a superuser."""
    ensure_roles()
    user = UserFactory(username="staff@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=ADMIN))
    return user


def change_form(user, **changes):
    """What the user change page posts back for ``user``, with ``changes``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "groups": [group.pk for group in user.groups.all()],
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def test_a_staff_admin_cannot_make_themselves_superuser_or_join_groups(client, staff):
    client.force_login(staff)
    volunteers = Group.objects.get(name=VOLUNTEER)
    url = f"/admin/auth/user/{staff.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, change_form(staff, first_name="改名", is_superuser="on", groups=[volunteers.pk]))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.first_name == "改名"  # the form was accepted…
    assert not staff.is_superuser  # …but the roles were not its to change
    assert list(staff.groups.values_list("name", flat=True)) == [ADMIN]


def test_a_staff_admin_cannot_grant_staff_status_to_someone_else(client, staff):
    other = UserFactory(username="merchant@example.com")
    client.force_login(staff)
    client.post(f"/admin/auth/user/{other.pk}/change/", change_form(other, is_staff="on", is_superuser="on"))
    other.refresh_from_db()
    assert not other.is_staff and not other.is_superuser


def test_a_superuser_grants_roles(client, staff):
    client.force_login(admin_user())
    volunteers = Group.objects.get(name=VOLUNTEER)
    response = client.post(
        f"/admin/auth/user/{staff.pk}/change/",
        change_form(staff, is_superuser="on", groups=[volunteers.pk]),
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.is_superuser
    assert list(staff.groups.values_list("name", flat=True)) == [VOLUNTEER]


def test_a_staff_admin_cannot_touch_a_superuser_account(client, staff):
    root = admin_user()
    email = root.email
    client.force_login(staff)
    response = client.post(f"/admin/auth/user/{root.pk}/change/", change_form(root, email="staff@example.com"))
    assert response.status_code == 403
    response = client.post(
        f"/admin/auth/user/{root.pk}/password/", {"password1": "Taken-over-2026", "password2": "Taken-over-2026"}
    )
    assert response.status_code == 403
    assert client.post(f"/admin/auth/user/{root.pk}/delete/", {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.email == email and root.check_password("correct horse battery staple")


def test_only_a_superuser_edits_groups(client, staff):
    admins = Group.objects.get(name=ADMIN)
    client.force_login(staff)
    assert client.get("/admin/auth/group/").status_code == 200  # staff may still look
    response = client.post(f"/admin/auth/group/{admins.pk}/change/", {"name": "admin", "permissions": []})
    assert response.status_code == 403
    assert client.post("/admin/auth/group/add/", {"name": "owners"}).status_code == 403
    assert admins.permissions.exists()
    assert not Group.objects.filter(name="owners").exists()

    client.force_login(admin_user())
    assert client.post("/admin/auth/group/add/", {"name": "owners"}).status_code == 302
    assert Group.objects.filter(name="owners").exists()
