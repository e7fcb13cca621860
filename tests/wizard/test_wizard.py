"""The ladder wizard, driven through the Django test client: every rung, both endings, no lost data."""

import datetime as dt
import re
import uuid

import pytest
import time_machine

from cases.models import Case, Event, FormSubmission, Step, WizardState
from escalation.models import Rung
from tests.wizard_steps import CHECKLIST, INTAKE, Wizard

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC)


def location(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def step_of(response):
    return location(response).rstrip("/").rsplit("/", 1)[-1]


def intake(provider):
    return {**INTAKE, "provider": provider.pk}


@time_machine.travel(TODAY, tick=False)
def test_a_case_walks_every_rung_to_money_back(wizard, provider):
    case = wizard.case
    assert step_of(wizard.post("intake", intake(provider))) == "policy"
    case.refresh_from_db()
    assert case.amount == 299 and case.provider == provider and case.intake_completed_at

    assert step_of(wizard.post("policy", CHECKLIST)) == "customer_service"
    case.refresh_from_db()
    assert case.policy_revision.policy.rung.position == 1
    assert case.target_met == "yes"

    # Rung 2: a contact that promises a refund starts the 7-day default deadline.
    response = wizard.post(
        "customer_service",
        {"started_on": "2026-11-10", "method": "phone", "reference": "T-778", "notes": "说会退", "outcome": "promised"},
    )
    assert step_of(response) == "application"  # 7 days from 11-10 lapsed on 11-17: rung 3 is next
    contact = case.steps.get(rung__position=2)
    assert contact.due_on == dt.date(2026, 11, 17)
    assert contact.channel.code == "provider-service"
    assert contact.rule.code == "customer-service"

    # Rung 3: the written application; 15 days from receipt, estimated at three days for EMS.
    response = wizard.post(
        "application", {"started_on": "2026-11-20", "method": "post", "reference": "EA123456789CN", "recipient": "北京"}
    )
    assert step_of(response) == "application"  # waiting: the institution has until 12-08
    application = case.steps.get(rung__position=3)
    assert application.due_on == dt.date(2026, 12, 8)
    assert Event.objects.filter(case=case, kind=Event.Kind.STEP_LOGGED, data__restarts_limitation=True).exists()
    case.refresh_from_db()
    assert case.rung.position == 3
    assert case.last_written_demand_on() == dt.date(2026, 11, 20)

    # They refuse: rung 4 opens.
    response = wizard.client.post(
        f"/cases/{case.pk}/steps/{application.pk}/answer/",
        {f"answer-{application.pk}-outcome": "refused", f"answer-{application.pk}-answered_on": "2026-11-21"},
    )
    assert location(response).endswith("/ladder/application/")
    assert wizard.client.get(f"/cases/{case.pk}/")["Location"].endswith("/ladder/third_party/")

    # Rung 4: 12315 counts 7 working days from receipt.
    page = wizard.client.get(wizard.url("third_party")).content.decode()
    assert "中国人民银行四川省分行" in page  # routing names the provincial branch
    from escalation.models import Channel

    samr = Channel.objects.get(code="samr-12315")
    response = wizard.post("third_party", {"channel": samr.pk, "started_on": "2026-11-21", "method": "online"})
    filing = case.steps.get(rung__position=4)
    assert filing.due_on == dt.date(2026, 12, 1)
    assert filing.rule.code == "samr-acceptance"
    # A second filing gets its own deadline.
    pboc = Channel.objects.get(code="pboc-branch")
    wizard.post(
        "third_party", {"channel": pboc.pk, "started_on": "2026-11-21", "method": "phone", "reference": "12363-1"}
    )
    assert {s.channel.code: s.due_on for s in case.steps.filter(rung__position=4)} == {
        "samr-12315": dt.date(2026, 12, 1),
        "pboc-branch": dt.date(2026, 12, 7),  # 12-06 is a Sunday
    }

    # 12315 accepts: its 45-working-day mediation clock starts as a follow-up step.
    wizard.client.post(
        f"/cases/{case.pk}/steps/{filing.pk}/answer/",
        {f"answer-{filing.pk}-outcome": "accepted", f"answer-{filing.pk}-answered_on": "2026-11-21"},
    )
    mediation = case.steps.get(rule__code="samr-mediation")
    assert mediation.started_on == dt.date(2026, 11, 21)

    # Rung 5 early: looking changes nothing; filing there asks why.
    response = wizard.client.get(wizard.url("litigation"))
    assert response.status_code == 200
    assert response.context["early"] == "waiting"
    case.refresh_from_db()
    assert case.rung.position == 4
    court = Channel.objects.get(code="basic-court")
    filing_data = {
        "channel": court.pk,
        "recipient": "成都市武侯区人民法院",
        "started_on": "2026-11-21",
        "method": "online",
    }
    wizard.post("litigation", filing_data)
    assert not case.steps.filter(rung__position=5).exists()
    wizard.post("litigation", {**filing_data, "early_reason": "代理商失联，担心时效"})
    case.refresh_from_db()
    assert case.rung.position == 5
    early = case.events.get(kind=Event.Kind.RUNG_ENTERED_EARLY)
    assert early.data["reason"] == "代理商失联，担心时效"
    lawsuit = case.steps.get(rung__position=5)
    assert lawsuit.due_on == dt.date(2026, 11, 30)  # 7 days from filing online (11-28 is a Saturday)

    # The money comes back: the remaining rungs drop out and the outcome closes the case.
    response = wizard.client.post(
        f"/cases/{case.pk}/steps/{lawsuit.pk}/answer/",
        {f"answer-{lawsuit.pk}-outcome": "refunded", f"answer-{lawsuit.pk}-answered_on": "2026-11-21"},
    )
    assert location(response).endswith("/ladder/outcome/")
    assert wizard.client.get(wizard.url("third_party"))["Location"].endswith("/ladder/outcome/")
    response = wizard.post(
        "outcome",
        {
            "result": "recovered",
            "recovered_amount": "299",
            "recovered_on": "2026-11-21",
            "recovered_rung": Rung.objects.get(position=5).pk,
        },
    )
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    assert case.recovered_amount == 299
    assert not case.steps.filter(next_reminder_at__isnull=False).exists()
    assert case.events.filter(kind=Event.Kind.RESOLVED).count() == 1
    assert step_of(response) == "outcome"


@time_machine.travel(TODAY, tick=False)
def test_a_case_can_end_withdrawn_with_a_reason(wizard, provider):
    wizard.post("intake", intake(provider))
    wizard.post("outcome", {"result": "withdrawn", "withdrawn_reason": "金额太小，不想再折腾"})
    wizard.case.refresh_from_db()
    assert wizard.case.status == Case.Status.WITHDRAWN
    assert wizard.case.withdrawn_reason == "金额太小，不想再折腾"
    assert wizard.case.events.filter(kind=Event.Kind.WITHDRAWN).exists()
    # A closed case refuses new steps until reopened.
    stale_tab = uuid.uuid4()
    response = wizard.post(
        "customer_service", {"started_on": "2026-11-20", "method": "phone", "outcome": "refused"}, token=stale_tab
    )
    assert not wizard.case.steps.exists()
    wizard.client.post(f"/cases/{wizard.case.pk}/reopen/")
    wizard.case.refresh_from_db()
    assert wizard.case.status == Case.Status.OPEN
    assert response.status_code == 302


def test_withdrawing_needs_a_reason_and_says_so(wizard, provider):
    wizard.post("intake", intake(provider))
    response = wizard.post("outcome", {"result": "withdrawn", "withdrawn_reason": ""})
    assert response.status_code == 200
    assert "请说明原因" in response.content.decode()
    wizard.case.refresh_from_db()
    assert wizard.case.status == Case.Status.OPEN


# ----- the four no-loss cases -----------------------------------------------------------------------


def test_typed_data_survives_an_expired_session(wizard, owner, provider, client):
    data = intake(provider)
    data["amount"] = "-5"  # invalid: nothing is saved to the case, but the typing is kept
    response = wizard.post("intake", data)
    assert response.status_code == 200
    assert WizardState.objects.filter(case=wizard.case).exists()

    wizard.client.logout()  # the session is gone
    assert wizard.client.get(wizard.url("intake")).status_code == 302  # to the login page
    wizard.client.force_login(owner)
    page = wizard.client.get(wizard.url("intake")).content.decode()
    assert 'value="822100058120001"' in page
    assert "交易满5万元返还押金" in page


def test_back_keeps_what_was_typed_on_the_current_step(wizard, provider):
    wizard.post("intake", intake(provider))
    partial = {"target_met": "no", "fees_disclosed": "yes"}
    response = wizard.post("policy", partial, wizard_goto_step="intake")
    assert location(response).endswith("/ladder/intake/")
    page = wizard.client.get(wizard.url("policy")).content.decode()
    assert re.search(r'<input[^>]*name="policy-target_met" value="no"[^>]*id="id_policy-target_met_1" checked', page)
    assert re.search(r'<input[^>]*value="yes"[^>]*id="id_policy-fees_disclosed_0" checked', page)


def test_switching_device_keeps_saved_and_typed_data(wizard, owner, provider, django_user_model):
    from django.test import Client

    wizard.post("intake", intake(provider))
    wizard.post("policy", CHECKLIST)
    wizard.post("customer_service", {"started_on": "2026-11-10", "method": "phone", "notes": "还没说完"})  # no outcome
    phone_state = WizardState.objects.get(case=wizard.case).data
    assert "customer_service" in phone_state["step_data"]

    laptop = Client()
    laptop.force_login(owner)
    other = Wizard(laptop, wizard.case)
    page = laptop.get(other.url("intake")).content.decode()
    assert 'value="N3000123"' in page  # saved
    page = laptop.get(other.url("customer_service")).content.decode()
    assert "还没说完" in page  # typed on the phone, not yet saved


def test_submitting_twice_records_once(wizard, provider):
    wizard.post("intake", intake(provider))
    wizard.post("policy", CHECKLIST)
    data = {"started_on": "2026-11-10", "method": "phone", "reference": "T-1", "outcome": "pending"}
    token = wizard.token("customer_service")
    wizard.post("customer_service", data, token=token)
    wizard.post("customer_service", data, token=token)
    assert wizard.case.steps.count() == 1
    assert wizard.case.events.filter(kind=Event.Kind.STEP_LOGGED).count() == 1
    assert FormSubmission.objects.filter(case=wizard.case).count() == 3  # intake, policy, the contact
    # A fresh form (new token) is a new contact, and supersedes the first one's reminders.
    wizard.post("customer_service", {**data, "reference": "T-2"})
    first, second = wizard.case.steps.order_by("created_at")
    assert first.superseded and first.next_reminder_at is None
    assert not second.superseded and second.next_reminder_at is not None


def test_a_saved_step_clears_its_draft(wizard, provider):
    data = intake(provider)
    wizard.post("intake", {**data, "amount": "abc"})
    assert "intake" in WizardState.objects.get(case=wizard.case).data["step_data"]
    wizard.post("intake", data)
    assert "intake" not in WizardState.objects.get(case=wizard.case).data["step_data"]


def test_discarding_a_draft(wizard, provider):
    wizard.post("intake", {**intake(provider), "amount": "abc"})
    wizard.post("intake", {}, **{"discard-draft": "1"})
    assert "intake" not in WizardState.objects.get(case=wizard.case).data["step_data"]


# ----- resuming and gating ----------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_case_url_resumes_at_the_latest_unfinished_rung(wizard, provider):
    case_url = f"/cases/{wizard.case.pk}/"
    assert wizard.client.get(case_url)["Location"].endswith("/ladder/intake/")
    wizard.post("intake", intake(provider))
    assert wizard.client.get(case_url)["Location"].endswith("/ladder/policy/")
    wizard.post("policy", CHECKLIST)
    assert wizard.client.get(case_url)["Location"].endswith("/ladder/customer_service/")
    wizard.post("customer_service", {"started_on": "2026-11-20", "method": "phone", "outcome": "pending"})
    # Waiting for customer service (due 11-27): stay at rung 2.
    assert wizard.client.get(case_url)["Location"].endswith("/ladder/customer_service/")
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC)):
        assert wizard.client.get(case_url)["Location"].endswith("/ladder/application/")


