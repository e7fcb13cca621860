"""The phone as identity: SMS codes to sign up and log in, reminders by text message, a pluggable backend."""

import datetime as dt
import logging
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth import get_user_model

from accounts.models import Profile, SmsCode
from cases.models import Step, at_china_hour
from escalation.models import Channel, Rung
from lib import sms
from lib.sms.tencent import SmsRefused, TencentBackend
from reminders import sweep as reminders
from reminders.models import Reminder
from tests.factories import merchant, open_case

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
START = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def code_in(message):
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message["text"]).group(1)


def ask_for_code(client, mobile=MOBILE, **extra):
    return client.post("/accounts/sms/", {"mobile": mobile}, **extra)


def test_a_new_merchant_signs_up_with_a_mobile_and_a_code_no_email(client, ladder, clock, sms_outbox, caplog):
    caplog.set_level(logging.DEBUG)
    response = ask_for_code(client, "139 1234 5678")
    assert response.status_code == 302 and response["Location"] == "/accounts/sms/code/"
    [message] = sms_outbox()
    assert message["to"] == MOBILE and message["template"] == "login_code" and message["language"] == "zh-hans"
    assert (
        "POS维权阶梯" in message["text"] and "10分钟内有效" in message["text"] and "不要告诉任何人" in message["text"]
    )
    code = code_in(message)
    page = client.get("/accounts/sms/code/").content.decode()
    assert "139****5678" in page and MOBILE not in page  # the number is masked, and never in a URL
    assert 'name="full_name"' not in page  # nothing says whether the number has an account before the code

    wrong = "000000" if code != "000000" else "111111"
    page = client.post("/accounts/sms/code/", {"code": wrong}).content.decode()
    assert "验证码不对或已过期" in page
    response = client.post("/accounts/sms/code/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/accounts/sms/name/"  # a new number
    page = client.get("/accounts/sms/name/").content.decode()
    assert 'name="full_name"' in page and "139****5678" in page
    assert "请填写您的姓名" in client.post("/accounts/sms/name/", {"full_name": ""}).content.decode()
    response = client.post("/accounts/sms/name/", {"full_name": "赵小店"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    user = get_user_model().objects.get(profile__mobile=MOBILE)
    assert user.username == MOBILE and user.email == "" and not user.has_usable_password()
    assert user.profile.full_name == "赵小店" and user.profile.sms_reminders and user.profile.mobile_verified
    assert client.get("/cases/").status_code == 200
    assert code not in caplog.text and MOBILE not in caplog.text  # neither the code nor the number is logged


def test_an_existing_merchant_logs_in_with_a_code_and_the_code_works_once(client, ladder, clock, sms_outbox):
    owner = merchant("owner@example.com", mobile=MOBILE)
    owner.profile.verify_mobile(MOBILE)
    ask_for_code(client)
    code = code_in(sms_outbox()[0])
    response = client.post("/accounts/sms/code/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert int(client.session["_auth_user_id"]) == owner.pk
    assert not SmsCode.redeem(MOBILE, code)  # used


def test_a_number_typed_by_another_account_does_not_catch_a_code_login(client, ladder, clock, sms_outbox):
    """F14: the account that only typed the number (never verified it) is not the one the code opens."""
    squatter = merchant(MOBILE, mobile=MOBILE)
    ask_for_code(client)
    response = client.post("/accounts/sms/code/", {"code": code_in(sms_outbox()[0])})
    assert response["Location"] == "/accounts/sms/name/"
    client.post("/accounts/sms/name/", {"full_name": "赵小店"})
    holder = get_user_model().objects.get(profile__mobile_verified_at__isnull=False)
    assert holder != squatter and int(client.session["_auth_user_id"]) == holder.pk
    assert holder.username != MOBILE  # the squatter's username stays theirs; the number logs in the holder
    client.logout()
    assert client.post("/accounts/login/", {"username": MOBILE, "password": "x"}).status_code == 200


def test_a_new_number_in_the_profile_counts_once_its_code_comes_back(client, ladder, clock, sms_outbox):
    owner = merchant("owner@example.com", mobile="13800000001")
    owner.profile.verify_mobile("13800000001")
    taken = merchant("taken@example.com", mobile="13700000000")
    taken.profile.verify_mobile("13700000000")
    client.force_login(owner)
    data = {"full_name": "张三", "email": "owner@example.com", "language": "zh-hans"}
    page = client.post("/accounts/profile/", {**data, "mobile": "13700000000"}).content.decode()
    assert "另一个账号已在使用这个手机号" in page  # verified by another account: refused

    response = client.post("/accounts/profile/", {**data, "mobile": MOBILE, "postal_address": "成都"})
    assert response["Location"] == "/accounts/sms/code/"
    profile = Profile.objects.get(user=owner)
    assert profile.mobile == "13800000001" and profile.mobile_verified  # the old number until the code comes back
    assert profile.postal_address == "成都"  # the rest is saved
    [message] = sms_outbox()
    assert message["to"] == MOBILE
    client.post("/accounts/sms/code/", {"code": code_in(message)})
    profile.refresh_from_db()
    assert profile.mobile == MOBILE and profile.mobile_verified


def test_an_unverified_number_is_verified_from_the_profile(client, ladder, clock, sms_outbox):
    owner = merchant(MOBILE, mobile=MOBILE)
    client.force_login(owner)
    page = client.get("/accounts/profile/").content.decode()
    assert 'action="/accounts/sms/verify-mobile/"' in page
    response = client.post("/accounts/sms/verify-mobile/")
    assert response["Location"] == "/accounts/sms/code/"
    client.post("/accounts/sms/code/", {"code": code_in(sms_outbox()[0])})
    assert Profile.objects.get(user=owner).mobile_verified
    assert 'action="/accounts/sms/verify-mobile/"' not in client.get("/accounts/profile/").content.decode()


def test_a_code_expires_and_a_new_one_replaces_the_old(ladder, clock):
    _record, first = SmsCode.issue(MOBILE)
    clock.shift(dt.timedelta(minutes=11))
    assert not SmsCode.redeem(MOBILE, first)  # ten minutes
    _record, second = SmsCode.issue(MOBILE)
    clock.shift(dt.timedelta(minutes=2))
    _record, third = SmsCode.issue(MOBILE)
    assert not SmsCode.redeem(MOBILE, second)  # replaced by the newer code
    assert SmsCode.redeem(MOBILE, f" {third[:3]} {third[3:]} ")  # spaces typed in the code are fine


def test_wrong_tries_use_a_code_up(ladder, clock):
    _record, code = SmsCode.issue(MOBILE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert not SmsCode.redeem(MOBILE, wrong)
    assert not SmsCode.redeem(MOBILE, code)  # five wrong tries: the code is dead


def test_codes_are_rate_limited_per_number_and_per_address(client, ladder, clock, sms_outbox):
    ask_for_code(client)
    page = ask_for_code(client).content.decode()
    assert re.search(r"请等待 ?\d+ ?秒", page)
    assert len(sms_outbox()) == 1
    for _ in range(4):
        clock.shift(dt.timedelta(seconds=61))
        ask_for_code(client)
    clock.shift(dt.timedelta(seconds=61))
    page = ask_for_code(client).content.decode()
    assert "请求验证码的次数太多" in page
    assert len(sms_outbox()) == 5  # five an hour for one number
    for n in range(5):
        assert ask_for_code(client, f"1370000000{n}").status_code == 302
    page = ask_for_code(client, "13700000009").content.decode()
    assert "请求验证码的次数太多" in page  # ten an hour from one address
    assert ask_for_code(client, "13700000009", REMOTE_ADDR="10.0.0.9").status_code == 302
    clock.shift(dt.timedelta(hours=1, seconds=1))
    assert ask_for_code(client).status_code == 302


def test_a_bad_number_gets_a_clear_error_and_no_text(client, ladder, clock, sms_outbox):
    page = ask_for_code(client, "12345").content.decode()
    assert "请输入11位手机号" in page and 'class="error-summary"' in page
    assert sms_outbox() == []
    assert client.get("/accounts/sms/code/")["Location"] == "/accounts/sms/"  # no number asked yet


def test_signing_up_with_a_password_needs_no_email_and_the_mobile_logs_in(client, ladder, clock, sms_outbox):
    data = {
        "full_name": "钱小摊",
        "mobile": MOBILE,
        "email": "",
        "password1": "Deposit-back-2026",
        "password2": "Deposit-back-2026",
    }
    assert client.post("/accounts/signup/", data)["Location"] == "/accounts/sms/code/"
    client.post("/accounts/sms/code/", {"code": code_in(sms_outbox()[-1])})
    client.logout()
    assert client.post("/accounts/login/", {"username": MOBILE, "password": "Deposit-back-2026"}).status_code == 302
    client.logout()
    clock.shift(dt.timedelta(minutes=2))
    assert client.post("/accounts/signup/", data)["Location"] == "/accounts/sms/code/"  # no hint it is taken
    client.post("/accounts/sms/code/", {"code": code_in(sms_outbox()[-1])})
    assert get_user_model().objects.count() == 1  # one account per number: its holder is logged in to it


def remind_once(case):
    """Contact on 11-02 (seven days): the due-soon reminder on 11-07."""
    with time_machine.travel(at_china_hour(dt.date(2026, 11, 2), 8), tick=False):
        case.log_step(
            rung=Rung.objects.get(position=2),
            channel=Channel.objects.get(code="provider-service"),
            actor=case.owner,
            started_on=dt.date(2026, 11, 2),
            outcome=Step.Outcome.PENDING,
        )
    with time_machine.travel(at_china_hour(dt.date(2026, 11, 7), 10), tick=False):
        return reminders.sweep()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ["您与拉卡拉支付股份有限公司的案件有一个需要留意的日期：2026-11-09", "个人资料"]),
        ("en", ["a date to watch: 2026-11-09", "profile"]),
    ],
)
def test_reminders_go_out_by_text_in_the_merchants_language(ladder, sms_outbox, language, words):
    with time_machine.travel(at_china_hour(dt.date(2026, 11, 1), 10), tick=False):
        case = open_case(merchant("owner@example.com", mobile=MOBILE, language=language))
    remind_once(case)
    [message] = sms_outbox()
    assert message["to"] == MOBILE and message["template"] == "reminder" and message["language"] == language
    for word in words:
        assert word in message["text"]
    assert f"/cases/{case.pk}/" in message["text"]
    assert Reminder.objects.get().sms_sent_at is not None
    with time_machine.travel(at_china_hour(dt.date(2026, 11, 7), 11), tick=False):
        reminders.sweep()
    assert len(sms_outbox()) == 1  # once


def test_a_merchant_who_opted_out_gets_no_text(ladder, sms_outbox):
    with time_machine.travel(at_china_hour(dt.date(2026, 11, 1), 10), tick=False):
        case = open_case(merchant("owner@example.com", mobile=MOBILE))
    Profile.objects.filter(user=case.owner).update(sms_reminders=False)
    remind_once(case)
    assert sms_outbox() == []
    reminder = Reminder.objects.get()
    assert reminder.sms_skipped and reminder.sms_sent_at is None


def test_a_failed_text_is_retried_by_the_next_sweep(ladder, sms_outbox, settings):
    with time_machine.travel(at_china_hour(dt.date(2026, 11, 1), 10), tick=False):
        case = open_case(merchant("owner@example.com", mobile=MOBILE))
    settings.SMS_BACKEND = "tests.accounts.test_sms.BrokenBackend"
    remind_once(case)
    assert Reminder.objects.get().sms_sent_at is None
    settings.SMS_BACKEND = "lib.sms.backends.FileBackend"
    later = at_china_hour(dt.date(2026, 11, 7), 10) + dt.timedelta(seconds=settings.REMINDER_EMAIL_RETRY_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        reminders.sweep()
    assert len(sms_outbox()) == 1 and Reminder.objects.get().sms_sent_at is not None


class BrokenBackend:
    def __init__(self, **options):
        pass

    def send(self, message):
        raise ConnectionError("the provider is down")


def test_the_tencent_adapter_sends_the_approved_template_with_its_parameters(settings, monkeypatch):
    settings.SMS_TENCENT_SECRET_ID = "id"
    settings.SMS_TENCENT_SECRET_KEY = "key"
    settings.SMS_TENCENT_APP_ID = "1400000000"
    settings.SMS_SIGN_NAME = "POS维权阶梯"
    settings.SMS_TENCENT_TEMPLATES = (
        '{"login_code": {"zh-hans": "100001", "en": "100002"}, "reminder": {"zh-hans": "100003"}}'
    )
    backend = TencentBackend()
    message = sms.Message(
        to=MOBILE,
        template="reminder",
        params={"provider": "拉卡拉", "date": "2026-11-09", "url": "https://x/cases/1/"},
        language="en",
    )
    request = backend.request(message)
    assert request.TemplateId == "100003"  # no English reminder template: the Chinese one
    assert request.TemplateParamSet == ["拉卡拉", "2026-11-09", "https://x/cases/1/"]
    assert request.PhoneNumberSet == ["+8613912345678"] and request.SignName == "POS维权阶梯"
    assert request.SmsSdkAppId == "1400000000"
    login = backend.request(
        sms.Message(to=MOBILE, template="login_code", params={"code": "123456", "minutes": 10}, language="en")
    )
    assert login.TemplateId == "100002" and login.TemplateParamSet == ["123456", "10"]

    sent = []

    def client():
        def send_sms(request):
            sent.append(request)
            return SimpleNamespace(SendStatusSet=[SimpleNamespace(Code=code)])

        return SimpleNamespace(SendSms=send_sms)

    monkeypatch.setattr(backend, "client", client)
    code = "Ok"
    backend.send(message)
    code = "LimitExceeded.PhoneNumberDailyLimit"
    with pytest.raises(SmsRefused, match="LimitExceeded") as refused:
        backend.send(message)
    assert MOBILE not in str(refused.value)
    assert len(sent) == 2


def test_the_tencent_adapter_refuses_to_start_without_its_settings(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_TENCENT_SECRET_ID = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_TENCENT_SECRET_ID"):
        TencentBackend()


def test_a_site_without_sms_settings_skips_texts_and_offers_password_login(client, ladder, settings, sms_outbox):
    settings.SMS_BACKEND = "lib.sms.tencent.TencentBackend"
    settings.SMS_TENCENT_SECRET_ID = ""
    response = client.get("/accounts/sms/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    with time_machine.travel(at_china_hour(dt.date(2026, 11, 1), 10), tick=False):
        case = open_case(merchant("owner@example.com", mobile=MOBILE))
    remind_once(case)
    reminder = Reminder.objects.get()
    assert reminder.sms_skipped and reminder.sms_sent_at is None  # skipped, not retried for ever
