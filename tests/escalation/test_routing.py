"""Routing on unsaved channels: every seed-004 category gets reasons, and eligibility warnings fire."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalation.content import CHANNELS, RUNGS
from escalation.models import Category, Channel, ProvinceWage, Rung
from escalation.routing import CaseFacts, Note, court_fee, pboc_branch_name, provider_department, route, small_claims

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


# ----- boundaries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Channel.Kind.MARKET_REGULATOR, Channel.Kind.CONSUMER_ASSOCIATION])
def test_12315_and_the_consumer_association_take_a_complaint_on_the_last_day_of_the_three_years(channels, kind):
    facts = CaseFacts(personal_consumption=True, harm_limit_on=TODAY)
    on_the_last_day = by_kind(route(facts, channels, today=TODAY), kind)[0]
    assert on_the_last_day.eligible is True
    assert "three years" not in texts(on_the_last_day.warnings)
    the_day_after = by_kind(route(facts, channels, today=TODAY + dt.timedelta(days=1)), kind)[0]
    assert the_day_after.eligible is False
    assert "three years" in texts(the_day_after.warnings)


def test_small_claims_on_the_threshold_and_on_twice_the_wage_exactly():
    wage = ProvinceWage(province="sichuan", year=2025, average_annual_wage=100_000, source="统计公报", verified=True)
    on_threshold = small_claims(Decimal("50000.00"), wage)
    assert (on_threshold.threshold, on_threshold.eligible, on_threshold.by_agreement) == (Decimal(50_000), True, False)
    above = small_claims(Decimal("50000.01"), wage)
    assert (above.eligible, above.by_agreement) == (False, True)
    assert small_claims(Decimal("200000.00"), wage).by_agreement is True  # up to twice the wage, by agreement
    assert small_claims(Decimal("200000.01"), wage).by_agreement is False
    assert (on_threshold.wage_year, on_threshold.wage_source, on_threshold.wage_verified) == (2025, "统计公报", True)
    assert small_claims(Decimal("0.01"), wage).eligible is True


def test_the_court_fee_is_counted_band_by_band():
    # 50 for the first 10,000; 2.5 % up to 100,000; 2 % up to 200,000; 1.5 % to 500,000; 1 % to 1,000,000 ...
    assert court_fee(Decimal("10000.01")) == Decimal("50.00")  # 0.01 × 2.5 % = 0.00025: rounds to nothing
    assert court_fee(Decimal("10040")) == Decimal("51.00")
    assert court_fee(200_000) == Decimal("4300.00")
    assert court_fee(500_000) == Decimal("8800.00")
    assert court_fee(1_000_000) == Decimal("13800.00")
    assert court_fee(2_000_000) == Decimal("22800.00")
    assert court_fee(5_000_000) == Decimal("46800.00")
    assert court_fee(10_000_000) == Decimal("81800.00")
    assert court_fee(20_000_000) == Decimal("141800.00")
    assert court_fee(30_000_000) == Decimal("191800.00")
    assert court_fee(Decimal("10001.2")) == Decimal("50.03")  # 1.2 × 2.5 % = 0.03
    assert court_fee(Decimal("10000.20")) == Decimal("50.01")  # 0.005 rounds half up


# ----- every route, for any facts (hypothesis) -------------------------------------------------------------

# The notes whose source a person has not re-checked: each says so (Note.verified is False), and no other.
UNVERIFIED = (
    "its reply time for payment institutions is not confirmed",
    "'financial consumer' is a natural person",
    "the split of complaints between PBoC and NFRA may change",
    "the current order's rule is not verified",
    "Public pressure",
)
around_today = st.dates(min_value=TODAY - dt.timedelta(days=400), max_value=TODAY + dt.timedelta(days=400))
any_facts = st.builds(
    CaseFacts,
    category=st.sampled_from(Category.values),
    obtained_via=st.sampled_from(["official", "agent"]),
    amount=st.none() | st.integers(1, 100_000_000).map(lambda fen: Decimal(fen) / 100),
    province=st.none() | st.sampled_from(["sichuan", "beijing", "ningxia", "atlantis"]),
    personal_consumption=st.booleans(),
    natural_person=st.booleans(),
    contacted_institution=st.booleans(),
    arbitration_clause=st.sampled_from([None, True, False]),
    limitation_on=st.none() | around_today,
    harm_limit_on=st.none() | around_today,
)
wages = st.none() | st.builds(
    ProvinceWage, province=st.just("sichuan"), year=st.just(2025), average_annual_wage=st.integers(50_000, 150_000)
)


def has(notes, words):
    return words in texts(notes)


# route() never changes the channels it is given: one set serves every example.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=any_facts, wage=wages)
def test_every_route_follows_the_rules(channels, facts, wage):
    result = route(facts, channels, wage=wage, today=TODAY)
    recommendations = {rec.channel.code: rec for rec in result.recommendations}
    assert len(recommendations) == len(channels)
    for rec in result.recommendations:
        assert rec.reasons or rec.warnings, rec.channel.code
        for note in rec.reasons + rec.warnings:
            assert isinstance(note, Note) and isinstance(note.text, str) and note.text, rec.channel.code
            assert isinstance(note.source, str) and note.source, (rec.channel.code, note.text)
            assert note.verified is (not any(words in note.text for words in UNVERIFIED)), note.text

    too_late = facts.harm_limit_on is not None and facts.harm_limit_on < TODAY
    samr, association = recommendations["samr-12315"], recommendations["consumer-association"]
    assert samr.eligible is not (facts.personal_consumption and too_late)
    assert has(samr.warnings, "three years") is (facts.personal_consumption and too_late)
    assert samr.name.endswith("a report") is (not facts.personal_consumption)
    assert association.eligible is (facts.personal_consumption and not too_late)
    assert has(association.warnings, "three years") is too_late
    assert has(association.warnings, "personal consumption") is (not facts.personal_consumption)

    pboc = recommendations["pboc-branch"]
    assert pboc.ready is facts.contacted_institution
    assert has(pboc.warnings, "Complain to the institution first") is (not facts.contacted_institution)
    assert has(pboc.warnings, "natural person") is (not facts.natural_person)
    assert has(pboc.reasons, "Art. 34") is (facts.category in {Category.FEES, Category.REFUND})
    assert pboc.name.endswith("分行") is (facts.province in {"sichuan", "beijing", "ningxia"})
    assert has(recommendations["pcac-report"].reasons, "network access") is (
        facts.obtained_via == "agent" or facts.category in {Category.FEES, Category.REFUND, Category.CHANNEL}
    )
    assert has(recommendations["provider-service"].reasons, "not only the agent") is (facts.obtained_via == "agent")

    court, arbitration = recommendations["basic-court"], recommendations["arbitration"]
    assert court.eligible is (facts.arbitration_clause is not True)
    assert arbitration.eligible is (facts.arbitration_clause is True)
    expired = facts.limitation_on is not None and facts.limitation_on < TODAY
    for rec in (court, arbitration):
        assert has(rec.warnings, "limitation period") is expired
    small = result.small_claims
    assert (small is None) is (facts.amount is None)
    assert has(court.reasons, "small-claims") is bool(small and small.eligible)
    if small is not None:
        assert small.eligible is (None if wage is None else facts.amount <= Decimal(wage.average_annual_wage) / 2)
    others = [rec for code, rec in recommendations.items() if code not in {"samr-12315", "consumer-association"}]
    assert all(rec.eligible for rec in others if rec.channel.rung.position < 5)
    assert all(rec.ready for rec in others if rec is not pboc)

    order = [
        (rec.channel.rung.position, not rec.eligible, rec.channel.pressure_only, rec.channel.position)
        for rec in result.recommendations
    ]
    assert order == sorted(order)
    assert result.limitation_date == facts.limitation_on
    assert result.department == provider_department(facts)