@time_machine.travel(TODAY, tick=False)
def test_a_refusal_unlocks_the_next_rung_at_once(wizard, provider):
    wizard.post("intake", intake(provider))
    wizard.post("policy", CHECKLIST)
    response = wizard.post("customer_service", {"started_on": "2026-11-21", "method": "phone", "outcome": "refused"})
    assert step_of(response) == "application"
    assert wizard.client.get(wizard.url("application")).templates[0].name == "wizard/application.html"


@time_machine.travel(TODAY, tick=False)
def test_skipping_a_rung_needs_a_reason(wizard, provider):
    from escalation.models import Channel

    wizard.post("intake", intake(provider))
    wizard.post("policy", CHECKLIST)
    response = wizard.client.get(wizard.url("third_party"))
    assert response.templates[0].name == "wizard/third_party.html"
    assert response.context["early"] == "skips"
    assert "early_reason" in response.context["form"].fields
    pboc = Channel.objects.get(code="pboc-branch")
    filing = {"channel": pboc.pk, "started_on": "2026-11-21", "method": "online"}
    # Without a reason, or with a blank one, nothing is recorded and the merchant is told why.
    for reason in ("", "  "):
        response = wizard.post("third_party", {**filing, "early_reason": reason}, token=uuid.uuid4())
        assert response.status_code == 200
        assert "say why" in response.content.decode().lower() or "说明" in response.content.decode()
    assert not wizard.case.steps.exists()
    wizard.case.refresh_from_db()
    assert wizard.case.rung.position == 1
    wizard.post("third_party", {**filing, "early_reason": "客服电话打不通"}, token=uuid.uuid4())
    wizard.case.refresh_from_db()
    assert wizard.case.rung.position == 4
    assert wizard.case.events.filter(kind=Event.Kind.RUNG_ENTERED_EARLY, data__reason="客服电话打不通").exists()


