"""Data for the benchmarks: merchants and cases through the model methods, bulk rows for the large runs."""

import datetime as dt
import random
import secrets
import string
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from accounts.models import Profile
from accounts.roles import VOLUNTEER, ensure_roles
from cases.forms.intake import intake_values
from cases.models import Case, Evidence, Step, china_today
from escalation.models import Channel, DeadlineRule, Provider, Rung
from wizard.management.commands.seed_demo import CHECKLIST

INTAKE = {
    "obtained_via": "agent",
    "agent_name": "李代理",
    "agent_contact": "13900001111",
    "merchant_kind": "person",
    "merchant_name": "张三便利店",
    "merchant_number": "822100058120001",
    "terminal_model": "N3",
    "terminal_sn": "N3000123",
    "amount": Decimal("299.00"),
    "charge_kind": "deposit",
    "payment_method": "deducted_from_settlement",
    "promise_form": "written",
    "promised_by": "agent",
    "promise_target": Decimal("50000"),
    "promise_period_months": 3,
    "volume_reached": Decimal("62000"),
    "category": "refund",
    "province": "sichuan",
    "use": "business",
}


def user(email, full_name="王小红", groups=()):
    """A user without a usable password (benchmarks log in by session, not by hashing passwords)."""
    account = get_user_model().objects.create(username=email, email=email, first_name=full_name)
    account.set_unusable_password()
    account.save(update_fields=["password"])
    Profile.objects.create(
        user=account,
        full_name=full_name,
        mobile="13812345678",
        id_number="11010519491231002X",
        postal_address="四川省成都市武侯区人民南路四段1号",
        ethnicity="汉族",
        occupation="个体经营者",
    )
    for name in groups:
        ensure_roles()
        account.groups.add(Group.objects.get(name=name))
    return account


def volunteer(email="volunteer@bench.example"):
    return user(email, "李志愿", groups=[VOLUNTEER])


def session_cookie(account):
    """A signed-in session for ``account``, as the login view would create it."""
    session = SessionStore()
    session[SESSION_KEY] = str(account.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = account.get_session_auth_hash()
    session.create()
    return session.session_key


def csrf_secret():
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def case_at_customer_service(owner):
    """A case past intake and the policy: the merchant is about to log the customer-service call."""
    today = china_today()
    case = Case.open(owner)
    values = dict(INTAKE)
    values.update(
        provider=Provider.objects.get(short_name_zh="拉卡拉"),
        activation_date=today - dt.timedelta(days=400),
        charged_on=today - dt.timedelta(days=399),
        harm_known_on=today - dt.timedelta(days=60),
        promise_details="代理承诺交易满5万元后三个月内全额退还押金",
    )
    case.save_intake(intake_values(values), owner)
    case.record_policy_read(None, CHECKLIST, owner)
    return case


LONG_FACTS = (
    "本人于办理POS机时，代理商李某当面承诺：自激活之日起三个月内，交易额累计满五万元，即全额退还押金二百九十九元；"
    "若未达标，押金亦可在注销终端后退还。本人已按要求完成交易，累计交易额六万二千元，并多次联系代理商和客服，"
    "均被以各种理由推脱。"
)


def case_with_history(owner, evidence=12):
    """A case at the written application: a refused call, a letter sent, exhibits and an issued letter."""
    today = china_today()
    case = case_at_customer_service(owner)
    case.save_intake({"promise_details": LONG_FACTS * 2}, owner)
    rungs = {rung.position: rung for rung in Rung.objects.all()}
    case.log_step(
        rung=rungs[2],
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=today - dt.timedelta(days=30),
        method=Step.Method.PHONE,
        reference="T-778",
        notes="客服称押金不予退还，让我联系代理商。" * 3,
        outcome=Step.Outcome.REFUSED,
    )
    case.log_step(
        rung=rungs[3],
        actor=owner,
        started_on=today - dt.timedelta(days=5),
        method=Step.Method.POST,
        reference="EA123456789CN",
        recipient="北京市海淀区 拉卡拉支付股份有限公司 客户服务部",
    )
    for number in range(evidence):
        Evidence.add(
            case,
            SimpleUploadedFile(f"exhibit-{number}.txt", f"第{number + 1}份证据：聊天记录与转账截图的文字说明".encode()),
            "text/plain",
            owner,
            title=f"与代理商的微信聊天记录（第{number + 1}部分），含押金返还承诺",
            source="微信",
            proves="代理商承诺交易满五万元退还押金，且本人已达标",
        )
    return case


# ----- bulk rows ---------------------------------------------------------------------------------------------


def bulk_owners(count):
    """``count`` merchants with an email address, inserted in bulk."""
    User = get_user_model()
    stamp = uuid.uuid4().hex[:6]
    users = [
        User(username=f"bulk-{stamp}-{n}@bench.example", email=f"bulk-{stamp}-{n}@bench.example", password="!")  # noqa: S106 - unusable
        for n in range(count)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    users = list(User.objects.filter(username__startswith=f"bulk-{stamp}-"))
    Profile.objects.bulk_create([Profile(user=u, full_name="批量商户", mobile="13800000000") for u in users], 5000)
    return users


def bulk_cases(owners, count, queued=False, batch=10_000):
    """``count`` open cases at the customer-service rung, spread over ``owners``; their ids."""
    rung = Rung.objects.get(position=2)
    provider = Provider.objects.get(short_name_zh="拉卡拉")
    now = timezone.now()
    ids = []
    for start in range(0, count, batch):
        cases = []
        for n in range(start, min(count, start + batch)):
            case_id = uuid.uuid4()
            ids.append(case_id)
            cases.append(
                Case(
                    id=case_id,
                    owner=owners[n % len(owners)],
                    rung=rung,
                    provider=provider,
                    amount=Decimal("299.00"),
                    province="sichuan",
                    queued_at=now - dt.timedelta(minutes=n) if queued else None,
                    queue_reason="help" if queued else "",
                )
            )
        Case.objects.bulk_create(cases, batch_size=batch)
    return ids


def bulk_steps(case_ids, count, due, batch=20_000):
    """``count`` waiting customer-service steps over ``case_ids``, ``due`` of them with a reminder due now.

    The others wait for reminders days to weeks ahead, as open steps do.
    """
    rung = Rung.objects.get(position=2)
    channel = Channel.objects.get(code="provider-service")
    rule = DeadlineRule.primary_for(rung=rung, channel=channel)
    now = timezone.now()
    today = china_today()
    rng = random.Random(20261121)
    made = 0
    while made < count:
        steps = []
        for n in range(made, min(count, made + batch)):
            is_due = n < due
            started = today - dt.timedelta(days=10 if is_due else rng.randint(0, 5))
            steps.append(
                Step(
                    case_id=case_ids[n % len(case_ids)],
                    rung=rung,
                    channel=channel,
                    rule=rule,
                    started_on=started,
                    method=Step.Method.PHONE,
                    outcome=Step.Outcome.PENDING,
                    due_on=started + dt.timedelta(days=7),
                    unlocks_on=started + dt.timedelta(days=7),
                    next_reminder_at=(
                        now - dt.timedelta(hours=1) if is_due else now + dt.timedelta(hours=rng.randint(2, 24 * 30))
                    ),
                )
            )
        Step.objects.bulk_create(steps, batch_size=batch)
        made += len(steps)
    analyze()


def analyze():
    """Fresh planner statistics after bulk inserts (what autovacuum would do on a live site)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
