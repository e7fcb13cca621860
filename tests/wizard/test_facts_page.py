"""The page "Parties and money": every form saves through the case, refuses bad input clearly, loses nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Charge, Event
from tests.factories import merchant, open_case

pytestmark = pytest.mark.django_db

VALID_ID = "11010519491231002X"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def case(ladder, frozen):
    return open_case(merchant("owner@example.com", full_name="王小红"))


@pytest.fixture
def client_in(client, case):
    client.force_login(case.owner)
    return client


def url(case, tail=""):
    return f"/cases/{case.pk}/facts/{tail}"


def post(client, case, tail, prefix, **data):
    return client.post(url(case, tail), {f"{prefix}-{name}": value for name, value in data.items()})


def test_the_page_shows_each_party_and_each_sum(client_in, case):
    page = client_in.get(url(case)).content.decode()
    assert "当事人和款项" in page and "拉卡拉支付股份有限公司" in page
    assert "www.gsxt.gov.cn" in page  # where to look the company up
    assert "¥299.00" in page


def test_the_merchants_details_are_saved_and_the_id_is_never_shown_back(client_in, case):
    response = post(
        client_in,
        case,
        "person/",
        "person",
        name="王小红",
        id_type="resident_id",
        id_number=VALID_ID,
        sex="female",
        birth_date="1949-12-31",
        address="成都市武侯区测试路1号",
        mobile="13812345678",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    merchant = case.merchant
    assert (merchant.id_number, merchant.sex, merchant.birth_date) == (VALID_ID, "female", dt.date(1949, 12, 31))
    assert case.events.filter(kind=Event.Kind.PARTY_SAVED, data__role="merchant").exists()
    page = client_in.get(url(case)).content.decode()
    assert VALID_ID not in page and "1101**********002X" in page
    # Saving again with the ID left empty keeps it.
    post(client_in, case, "person/", "person", name="王小红", sex="female", mobile="13812345678")
    case.refresh_from_db()
    assert case.merchant.id_number == VALID_ID


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id_type": "resident_id", "id_number": "110105194912310021"}, "身份证"),
        ({"id_type": "passport", "id_number": "E1"}, "护照号码"),
        ({"mobile": "12345"}, "手机"),
        ({"birth_date": "2999-01-01"}, "出生日期"),
    ],
)
def test_bad_personal_details_are_refused_on_the_page_and_nothing_is_saved(client_in, case, data, message):
    before = case.merchant.__dict__.copy()
    response = post(client_in, case, "person/", "person", name="王小红", **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    case.refresh_from_db()
    after = case.merchant.__dict__
    assert {key: after[key] for key in ("id_number", "mobile", "birth_date")} == {
        key: before[key] for key in ("id_number", "mobile", "birth_date")
    }


def test_the_respondents_details_and_a_bad_credit_code(client_in, case):
    response = post(client_in, case, "respondent/", "respondent", credit_code="91110000TE0000001X", address="北京")
    assert response.status_code == 400 and "校验" in response.content.decode()
    assert case.respondent.credit_code == ""
    response = post(client_in, case, "respondent/", "respondent", credit_code="91110000te0000001m", address="北京")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.respondent.credit_code == "91110000TE0000001M"


def test_the_agent_becomes_a_party_and_can_be_removed(client_in, case):
    response = post(
        client_in,
        case,
        "agent/",
        "agent",
        kind="company",
        name="成都某某信息技术有限公司",
        credit_code="91510100MA6DEM000C",
        co_respondent="on",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.agent.co_respondent and case.agent.credit_code == "91510100MA6DEM000C"
    client_in.post(url(case, "agent/"), {"remove": "1"})
    case.refresh_from_db()
    assert case.agent is None


def test_sums_are_added_edited_and_removed_and_the_total_follows(client_in, case):
    response = post(
        client_in, case, "charges/", "charge", kind="flow_fee", called="流量费", amount="49", taken_on="2026-01-05"
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.amount == Decimal("348.00")
    flow = case.charges.get(kind="flow_fee")
    response = post(
        client_in, case, f"charges/{flow.pk}/", f"charge-{flow.pk}", kind="flow_fee", amount="49", refunded_amount="49"
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.claimed_total == Decimal("299.00")
    client_in.post(url(case, f"charges/{flow.pk}/"), {"delete": "1"})
    case.refresh_from_db()
    assert case.amount == Decimal("299.00") and case.charges.count() == 1
    assert case.events.filter(kind=Event.Kind.CHARGE_REMOVED).count() == 1
    # The first sum is the intake's: it is changed there, not removed here.
    first = case.first_charge()
    client_in.post(url(case, f"charges/{first.pk}/"), {"delete": "1"})
    assert Charge.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "deposit"}, "金额"),
        ({"kind": "deposit", "amount": "-5"}, "0.01"),
        ({"kind": "deposit", "amount": "10", "refunded_amount": "20"}, "退款金额大于"),
        ({"kind": "flow_fee", "rate": "ten percent"}, "百分数"),
        ({"kind": "deposit", "amount": "10", "taken_on": "2026-05-01", "refunded_on": "2026-04-01"}, "不能早于"),
    ],
)
def test_bad_sums_are_refused_clearly(client_in, case, data, message):
    response = post(client_in, case, "charges/", "charge", **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert case.charges.count() == 1


def test_details_for_the_court(client_in, case):
    response = post(client_in, case, "details/", "details", claim_interest="on")
    assert response.status_code == 400 and "利息" in response.content.decode()
    response = post(
        client_in,
        case,
        "details/",
        "details",
        court_name="成都市武侯区人民法院",
        witnesses="张三，住成都市",
        claim_interest="on",
        interest_from="2026-01-01",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.court_name, case.interest_from) == ("成都市武侯区人民法院", dt.date(2026, 1, 1))


def test_a_closed_case_is_not_changed(client_in, case):
    case.withdraw("不追了", case.owner)
    response = post(client_in, case, "respondent/", "respondent", address="北京")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.respondent.address == ""


def test_nobody_else_reaches_the_page(client, case):
    client.force_login(merchant("stranger@example.com"))
    assert client.get(url(case)).status_code == 404
    assert post(client, case, "respondent/", "respondent", address="x").status_code == 404
