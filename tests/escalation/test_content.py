"""The seeded ladder: idempotent, never overwrites admin edits, and every fact carries its source."""

import pytest

from escalation.content import load_ladder
from escalation.models import Channel, DeadlineRule, PolicyText, Provider, Rung, Verification

pytestmark = pytest.mark.django_db


def rule(code):
    return DeadlineRule.objects.get(code=code)


def test_load_ladder_is_idempotent():
    first = load_ladder()
    assert first > 0
    counts = [Model.objects.count() for Model in (Rung, Channel, DeadlineRule, Provider, PolicyText)]
    assert load_ladder() == 0
    assert [Model.objects.count() for Model in (Rung, Channel, DeadlineRule, Provider, PolicyText)] == counts


def test_reloading_keeps_admin_edits():
    load_ladder()
    Channel.objects.filter(code="pboc-branch").update(contact="12363（已由管理员核实）")
    policy = PolicyText.objects.get(rung__position=1, language="zh-hans")
    policy.revise("管理员修改后的文本", author=None)
    load_ladder()
    assert Channel.objects.get(code="pboc-branch").contact == "12363（已由管理员核实）"
    policy.refresh_from_db()
    assert policy.current.body == "管理员修改后的文本"


def test_five_rungs_in_order_with_both_languages():
    load_ladder()
    rungs = list(Rung.objects.all())
    assert [rung.title_zh for rung in rungs] == ["了解政策", "联系客服", "书面申请", "第三方投诉", "法律途径"]
    for rung in rungs:
        assert rung.summary_zh and rung.summary_en and rung.prepare_zh and rung.prepare_en


def test_every_channel_and_rule_carries_sources_and_a_mark():
    load_ladder()
    for fact in [*Channel.objects.all(), *DeadlineRule.objects.all()]:
        assert fact.source_list, fact
        assert fact.verification in Verification.values
        assert fact.legal_basis_zh and fact.legal_basis_en, fact


def test_the_channels_the_issue_names_are_there():
    load_ladder()
    kinds = set(Channel.objects.values_list("kind", flat=True))
    assert kinds == set(Channel.Kind.values)
    assert Channel.objects.filter(kind=Channel.Kind.PLATFORM).count() == 2


def test_deadlines_match_domain_md():
    load_ladder()
    # Order No. 121 replaced Order No. 20 on 2026-04-15 (domain.md §8.1): the old periods stay as defaults,
    # marked unverified, the new order cited by name and number, no old article printed as current law.
    samr = rule("samr-acceptance")
    assert (samr.amount, samr.unit, samr.verification) == (7, "working_days", Verification.UNVERIFIED)
    mediation = rule("samr-mediation")
    assert (mediation.amount, mediation.unit, mediation.starts_on) == (45, "working_days", "accepted")
    assert mediation.verification == Verification.UNVERIFIED
    for sourced in (samr, mediation, Channel.objects.get(code="samr-12315")):
        assert "第121号" in sourced.legal_basis_zh and "Order No. 121" in sourced.legal_basis_en
        assert "已于2026年4月15日废止" in sourced.legal_basis_zh or "暂行办法" not in sourced.legal_basis_zh
    pboc = rule("pboc-forwarded-reply")
    assert (pboc.amount, pboc.maximum, pboc.unit, pboc.verification) == (15, 60, "calendar_days", "secondary")
    court = rule("court-filing")
    assert (court.amount, court.unit) == (7, "calendar_days")
    limitation = rule("limitation")
    assert (limitation.amount, limitation.unit, limitation.starts_on) == (3, "years", "harm_known")
    for code, days in (("customer-service", 7), ("written-application", 15)):
        default = rule(code)
        assert (default.amount, default.verification) == (days, Verification.APP_DEFAULT)
        assert "not law" in default.legal_basis_en
    assert rule("nfra-reply").verification == Verification.UNVERIFIED


def test_primary_rule_lookup_prefers_the_channel_then_the_rung():
    load_ladder()
    samr = Channel.objects.get(code="samr-12315")
    assert DeadlineRule.primary_for(channel=samr).code == "samr-acceptance"
    assert DeadlineRule.primary_for(rung=Rung.objects.get(position=3)).code == "written-application"
    arbitration = Channel.objects.get(code="arbitration")
    # No rule of its own and none for rung 5 as a whole: arbitration deadlines are not researched.
    assert DeadlineRule.primary_for(channel=arbitration) is None


def test_providers_never_carry_invented_codes_or_hotlines():
    load_ladder()
    lakala = Provider.objects.get(name="拉卡拉支付股份有限公司")
    assert lakala.short_name_zh == "拉卡拉"
    for provider in Provider.objects.all():
        assert provider.credit_code == ""
        assert provider.service_phone == ""
        assert provider.details_verified is False
    assert Provider.objects.count() >= 3


def test_each_rung_has_policy_text_in_both_languages():
    load_ladder()
    for rung in Rung.objects.all():
        for language in ("zh-hans", "en"):
            text = PolicyText.objects.get(rung=rung, language=language, provider=None)
            assert text.current.number == 1
            assert text.current.body_html.startswith("<")
            assert text.title