@time_machine.travel(TODAY, tick=False)
def test_looking_at_a_later_rung_changes_nothing(wizard, provider):
    """A merchant waiting at rung 3 opens rung 4 and rung 5: the live deadline and its reminder stay."""
    wizard.post("intake", intake(provider))
    wizard.post("policy", CHECKLIST)
    wizard.post("customer_service", {"started_on": "2026-11-01", "method": "phone", "outcome": "refused"})
    wizard.post("application", {"started_on": "2026-11-20", "method": "email", "recipient": "kefu@example.com"})
    case = wizard.case
    application = case.steps.get(rung__position=3)
    before = (application.due_on, application.next_reminder_at)
    events = case.events.count()
    for step in ("third_party", "litigation"):
        response = wizard.client.get(wizard.url(step))
        assert response.status_code == 200 and response.context["early"]
    application.refresh_from_db()
    case.refresh_from_db()
    assert (application.due_on, application.next_reminder_at) == before
    assert application.next_reminder_at is not None
    assert case.rung.position == 3
    assert case.events.count() == events


# ----- validation ---------------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "0", "金额要大于0元。"),
        ("amount", "-100", "金额要大于0元。"),
        ("amount", "99999999", "确保该值小于或等于1000000"),
        ("activation_date", "2027-01-01", "激活日期不能晚于今天"),
        ("charged_on", "2024-01-01", "早于激活日期"),
        ("merchant_number", "<script>", "商户号由4到40位字母和数字组成"),
    ],
)
def test_bad_intake_input_gets_a_clear_chinese_error_and_saves_nothing(wizard, provider, field, value, message):
    response = wizard.post("intake", {**intake(provider), field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    wizard.case.refresh_from_db()
    assert wizard.case.intake_completed_at is None
    assert wizard.case.amount is None


def test_other_provider_needs_a_name(wizard, provider):
    response = wizard.post("intake", {**intake(provider), "provider": "", "provider_other": ""})
    assert "请选择支付机构，或填写其名称" in response.content.decode()
    wizard.post("intake", {**intake(provider), "provider": "", "provider_other": "某某支付有限公司"})
    wizard.case.refresh_from_db()
    assert wizard.case.provider_name == "某某支付有限公司"


@time_machine.travel(TODAY, tick=False)
def test_a_contact_cannot_be_dated_before_activation_or_in_the_future(wizard, provider):
    wizard.post("intake", intake(provider))
    wizard.post("policy", CHECKLIST)
    for day in ("2025-01-01", "2026-12-01"):
        response = wizard.post("customer_service", {"started_on": day, "method": "phone", "outcome": "pending"})
        assert response.status_code == 200
    assert not wizard.case.steps.exists()


def test_the_policy_revision_read_is_recorded(wizard, provider):
    from escalation.models import PolicyText

    wizard.post("intake", intake(provider))
    policy = PolicyText.objects.get(rung__position=1, language="zh-hans")
    shown = policy.current
    token = wizard.token("policy")
    policy.revise("管理员在商户阅读期间更新了文本", author=None)  # the admin edits while the merchant reads
    wizard.post("policy", {**CHECKLIST, "revision": shown.pk}, token=token)
    wizard.case.refresh_from_db()
    assert wizard.case.policy_revision == shown
    assert wizard.case.events.get(kind=Event.Kind.POLICY_READ).data["revision"] == shown.number


def test_steps_record_their_rung_in_the_timeline(wizard, provider):
    wizard.post("intake", intake(provider))
    wizard.post("policy", CHECKLIST)
    wizard.post("customer_service", {"started_on": "2026-11-10", "method": "phone", "outcome": "refused"})
    kinds = list(wizard.case.events.values_list("kind", flat=True))
    assert kinds[:4] == ["opened", "intake_saved", "policy_read", "rung_entered"]
    assert kinds[-1] == "step_logged"
    assert Step.objects.get().rung == Rung.objects.get(position=2)
