"""Sign up, log in by email or mobile, log out, password reset by email, and the profile."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import MobileTaken, Profile
from tests.factories import merchant

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "王小明",
    "email": "Xiaoming@Example.com",
    "mobile": "138 1234 5678",
    "password1": "Deposit-back-2026",
    "password2": "Deposit-back-2026",
}


def texted_code(sms_outbox, mobile="13812345678"):
    """The code in the text sent to ``mobile`` (the outbox is in order of the second sent only)."""
    [message] = [message for message in sms_outbox() if message["to"] == mobile]
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message["text"]).group(1)


def test_signup_opens_the_account_once_the_texted_code_comes_back(client, sms_outbox):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/accounts/sms/code/"
    assert not get_user_model().objects.exists()  # nothing is opened before the phone is proved
    page = client.get("/accounts/sms/code/").content.decode()
    assert "138****5678" in page
    response = client.post("/accounts/sms/code/", {"code": texted_code(sms_outbox)})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    user = get_user_model().objects.get()
    assert user.email == "xiaoming@example.com" and user.check_password("Deposit-back-2026")
    assert user.profile.full_name == "王小明"
    assert user.profile.mobile == "13812345678" and user.profile.mobile_verified
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


def test_signup_does_not_reveal_a_registered_email(client, sms_outbox):
    """F12: a new and a registered email get the same answer; the owner of the registered one gets a notice."""
    owner = merchant("xiaoming@example.com", mobile="13900000000")
    owner.email = "xiaoming@example.com"
    owner.save()
    fresh = client.post("/accounts/signup/", {**SIGNUP, "email": "new@example.com", "mobile": "13700000001"})
    fresh_page = client.get(fresh["Location"]).content.decode().replace("137****0001", "NUMBER")
    assert not mail.outbox
    client.session.flush()
    taken = client.post("/accounts/signup/", {**SIGNUP, "mobile": "13700000002"})
    taken_page = client.get(taken["Location"]).content.decode().replace("137****0002", "NUMBER")
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", taken_page) == strip.sub("", fresh_page)

    [notice] = mail.outbox
    assert notice.to == ["xiaoming@example.com"]
    assert "/accounts/login/" in notice.body and "/accounts/password-reset/" in notice.body
    # Whoever holds the phone opens an account, without the email that belongs to someone else.
    client.post("/accounts/sms/code/", {"code": texted_code(sms_outbox, "13700000002")})
    newcomer = get_user_model().objects.get(profile__mobile="13700000002")
    assert newcomer.email == "" and newcomer.username == "13700000002"
    owner.refresh_from_db()
    assert owner.email == "xiaoming@example.com" and owner.check_password("correct horse battery staple")


def test_signup_with_a_registered_mobile_logs_its_holder_in_to_that_account(client, sms_outbox):
    owner = merchant("owner@example.com", mobile="13812345678")
    owner.profile.verify_mobile("13812345678")
    response = client.post("/accounts/signup/", {**SIGNUP, "email": "other@example.com"})
    assert response["Location"] == "/accounts/sms/code/"  # the same answer as for a new number
    client.post("/accounts/sms/code/", {"code": texted_code(sms_outbox)})
    assert int(client.session["_auth_user_id"]) == owner.pk
    assert get_user_model().objects.count() == 1


def test_a_site_without_texts_proves_the_email_with_a_code_and_reveals_nothing(client, settings, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC), tick=False)
    settings.SMS_BACKEND = "lib.sms.tencent.TencentBackend"
    settings.SMS_TENCENT_SECRET_ID = ""
    response = client.post("/accounts/signup/", {**SIGNUP, "email": ""})
    assert "Type your email" in response.content.decode() or "邮箱" in response.content.decode()

    response = client.post("/accounts/signup/", SIGNUP)
    assert response["Location"] == "/accounts/sms/code/"
    assert "x*******@example.com" in client.get("/accounts/sms/code/").content.decode()
    [message] = mail.outbox
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", message.body).group(1)
    client.post("/accounts/sms/code/", {"code": code})
    user = get_user_model().objects.get()
    assert user.email == "xiaoming@example.com" and not user.profile.mobile_verified  # no text proved the number
    client.logout()

    time_machine.shift(dt.timedelta(minutes=2))  # codes to one address are spaced out
    response = client.post("/accounts/signup/", {**SIGNUP, "mobile": "13900000000"})
    assert response["Location"] == "/accounts/sms/code/"
    assert len(mail.outbox) == 2 and "/accounts/password-reset/" in mail.outbox[1].body  # a notice, no code
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize("login", ["owner@example.com", "OWNER@example.com", "13812345678", "+86 138-1234-5678"])
def test_log_in_with_email_or_verified_mobile(client, login):
    owner = merchant("owner@example.com")
    get_user_model().objects.filter(username="owner@example.com").update(email="owner@example.com")
    owner.profile.verify_mobile("13812345678")
    response = client.post("/accounts/login/", {"username": login, "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_a_mobile_logs_in_only_once_verified_and_only_to_the_account_that_verified_it(client):
    """F14: an account that merely typed someone's number never catches their logins."""
    squatter = merchant("13812345678", mobile="13812345678")  # signed up with another's number, unverified
    owner = merchant("owner@example.com", mobile="13812345678")
    password = "correct horse battery staple"
    assert client.post("/accounts/login/", {"username": "owner@example.com", "password": password}).status_code == 302
    client.logout()
    owner.profile.verify_mobile("13812345678")
    client.post("/accounts/login/", {"username": "13812345678", "password": password})
    assert int(client.session["_auth_user_id"]) == owner.pk  # the verified number, not the username that copies it
    client.logout()
    with pytest.raises(MobileTaken):
        squatter.profile.verify_mobile("13812345678")


def test_the_database_allows_one_account_per_verified_mobile():
    first = merchant("first@example.com", mobile="13812345678")
    second = merchant("second@example.com", mobile="13812345678")  # unverified copies are only contact numbers
    first.profile.verify_mobile("13812345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(pk=second.profile.pk).update(mobile_verified_at=timezone.now())


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


def test_the_migration_verifies_the_numbers_of_accounts_opened_by_a_code():
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from accounts.forms import create_merchant

    name = "0015_verified_mobiles_and_review_consent"
    migration = import_module(f"disputes.migrations.{name}")
    # The models as that migration saw them (Profile still in disputes); the same tables as today's.
    historical = MigrationLoader(connection).project_state(("disputes", name)).apps
    by_code = create_merchant("赵小店", "13900000001", "zh-hans")  # no password, named by its number
    typed = merchant("13900000002", mobile="13900000002")  # a password signup that only typed the number
    migration.verify_numbers_proved_by_code(historical, None)
    assert Profile.objects.get(user=by_code).mobile_verified
    assert not Profile.objects.get(user=typed).mobile_verified
