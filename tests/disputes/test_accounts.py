"""Sign up, log in by email or mobile, log out, password reset by email, and the profile."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from disputes.models import Profile
from tests.factories import merchant

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "王小明",
    "email": "Xiaoming@Example.com",
    "mobile": "138 1234 5678",
    "password1": "Deposit-back-2026",
    "password2": "Deposit-back-2026",
}


def test_signup_creates_the_account_and_profile_and_logs_in(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = get_user_model().objects.get()
    assert user.email == "xiaoming@example.com"
    assert user.profile.full_name == "王小明"
    assert user.profile.mobile == "13812345678"
    assert user.profile.language == "zh-hans"
    assert client.get("/cases/").status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password2": "something-else-2026"}, "两次输入的密码不一致"),
        ({"password1": "12345678", "password2": "12345678"}, "这个密码太常见了"),
        ({"mobile": "12345"}, "请输入11位手机号"),
        ({"email": "not-an-email"}, "输入一个有效的 Email 地址"),
    ],
)
def test_signup_errors_are_clear_and_in_chinese(client, change, message):
    response = client.post("/accounts/signup/", {**SIGNUP, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.exists()


def test_an_email_can_sign_up_once(client):
    client.post("/accounts/signup/", SIGNUP)
    client.logout()
    response = client.post("/accounts/signup/", {**SIGNUP, "email": "xiaoming@example.com"})
    assert "该邮箱已注册" in response.content.decode()
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize("login", ["owner@example.com", "OWNER@example.com", "13812345678"])
def test_log_in_with_email_or_mobile(client, login):
    merchant("owner@example.com")
    get_user_model().objects.filter(username="owner@example.com").update(email="owner@example.com")
    response = client.post("/accounts/login/", {"username": login, "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_wrong_password_is_refused_in_chinese(client):
    merchant("owner@example.com")
    response = client.post("/accounts/login/", {"username": "owner@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_log_out_is_a_post(client):
    user = merchant("owner@example.com")
    client.force_login(user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 302


def test_password_reset_by_email(client):
    user = merchant("owner@example.com")
    user.email = "owner@example.com"
    user.save()
    client.post("/accounts/password-reset/", {"email": "owner@example.com"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "重置" in message.subject
    assert message.alternatives  # an HTML part too
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "A-new-secret-2026", "new_password2": "A-new-secret-2026"})
    assert response.status_code == 302
    assert client.login(username="owner@example.com", password="A-new-secret-2026")


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


VALID_ID = "11010519491231002X"


def test_profile_validates_the_id_number_checksum(client):
    user = merchant("owner@example.com")
    client.force_login(user)
    data = {"full_name": "张三", "email": "owner@example.com", "mobile": "13812345678", "language": "zh-hans"}
    response = client.post("/accounts/profile/", {**data, "id_number": "110105194912310021"})
    assert "最后一位" in response.content.decode()
    response = client.post("/accounts/profile/", {**data, "id_number": "110105194913310029"})
    assert "出生日期" in response.content.decode()
    client.post("/accounts/profile/", {**data, "id_number": VALID_ID.lower()})
    assert Profile.objects.get(user=user).id_number == VALID_ID


def test_the_profile_never_shows_the_id_number_in_full(client):
    user = merchant("owner@example.com", id_number=VALID_ID)
    client.force_login(user)
    page = client.get("/accounts/profile/").content.decode()
    assert VALID_ID not in page
    assert "1101**********002X" in page
    # Saving without retyping it keeps it; the checkbox removes it.
    data = {"full_name": "张三", "email": "owner@example.com", "mobile": "13812345678", "language": "zh-hans"}
    client.post("/accounts/profile/", {**data, "id_number": ""})
    assert Profile.objects.get(user=user).id_number == VALID_ID
    client.post("/accounts/profile/", {**data, "id_number": "", "remove_id_number": "on"})
    assert Profile.objects.get(user=user).id_number == ""


def test_profile_language_is_remembered(client):
    user = merchant("owner@example.com")
    client.force_login(user)
    data = {"full_name": "Zhang San", "email": "owner@example.com", "mobile": "13812345678", "language": "en"}
    client.post("/accounts/profile/", data)
    assert "My cases" in client.get("/cases/").content.decode()
