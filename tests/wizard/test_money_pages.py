"""Rate hikes, deception and refunds as a merchant records them: the computation, the pages, the bad input."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import translation

from cases.forms.intake import IntakeForm
from cases.models import Case, Event
from cases.overcharge import Trade, clean_rate, fee_at, rates_error, total_overcharge, trade_errors
from documents import letters
from tests.factories import merchant, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


# ----- the computation --------------------------------------------------------------------------------------


@pytest.mark.django_db(False)
def test_the_overcharge_is_the_fee_charged_less_the_fee_at_the_agreed_rate():
    trade = Trade(dt.date(2026, 2, 24), Decimal("70000.00"), Decimal("1431.00"))
    assert trade.fee_agreed("0.60%") == Decimal("420.00")
    assert trade.overcharge("0.60%") == Decimal("1011.00")  # the case-format example
    assert trade.rate_charged() == "2.04%"
    other = Trade(dt.date(2026, 3, 1), Decimal("30580.00"), Decimal("917.34"))
    assert other.fee_agreed("0.63%") == Decimal("192.65")  # 192.654, to the fen
    assert total_overcharge([trade, other], "0.60%") == Decimal("1011.00") + Decimal("917.34") - Decimal("183.48")
    assert total_overcharge([], "0.60%") is None and total_overcharge([trade], "") is None
    assert fee_at(Decimal("0.50"), "0.60%") == Decimal("0.00")


@pytest.mark.django_db(False)
@translation.override("en")
def test_rates_and_trades_that_are_no_overcharge_are_refused_with_a_reason():
    assert clean_rate("0.6") == "0.6%" and clean_rate(" 0.60 ％") == "0.60%" and clean_rate("") == ""
    with pytest.raises(ValueError):
        clean_rate("zero point six")
    assert "lower than the agreed rate" in str(rates_error("0.60%", "0.38%"))
    assert "is the agreed rate" in str(rates_error("0.60%", "0.6%"))
    assert rates_error("0.60%", "2.00%") == ""
    bigger = trade_errors(Trade(dt.date(2026, 1, 1), Decimal("100"), Decimal("150")), "0.60%")
    assert "larger than the trade" in str(bigger["fee_charged"])
    cheap = trade_errors(Trade(dt.date(2026, 1, 1), Decimal("1000"), Decimal("6")), "0.60%")
    assert "6.00" in str(cheap["fee_charged"]) and "nothing was overcharged" in str(cheap["fee_charged"])
    assert trade_errors(Trade(dt.date(2026, 1, 1), Decimal("1000"), Decimal("20")), "0.60%") == {}


# ----- the intake and the page "Parties and money" ---------------------------------------------------------------


@pytest.fixture
def rate_case(ladder, frozen):
    owner = merchant("rate@example.com", full_name="周九")
    return open_case(
        owner,
        amount=None,
        charge_kind="fee_overcharge",
        agreed_rate="0.60%",
        charged_rate="2.00%",
        promise_form="written",
    )


def intake_data(**changes):
    data = {
        "token": "6f1c2b1e-3d4a-4c7e-9a55-0d1f2e3c4b5a",
        "provider_other": "某支付公司",
        "obtained_via": "official",
        "merchant_kind": "person",
        "activation_date": "2025-03-01",
        "charge_kind": "fee_overcharge",
        "payment_method": "deducted_from_settlement",
        "promise_form": "written",
        "promised_by": "provider",
        "category": "fees",
        "province": "sichuan",
        "use": "business",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"agreed_rate": "0.60%"}, "charged_rate", "both rates"),
        ({"agreed_rate": "0.60%", "charged_rate": "0.38%"}, "charged_rate", "lower than the agreed rate"),
        ({"agreed_rate": "abc", "charged_rate": "2%"}, "agreed_rate", "percentage"),
        ({"charge_kind": "deposit"}, "amount", "Give the amount taken."),
    ],
)
def test_the_intake_refuses_rates_that_are_no_overcharge(ladder, frozen, changes, field, message):
    with translation.override("en"):
        form = IntakeForm(data=intake_data(**changes))
        assert not form.is_valid()
        assert message in " ".join(form.errors[field])


def test_the_intake_takes_a_rate_hike_without_an_amount(ladder, frozen):
    form = IntakeForm(data=intake_data(agreed_rate="0.6", charged_rate="2.00 ％"))
    assert form.is_valid(), form.errors
    charge = form.values()["first_charge"]
    assert (charge["kind"], charge["amount"], charge["agreed_rate"], charge["charged_rate"]) == (
        "fee_overcharge",
        None,
        "0.6%",
        "2.00%",
    )


def page(client, case):
    return client.get(f"/cases/{case.pk}/facts/").content.decode()


def trade_url(case, charge, tail="trades/"):
    return f"/cases/{case.pk}/facts/charges/{charge.pk}/{tail}"


def add_trade(client, case, charge, on, amount, fee):
    return client.post(
        trade_url(case, charge),
        {f"trade-{charge.pk}-on": on, f"trade-{charge.pk}-amount": amount, f"trade-{charge.pk}-fee_charged": fee},
    )


def test_trades_are_added_computed_confirmed_and_removed(client, rate_case):
    case, charge = rate_case, rate_case.first_charge()
    client.force_login(case.owner)
    assert add_trade(client, case, charge, "2026-10-20", "70000", "1400").status_code == 302
    assert add_trade(client, case, charge, "2026-11-14", "30580", "611.60").status_code == 302
    charge.refresh_from_db()
    assert [trade["fee_charged"] for trade in charge.trades] == ["1400.00", "611.60"]
    assert charge.amount is None and charge.awaits_confirmation
    text = re.sub(r"\s+", " ", page(client, case))
    assert "多收¥980.00" in text and "多收¥428.12" in text and "<strong>¥1,408.12</strong>" in text
    application = letters.find_letter(case, "refund_application")
    case.refresh_from_db()
    assert "overcharge_confirmed" in {item.code for item in letters.checklist(case, application, "zh-hans")}
    # A stale total is not claimed; the one shown is.
    client.post(trade_url(case, charge, "confirm/"), {"total": "980.00"})
    charge.refresh_from_db()
    assert charge.amount is None
    client.post(trade_url(case, charge, "confirm/"), {"total": "1408.12"})
    case.refresh_from_db()
    assert case.first_charge().amount == Decimal("1408.12") and case.amount == Decimal("1408.12")
    assert "overcharge_confirmed" not in {item.code for item in letters.checklist(case, application, "zh-hans")}
    assert case.events.filter(kind=Event.Kind.OVERCHARGE_CONFIRMED).count() == 1
    # Removing a trade unsets the confirmed sum: the merchant confirms the new one.
    client.post(trade_url(case, charge, "trades/remove/"), {"index": "0"})
    charge.refresh_from_db()
    assert len(charge.trades) == 1 and charge.amount is None
    assert client.post(trade_url(case, charge, "trades/remove/"), {"index": "7"}).status_code == 302
    assert case.events.filter(kind=Event.Kind.TRADES_SAVED).count() == 3


@pytest.mark.parametrize(
    ("on", "amount", "fee", "message"),
    [
        ("2026-10-20", "100", "150", "手续费比交易金额还大"),
        ("2026-10-20", "1000", "6", "这笔没有多收"),
        ("2027-01-01", "1000", "20", "不能晚于今天"),
        ("2026-10-20", "", "20", "必填"),
    ],
)
def test_bad_trades_are_refused_on_the_page_and_nothing_is_saved(client, rate_case, on, amount, fee, message):
    case, charge = rate_case, rate_case.first_charge()
    client.force_login(case.owner)
    add_trade(client, case, charge, "2026-11-14", "30580", "611.60")
    response = add_trade(client, case, charge, on, amount, fee)
    assert response.status_code == 400
    assert message in response.content.decode()
    charge.refresh_from_db()
    assert len(charge.trades) == 1


def test_a_charged_rate_below_the_agreed_one_and_a_refund_above_the_sum_are_refused(client, rate_case):
    case, charge = rate_case, rate_case.first_charge()
    client.force_login(case.owner)
    prefix = f"charge-{charge.pk}"
    response = client.post(
        f"/cases/{case.pk}/facts/charges/{charge.pk}/",
        {f"{prefix}-kind": "fee_overcharge", f"{prefix}-agreed_rate": "0.60%", f"{prefix}-charged_rate": "0.38%"},
    )
    assert response.status_code == 400 and "实际费率低于约定费率" in response.content.decode()
    charge.refresh_from_db()
    assert charge.charged_rate == "2.00%"
    deposit = open_case(case.owner)
    first = deposit.first_charge()
    response = client.post(
        f"/cases/{deposit.pk}/facts/charges/{first.pk}/",
        {
            f"charge-{first.pk}-kind": "deposit",
            f"charge-{first.pk}-amount": "299",
            f"charge-{first.pk}-refunded_amount": "300",
        },
    )
    assert response.status_code == 400 and "退款金额大于" in response.content.decode()
    first.refresh_from_db()
    assert first.refunded_amount is None


def test_trades_belong_to_an_overcharge_and_to_the_owner(client, rate_case, ladder):
    case = rate_case
    client.force_login(case.owner)
    deposit = open_case(case.owner)
    response = add_trade(client, deposit, deposit.first_charge(), "2026-10-20", "1000", "20")
    assert response.status_code == 302 and deposit.first_charge().trades == []
    client.force_login(merchant("stranger@example.com"))
    assert add_trade(client, case, case.first_charge(), "2026-10-20", "1000", "20").status_code == 404
    assert client.post(trade_url(case, case.first_charge(), "confirm/"), {"total": "1"}).status_code == 404


# ----- deception -------------------------------------------------------------------------------------------


def test_recorded_deception_offers_a_police_report_beside_the_ladder(client, ladder, frozen):
    case = open_case(merchant("bank@example.com", full_name="陈三"))
    client.force_login(case.owner)
    step_page = f"/cases/{case.pk}/ladder/customer_service/"
    assert "可以报警" not in client.get(step_page).content.decode()
    response = client.post(
        f"/cases/{case.pk}/facts/deception/", {"deception-posed_as": "bank", "deception-pitch": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.posed_as, case.pitch) == ("bank", "提额")
    assert case.events.filter(kind=Event.Kind.DECEPTION_SAVED).count() == 1
    text = client.get(step_page).content.decode()
    assert "可以报警" in text and "拨打110" in text and "报警不影响这里的维权步骤" in text
    assert "您记录了推销的人自称是银行工作人员" in text and "判决书原文未核实" in text
    response = client.post(f"/cases/{case.pk}/facts/deception/", {"deception-posed_as": "police"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.posed_as == "bank"  # nothing saved from a bad choice
    client.post(f"/cases/{case.pk}/facts/deception/", {"deception-posed_as": ""})
    case.refresh_from_db()
    assert not case.deceived and "可以报警" not in client.get(step_page).content.decode()


# ----- refunds -----------------------------------------------------------------------------------------------


def test_a_refund_of_part_of_several_sums_asks_which_came_back(client, ladder, frozen):
    case = open_case(merchant("part@example.com", full_name="蒋六"))
    case.save_charge(None, {"kind": "flow_fee", "amount": Decimal("49.00")}, case.owner)
    step = case.log_step(rung=case.rung, actor=case.owner, started_on=dt.date(2026, 10, 1))
    assert case.resolve(Decimal("100.00"), dt.date(2026, 11, 1), step.rung, case.owner) is False
    case.refresh_from_db()
    assert case.claimed_total == Decimal("348.00") and not case.nothing_owed
    case.reopen(case.owner)
    assert case.resolve(Decimal("348.00"), dt.date(2026, 11, 2), step.rung, case.owner) is True
    case.refresh_from_db()
    assert [charge.refunded_amount for charge in case.charge_list] == [Decimal("299.00"), Decimal("49.00")]
    assert case.nothing_owed
    assert case.events.filter(kind=Event.Kind.REFUND_RECORDED).count() == 2


def test_a_fully_refunded_case_offers_no_letter_on_its_pages(client, ladder, frozen):
    case = open_case(merchant("back@example.com", full_name="卫五"))
    # Refunded item by item on "Parties and money", the case still open.
    case.save_charge(
        case.first_charge(), {"refunded_amount": Decimal("299.00"), "refunded_on": dt.date(2026, 10, 5)}, case.owner
    )
    case.record_policy_read(None, {"target_met": "yes"}, case.owner)
    client.force_login(case.owner)
    text = client.get(f"/cases/{case.pk}/ladder/application/").content.decode()
    assert "被收的钱已经全部退回" in text and "生成PDF" not in text
    response = client.get(f"/cases/{case.pk}/letters/refund_application/preview/")
    assert response.status_code == 302
    assert client.post(f"/cases/{case.pk}/letters/refund_application/issue/").status_code == 302
    assert client.post(f"/cases/{case.pk}/letters/refund_application/review/").status_code == 302
    assert not case.documents.exists() and not case.letter_reviews.exists()


# ----- no deposit on the pages of a case without one ------------------------------------------------------------


def test_the_pages_of_a_rate_hike_never_speak_of_a_deposit(client, rate_case):
    case = rate_case
    case.record_policy_read(None, {"target_met": "unsure"}, case.owner)
    client.force_login(case.owner)
    steps = ["intake", "policy", "customer_service", "application", "third_party", "litigation", "outcome"]
    urls = [f"/cases/{case.pk}/ladder/{step}/" for step in steps]
    urls += [f"/cases/{case.pk}/facts/", f"/cases/{case.pk}/timeline/", "/cases/"]
    for url in urls:
        html = client.get(url, follow=True).content.decode()
        said = re.sub(r"<option[^>]*>.*?</option>", "", html, flags=re.S)  # the choices of a list are not said
        said = re.sub(r"<label[^>]*>\s*<input[^>]*type=\"radio\"[^>]*>.*?</label>", "", said, flags=re.S)
        assert "押金" not in said, url
    assert case.only_overcharge and not case.has_deposit and Case.objects.count() == 1
