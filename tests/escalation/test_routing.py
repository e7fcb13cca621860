"""Routing on unsaved channels: every seed-004 category gets reasons, and eligibility warnings fire."""

import datetime as dt
from decimal import Decimal

import pytest

from escalation.content import CHANNELS, RUNGS
from escalation.models import Category, Channel, ProvinceWage, Rung
from escalation.routing import CaseFacts, court_fee, pboc_branch_name, route, small_claims

TODAY = dt.date(2026, 11, 21)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def channels():
    """The seeded channels, unsaved: routing needs no database."""
    rungs = {fields["position"]: Rung(position=fields["position"], code=fields["code"]) for fields in RUNGS}
    result = []
    for fields in CHANNELS:
        fields = {key: value for key, value in fields.items() if key != "rung"}
        result.append(Channel(rung=rungs[next(c["rung"] for c in CHANNELS if c["code"] == fields["code"])], **fields))
    return result


def by_kind(result, kind):
    return [rec for rec in result.recommendations if rec.channel.kind == kind]


def texts(notes):
    return " ".join(note.text for note in notes)


@pytest.mark.parametrize("category", Category.values)
def test_every_category_gets_a_department_and_sources(channels, category):
    result = route(CaseFacts(category=category), channels, today=TODAY)
    assert result.department.text
    assert result.department.source
    assert result.recommendations[0].channel.kind == Channel.Kind.PROVIDER
    for rec in result.recommendations:
        assert rec.reasons or rec.warnings, rec.channel.code
        for note in rec.reasons + rec.warnings:
            assert note.source, (rec.channel.code, note.text)


def test_categories_route_to_different_departments_as_in_seed_004(channels):
    departments = {category: route(CaseFacts(category=category), channels).department.text for category in Category}
    assert len(set(departments.values())) == len(Category)
    assert "technical support" in departments[Category.TECHNICAL]
    assert "product quality" in departments[Category.PRODUCT_QUALITY]
    assert "after-sales" in departments[Category.AFTER_SALES]
    assert "finance" in departments[Category.FEES]


def test_agent_sold_terminals_name_the_institution_not_only_the_agent(channels):
    official = route(CaseFacts(obtained_via="official"), channels)
    agent = route(CaseFacts(obtained_via="agent"), channels)
    provider = by_kind(agent, Channel.Kind.PROVIDER)[0]
    assert "not only the agent" in texts(provider.reasons)
    assert "not only the agent" not in texts(by_kind(official, Channel.Kind.PROVIDER)[0].reasons)


def test_business_users_report_to_12315_and_are_warned_off_the_consumer_association(channels):
    result = route(CaseFacts(personal_consumption=False), channels, today=TODAY)
    association = by_kind(result, Channel.Kind.CONSUMER_ASSOCIATION)[0]
    assert association.eligible is False
    assert "personal consumption" in texts(association.warnings)
    samr = by_kind(result, Channel.Kind.MARKET_REGULATOR)[0]
    assert samr.eligible is True  # a report (举报) is open to a business
    assert samr.name.endswith("a report")
    assert "report" in texts(samr.reasons) and "likely to be refused" in texts(samr.warnings)
    assert all("121" in note.source for note in [*samr.reasons, *samr.warnings])
    assert not any("暂行办法" in note.source or "Interim" in note.text for note in [*samr.reasons, *samr.warnings])


def test_a_business_is_led_to_pboc_the_association_a_report_and_court_before_the_consumer_channels(channels):
    result = route(CaseFacts(personal_consumption=False, contacted_institution=True), channels, today=TODAY)
    third_party = [rec.channel.kind for rec in result.recommendations if rec.channel.rung.position == 4]
    assert third_party.index(Channel.Kind.FINANCIAL_REGULATOR) < third_party.index(Channel.Kind.CONSUMER_ASSOCIATION)
    assert third_party.index(Channel.Kind.MARKET_REGULATOR) < third_party.index(Channel.Kind.CONSUMER_ASSOCIATION)
    assert third_party[-1] != Channel.Kind.FINANCIAL_REGULATOR


