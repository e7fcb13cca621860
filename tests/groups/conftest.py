"""Three merchants with cases against the same provider through the same agent, and a group they can form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Charge, Evidence
from groups.models import ComplaintGroup
from tests.factories import merchant, open_case

NAMES = ["王小明", "李秀英", "陈大勇"]


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def merchants(ladder):
    return [
        merchant(
            f"m{number}@example.com",
            full_name=name,
            mobile=f"1381234567{number}",
            postal_address=f"四川省成都市武侯区测试路{number}号",
            id_number="11010519491231002X",
        )
        for number, name in enumerate(NAMES, 1)
    ]


@pytest.fixture
def cases(merchants):
    """One case each: deposits of 299, 399 and 499 yuan; the second got 100 back; each has one exhibit."""
    made = []
    for number, (owner, amount) in enumerate(zip(merchants, ["299.00", "399.00", "499.00"], strict=True), 1):
        case = open_case(owner, amount=Decimal(amount), agent_name="刘经理")
        Evidence.add(
            case,
            SimpleUploadedFile(f"chat-{number}.txt", f"交易满5万退押金 {number}".encode()),
            "text/plain",
            owner,
            title=f"聊天记录{number}",
        )
        made.append(case)
    second = made[1]
    charge = second.first_charge()
    second.save_charge(charge, {"refunded_amount": Decimal("100.00")}, merchants[1])
    second.refresh_from_db()
    return made


@pytest.fixture
def group(cases, merchants):
    """A group started by the first merchant about the agent; the others joined."""
    started = ComplaintGroup.start(cases[0], ComplaintGroup.Practice.AGENT, "刘经理", merchants[0])
    for case, owner in zip(cases[1:], merchants[1:], strict=True):
        started.join(case, owner, confirmed=True)
    started.forget()
    return started


def members(group):
    group.forget()
    return group.active_list()


def amounts(case):
    return [(charge.kind, charge.amount, charge.refunded_amount) for charge in case.charges.all()]


__all__ = ["Charge", "amounts", "members"]
