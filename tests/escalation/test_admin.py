"""The Django admin for the ladder: in Chinese, every model listed, policy revisions and actions work."""

import pytest
from django.urls import reverse

from escalation.content import load_ladder
from escalation.models import (
    Channel,
    DeadlineRule,
    HolidayCalendar,
    PolicyRevision,
    PolicyText,
    Provider,
    ProvinceWage,
    Rung,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = [Rung, Channel, Provider, DeadlineRule, PolicyText, PolicyRevision, HolidayCalendar, ProvinceWage]


@pytest.fixture
def admin_client(client):
    load_ladder()
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.user = admin
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_ladder_model_has_a_searchable_filterable_changelist_in_chinese(admin_client, model):
    url = reverse(f"admin:escalation_{model._meta.model_name}_changelist")
    response = admin_client.get(url, {"q": "中国"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "搜索" in html or "search" not in html.lower()
    response = admin_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("model", [Channel, Provider, DeadlineRule, PolicyText], ids=lambda model: model.__name__)
def test_change_forms_open(admin_client, model):
    obj = model.objects.first()
    response = admin_client.get(reverse(f"admin:escalation_{model._meta.model_name}_change", args=[obj.pk]))
    assert response.status_code == 200


def policy_form(policy, body, reviewed=False):
    data = {
        "rung": policy.rung_id,
        "provider": "",
        "language": policy.language,
        "title": policy.title,
        "body": body,
    }
    if reviewed:
        data["reviewed"] = "on"
    return data


def test_editing_policy_text_in_the_admin_adds_a_revision_and_shows_the_history(admin_client):
    policy = PolicyText.objects.get(rung__position=1, language="zh-hans")
    url = reverse("admin:escalation_policytext_change", args=[policy.pk])
    response = admin_client.post(url, policy_form(policy, "## 新规则\n\n管理员改写的正文。", reviewed=True))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.current.number == 2
    assert policy.current.author == admin_client.user
    assert policy.current.reviewed_by == admin_client.user
    assert policy.revisions.count() == 2
    page = admin_client.get(url).content.decode()
    assert "r1" in page and "r2" in page
    assert "管理员改写的正文。" in page  # the preview


def test_admin_markdown_preview_is_sanitised(admin_client):
    policy = PolicyText.objects.get(rung__position=2, language="zh-hans")
    url = reverse("admin:escalation_policytext_change", args=[policy.pk])
    admin_client.post(url, policy_form(policy, "正文<script>alert('admin')</script>"))
    page = admin_client.get(url).content.decode()
    assert "<script>alert('admin')</script>" not in page


def test_restore_action_brings_back_an_old_revision(admin_client):
    policy = PolicyText.objects.get(rung__position=1, language="en")
    original = policy.current
    policy.revise("A mistaken edit", author=admin_client.user)
    response = admin_client.post(
        reverse("admin:escalation_policyrevision_changelist"),
        {"action": "restore", "_selected_action": [original.pk]},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.current.number == 3
    assert policy.current.body == original.body


def test_old_revisions_are_readable_but_not_editable(admin_client):
    revision = PolicyRevision.objects.first()
    url = reverse("admin:escalation_policyrevision_change", args=[revision.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    admin_client.post(url, {"body": "tampered"})
    revision.refresh_from_db()
    assert revision.body != "tampered"


def test_mark_reviewed_action_and_the_stale_filter(admin_client):
    changelist = reverse("admin:escalation_policytext_changelist")
    stale = admin_client.get(changelist, {"stale": "yes"}).context["cl"].result_count
    assert stale == PolicyText.objects.count()  # seed texts are not reviewed yet
    policy = PolicyText.objects.get(rung__position=3, language="zh-hans")
    admin_client.post(changelist, {"action": "mark_reviewed", "_selected_action": [policy.pk]})
    policy.refresh_from_db()
    assert policy.current.reviewed_by == admin_client.user
    assert admin_client.get(changelist, {"stale": "yes"}).context["cl"].result_count == stale - 1
    assert admin_client.get(changelist, {"stale": "no"}).context["cl"].result_count == 1


def test_admin_can_add_a_holiday_schedule_for_an_unknown_year(admin_client):
    response = admin_client.post(
        reverse("admin:escalation_holidaycalendar_add"),
        {
            "year": 2027,
            "complete": "on",
            "source": "国务院办公厅关于2027年部分节假日安排的通知",
            "dates-TOTAL_FORMS": "1",
            "dates-INITIAL_FORMS": "0",
            "dates-MIN_NUM_FORMS": "0",
            "dates-MAX_NUM_FORMS": "1000",
            "dates-0-date": "2027-02-06",
            "dates-0-kind": "workday",
            "dates-0-name": "春节调休",
        },
    )
    assert response.status_code == 302
    calendar = HolidayCalendar.objects.get(year=2027)
    assert calendar.dates.get().kind == "workday"


def test_a_holiday_date_outside_the_calendar_year_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:escalation_holidaycalendar_add"),
        {
            "year": 2027,
            "dates-TOTAL_FORMS": "1",
            "dates-INITIAL_FORMS": "0",
            "dates-MIN_NUM_FORMS": "0",
            "dates-MAX_NUM_FORMS": "1000",
            "dates-0-date": "2028-02-06",
            "dates-0-kind": "holiday",
        },
    )
    assert response.status_code == 200
    assert not HolidayCalendar.objects.exists()


def test_rungs_cannot_be_added_or_deleted(admin_client):
    assert admin_client.get(reverse("admin:escalation_rung_add")).status_code == 403