def test_personal_consumption_keeps_12315_eligible(channels):
    result = route(CaseFacts(personal_consumption=True), channels, today=TODAY)
    rec = by_kind(result, Channel.Kind.MARKET_REGULATOR)[0]
    assert rec.eligible is True
    assert "personal consumption" not in texts(rec.warnings)


def test_12315_refuses_after_three_years_from_knowing_the_harm(channels):
    facts = CaseFacts(personal_consumption=True, harm_known_on=dt.date(2023, 1, 5), harm_limit_on=dt.date(2026, 1, 5))
    rec = by_kind(route(facts, channels, today=TODAY), Channel.Kind.MARKET_REGULATOR)[0]
    assert rec.eligible is False
    assert "three years" in texts(rec.warnings)


def test_12315_still_takes_a_complaint_on_the_last_day_of_the_three_years(channels):
    facts = CaseFacts(personal_consumption=True, harm_limit_on=TODAY)
    rec = by_kind(route(facts, channels, today=TODAY), Channel.Kind.MARKET_REGULATOR)[0]
    assert rec.eligible is True
    rec = by_kind(route(facts, channels, today=TODAY + dt.timedelta(days=1)), Channel.Kind.MARKET_REGULATOR)[0]
    assert rec.eligible is False


def test_pboc_wants_the_institution_contacted_first(channels):
    before = by_kind(route(CaseFacts(contacted_institution=False), channels), Channel.Kind.FINANCIAL_REGULATOR)[0]
    assert before.ready is False
    assert "Complain to the institution first" in texts(before.warnings)
    after = by_kind(route(CaseFacts(contacted_institution=True), channels), Channel.Kind.FINANCIAL_REGULATOR)[0]
    assert after.ready is True
    assert "Complain to the institution first" not in texts(after.warnings)


def test_pboc_names_the_provincial_branch(channels):
    rec = by_kind(route(CaseFacts(province="sichuan"), channels), Channel.Kind.FINANCIAL_REGULATOR)[0]
    assert rec.name.endswith("中国人民银行四川省分行")
    assert pboc_branch_name("ningxia") == "中国人民银行宁夏回族自治区分行"
    assert pboc_branch_name("beijing") == "中国人民银行北京市分行"
    assert pboc_branch_name(None) == ""


def test_a_company_is_warned_that_financial_consumers_are_natural_persons(channels):
    rec = by_kind(route(CaseFacts(natural_person=False), channels), Channel.Kind.FINANCIAL_REGULATOR)[0]
    note = next(note for note in rec.warnings if "natural person" in note.text)
    assert note.verified is False


def test_fee_and_refund_complaints_cite_the_disclosure_rule(channels):
    for category in (Category.FEES, Category.REFUND):
        rec = by_kind(route(CaseFacts(category=category), channels), Channel.Kind.FINANCIAL_REGULATOR)[0]
        assert "Art. 34" in texts(rec.reasons)
    rec = by_kind(route(CaseFacts(category=Category.TECHNICAL), channels), Channel.Kind.FINANCIAL_REGULATOR)[0]
    assert "Art. 34" not in texts(rec.reasons)


def test_pressure_channels_say_they_do_not_decide_refunds(channels):
    rec = by_kind(route(CaseFacts(), channels), Channel.Kind.INDUSTRY_ASSOCIATION)[0]
    assert "does not decide refunds" in texts(rec.warnings)
    for rec in by_kind(route(CaseFacts(), channels), Channel.Kind.PLATFORM):
        assert "public" in texts(rec.warnings)


