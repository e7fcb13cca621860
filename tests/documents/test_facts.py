"""The letters' records (documents.letters.facts), without rendering: each sentence rests on a recorded fact."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from cases.models import Step
from documents import letters
from documents.letters.facts import attempts_before, build, claim_items, family_of
from escalation.models import Channel, LegalBasis, Rung
from tests.factories import merchant, open_case

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 3)


@pytest.fixture
def case(ladder):
    return open_case(merchant("owner@example.com"))


def facts(case, kind="refund_application", channel="", language="zh-hans", today=TODAY):
    case.refresh_from_db()
    with translation.override(language):
        return build(case, letters.find_letter(case, kind, channel), language, today)


def codes(found):
    return {argument.code for argument in found.arguments}


def log(case, position, day, channel=None, **extra):
    return case.log_step(
        rung=Rung.objects.get(position=position),
        channel=Channel.objects.get(code=channel) if channel else None,
        actor=case.owner,
        started_on=day,
        **extra,
    )


def test_attempts_are_the_ones_made_before_the_document(case):
    log(case, 2, D(2026, 10, 10), "provider-service", outcome=Step.Outcome.REFUSED)
    log(case, 3, D(2026, 10, 20), method=Step.Method.POST)
    log(case, 4, D(2026, 11, 1), "pboc-branch")
    log(case, 5, D(2026, 11, 20), "basic-court", recipient="某法院")
    log(case, 3, TODAY, method=Step.Method.POST)  # sent today: this very letter
    case.refresh_from_db()
    application = letters.find_letter(case, "refund_application")
    assert [a.on for a in attempts_before(case, application, TODAY, True)] == [D(2026, 10, 10), D(2026, 10, 20)]
    pboc = letters.find_letter(case, "complaint_financial", "pboc-branch")
    assert [a.on for a in attempts_before(case, pboc, TODAY, True)] == [D(2026, 10, 10), D(2026, 10, 20)]
    samr = letters.find_letter(case, "complaint_market", "samr-12315")
    assert D(2026, 11, 1) in [a.on for a in attempts_before(case, samr, TODAY, True)]
    civil = letters.find_letter(case, "civil_complaint", "basic-court")
    assert [a.on for a in attempts_before(case, civil, TODAY, True)] == [
        D(2026, 10, 10),
        D(2026, 10, 20),
        D(2026, 11, 1),
    ]


def test_no_contact_recorded_means_no_attempt_and_a_pboc_checklist_item(case):
    found = facts(case, "complaint_financial", "pboc-branch")
    assert found.attempts == []
    assert "prior_complaint" in {item.code for item in found.checklist}
    assert found.draft


def test_each_sum_is_claimed_less_what_came_back(case):
    case.save_charge(
        None, {"kind": "flow_fee", "amount": Decimal("49.00"), "refunded_amount": Decimal("9")}, case.owner
    )
    case.save_charge(None, {"kind": "flow_fee", "rate": "0.10%", "period": "monthly"}, case.owner)
    case.refresh_from_db()
    items = claim_items(case)
    assert [(item.taken, item.refunded, item.claimed) for item in items] == [
        (Decimal("299.00"), None, Decimal("299.00")),
        (Decimal("49.00"), Decimal("9.00"), Decimal("40.00")),
        (None, None, None),
    ]
    found = facts(case)
    assert (found.total_taken, found.total_refunded, found.total_claimed) == (
        Decimal("348.00"),
        Decimal("9.00"),
        Decimal("339.00"),
    )
    assert any("0.10%" in sentence for sentence in found.money)


@pytest.mark.parametrize(
    ("promise", "checklist", "expected", "absent"),
    [
        # A promise kept by the merchant, whatever its form: breach of contract.
        (
            {"promise_form": "oral", "promise_target": Decimal("50000")},
            {"target_met": "yes"},
            {"condition_met"},
            {"standard_term"},
        ),
        (
            {"promise_form": "advert", "promise_target": Decimal("50000")},
            {"target_met": "yes"},
            {"condition_met"},
            {"standard_term"},
        ),
        # A small-print clause missed: standard terms; undisclosed only where the fee was not in writing.
        (
            {"promise_form": "written", "promise_target": Decimal("50000")},
            {"target_met": "no", "fees_disclosed": "no"},
            {"standard_term"},
            {"condition_met", "undisclosed_fee"},
        ),
        # An oral condition missed is no standard term; the undisclosed fee is the argument.
        (
            {"promise_form": "oral", "promise_target": Decimal("50000")},
            {"target_met": "no", "fees_disclosed": "no"},
            {"undisclosed_fee"},
            {"standard_term", "condition_met"},
        ),
        # Nothing promised: what was taken was never disclosed.
        ({"promise_form": "none"}, {"fees_disclosed": "no"}, {"undisclosed_fee"}, {"condition_met", "promised_return"}),
        # Nothing promised and the fee was disclosed: no argument is invented.
        ({"promise_form": "none"}, {"fees_disclosed": "yes"}, set(), {"undisclosed_fee", "condition_met"}),
    ],
)
def test_each_fact_pattern_gets_its_own_argument(ladder, promise, checklist, expected, absent):
    case = open_case(merchant("owner@example.com"), obtained_via="official", agent_name="", **promise)
    case.record_policy_read(None, checklist, case.owner)
    found = codes(facts(case))
    assert expected <= found
    assert not (absent & found)


def test_a_person_with_no_business_is_argued_as_such(ladder):
    person = open_case(merchant("a@example.com"), merchant_kind="person", use="personal")
    assert "no_business" in codes(facts(person))
    shop = open_case(merchant("b@example.com"), merchant_kind="person", use="business")
    assert "no_business" not in codes(facts(shop))


def test_a_nothing_promised_case_keeps_the_merchants_own_account(ladder):
    case = open_case(merchant("a@example.com"), promise_form="none", promise_details="业务员说能提额")
    found = facts(case)
    assert any("业务员说能提额" in sentence for sentence in found.promise)
    assert not any("承诺退还" in sentence for sentence in found.promise)


def test_the_market_regulator_gets_a_complaint_from_a_consumer_and_a_report_from_a_business(ladder):
    consumer = open_case(merchant("a@example.com"), use="personal")
    business = open_case(merchant("b@example.com"), use="business")
    letter = letters.find_letter(consumer, "complaint_market", "samr-12315")
    assert family_of(letter, consumer) == "samr_complaint"
    assert family_of(letter, business) == "samr_report"
    assert facts(business, "complaint_market", "samr-12315").title == "举报信"


def test_a_letter_cites_only_the_law_in_force_on_its_date(ladder):
    assert "samr-20-art9" in LegalBasis.in_force_on(D(2026, 4, 14))
    assert "samr-20-art9" not in LegalBasis.in_force_on(D(2026, 4, 15))
    assert "samr-121-art3" in LegalBasis.in_force_on(D(2026, 4, 15))
    assert "samr-121-art3" not in LegalBasis.in_force_on(D(2026, 4, 14))
    case = open_case(merchant("a@example.com"), use="business")
    after = facts(case, "complaint_market", "samr-12315", today=D(2026, 4, 15))
    assert "samr-121-art3" in {basis.code for basis in after.bases}
    before = facts(case, "complaint_market", "samr-12315", today=D(2026, 4, 14))
    assert "samr-121-art3" not in {basis.code for basis in before.bases}


def test_an_admin_repealing_a_rule_drops_it_from_every_letter(ladder):
    case = open_case(merchant("a@example.com"), promise_form="oral", promise_target=Decimal("50000"))
    case.record_policy_read(None, {"target_met": "yes"}, case.owner)
    assert "condition_met" in codes(facts(case))
    LegalBasis.objects.filter(code__in=["civil-code-509", "civil-code-577"]).update(repealed_on=D(2026, 12, 1))
    assert "condition_met" not in codes(facts(case))


def test_the_civil_complaint_needs_identity_evidence_and_a_court(case):
    checklist = {item.code for item in facts(case, "civil_complaint", "basic-court").checklist}
    assert {"evidence", "court", "respondent.credit_code", "respondent.address", "merchant.id_number"} <= checklist


# ----- which court, the element table, a company added by a merchant ------------------------------------


def test_the_court_options_follow_the_agreement_and_the_parties(case):
    from documents.letters.court import court_options

    case.save_party("respondent", {"address": "北京市海淀区测试路1号"}, case.owner)
    case.save_party("merchant", {"address": "成都市武侯区测试街2号"}, case.owner)
    options, note = court_options(case)
    assert [option.place for option in options] == ["北京市海淀区测试路1号", "成都市武侯区测试街2号"]
    assert note == ""
    case.save_details({"forum_court": "上海市浦东新区人民法院"}, case.owner)
    options, _note = court_options(case)
    assert options[0].place == "上海市浦东新区人民法院" and "35" in options[0].source
    case.record_policy_read(None, {"arbitration_clause": "yes"}, case.owner)
    options, note = court_options(case)
    assert options == [] and "127" in note


def test_the_element_table_states_recorded_facts_and_asks_about_mediation(case):
    log(case, 2, D(2026, 10, 10), "provider-service", outcome=Step.Outcome.REFUSED)
    assert facts(case, "civil_complaint", "basic-court").elements == []
    case.save_details({"element_table": True}, case.owner)
    rows = dict(facts(case, "civil_complaint", "basic-court").elements)
    assert "终端SN号N3000123" in rows["标的"]
    values = " ".join(value for value in rows.values())
    assert "299.00元" in values and "2026年10月10日" in values
    assert any("□" in value for value in rows.values())  # mediation is the merchant's choice, ticked by hand


def test_a_company_typed_by_name_joins_the_directory_hidden_until_checked(ladder):
    from escalation.models import Provider

    owner = merchant("a@example.com")
    case = open_case(owner, provider=None, provider_other="深圳某某支付有限公司")
    added = Provider.objects.get(name="深圳某某支付有限公司")
    assert case.provider == added and not added.is_active and added.added_by == owner
    assert case.provider_name == "深圳某某支付有限公司"
    second = open_case(merchant("b@example.com"), provider=None, provider_other="深圳某某支付有限公司")
    assert second.provider == added and Provider.objects.filter(name="深圳某某支付有限公司").count() == 1
    from cases.forms.intake import IntakeForm

    assert added not in IntakeForm(case=case).fields["provider"].queryset
    assert IntakeForm.initial_for(case)["provider_other"] == "深圳某某支付有限公司"