def test_order_provider_first_then_eligible_before_refused_then_pressure_last(channels):
    result = route(CaseFacts(personal_consumption=False, contacted_institution=True), channels, today=TODAY)
    kinds = [rec.channel.kind for rec in result.recommendations]
    assert kinds[0] == Channel.Kind.PROVIDER
    rung4 = [rec for rec in result.recommendations if rec.channel.rung.position == 4]
    assert rung4[0].channel.kind == Channel.Kind.FINANCIAL_REGULATOR
    eligible_flags = [rec.eligible for rec in rung4]
    assert eligible_flags == sorted(eligible_flags, reverse=True)
    eligible = [rec for rec in rung4 if rec.eligible]
    assert [rec.channel.pressure_only for rec in eligible] == sorted(rec.channel.pressure_only for rec in eligible)
    assert [rec.channel.rung.position for rec in result.recommendations] == sorted(
        rec.channel.rung.position for rec in result.recommendations
    )


def test_an_arbitration_clause_sends_the_case_to_arbitration(channels):
    result = route(CaseFacts(arbitration_clause=True), channels)
    court = by_kind(result, Channel.Kind.COURT)[0]
    arbitration = by_kind(result, Channel.Kind.ARBITRATION)[0]
    assert court.eligible is False and arbitration.eligible is True
    rung5 = [rec.channel.kind for rec in result.recommendations if rec.channel.rung.position == 5]
    assert rung5 == [Channel.Kind.ARBITRATION, Channel.Kind.COURT]
    without = route(CaseFacts(arbitration_clause=False), channels)
    assert by_kind(without, Channel.Kind.ARBITRATION)[0].eligible is False


@pytest.mark.parametrize(
    ("amount", "fee"),
    [(299, "50.00"), (10_000, "50.00"), (20_000, "300.00"), (100_000, "2300.00"), (150_000, "3300.00")],
)
def test_court_fee_bands(amount, fee):
    assert court_fee(amount) == Decimal(fee)


def test_small_claims_threshold_is_half_the_provincial_wage():
    wage = ProvinceWage(province="sichuan", year=2025, average_annual_wage=100_000, source="统计公报")
    small = small_claims(Decimal("299"), wage)
    assert small.threshold == Decimal(50_000)
    assert small.eligible is True
    assert small.fee == Decimal("50.00")
    assert small.fee_small_claims == Decimal("25.00")
    agreed = small_claims(Decimal("60000"), wage)
    assert agreed.eligible is False and agreed.by_agreement is True
    assert small_claims(Decimal("300000"), wage).by_agreement is False


def test_small_claims_is_unknown_without_a_wage_figure(channels):
    small = small_claims(Decimal("299"), None)
    assert small.eligible is None
    assert small.threshold is None
    result = route(CaseFacts(amount=Decimal("299")), channels)
    assert result.small_claims.eligible is None


def test_the_route_shows_the_limitation_date_the_case_computed(channels):
    facts = CaseFacts(harm_known_on=dt.date(2022, 1, 10), limitation_on=dt.date(2027, 6, 3))
    assert route(facts, channels, today=TODAY).limitation_date == dt.date(2027, 6, 3)


def test_an_expired_limitation_period_is_a_warning_on_court_and_arbitration(channels):
    facts = CaseFacts(harm_known_on=dt.date(2022, 1, 10), limitation_on=dt.date(2025, 1, 10))
    result = route(facts, channels, today=TODAY)
    assert result.limitation_date == dt.date(2025, 1, 10)
    assert "limitation" in texts(by_kind(result, Channel.Kind.COURT)[0].warnings)
    assert "limitation" in texts(by_kind(result, Channel.Kind.ARBITRATION)[0].warnings)
    last_day = route(CaseFacts(limitation_on=TODAY), channels, today=TODAY)
    assert "limitation" not in texts(by_kind(last_day, Channel.Kind.COURT)[0].warnings)


def test_reasons_are_translated(channels):
    from django.utils import translation

    with translation.override("zh-hans"):
        result = route(CaseFacts(category=Category.TECHNICAL), channels)
    assert "技术" in result.department.text
