"""Policy text revisions: every edit is kept, restore adds a revision, stale texts are flagged."""

import datetime as dt

import pytest
import time_machine

from escalation.models import PolicyText, Provider, Rung
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rung():
    return Rung.objects.create(position=1, code=Rung.Code.READ_POLICY, title_zh="了解政策", title_en="Read the policy")


@pytest.fixture
def policy(rung):
    return PolicyText.objects.create(rung=rung, language="zh-hans", title="第一步")


def test_every_edit_is_a_new_revision_and_old_ones_stay_readable(policy):
    admin = UserFactory()
    first = policy.revise("第一版", author=admin)
    second = policy.revise("第二版", author=admin)
    assert (first.number, second.number) == (1, 2)
    policy.refresh_from_db()
    assert policy.current == second
    assert [r.body for r in policy.revisions.order_by("number")] == ["第一版", "第二版"]


def test_saving_the_same_text_adds_nothing(policy):
    first = policy.revise("同样的文本", author=None)
    assert policy.revise("同样的文本", author=None) == first
    assert policy.revisions.count() == 1


def test_restore_makes_an_old_text_current_as_a_new_revision(policy):
    admin = UserFactory()
    old = policy.revise("原文", author=admin)
    policy.revise("改错了", author=admin)
    restored = policy.restore(old, author=admin)
    assert restored.number == 3
    assert restored.body == "原文"
    policy.refresh_from_db()
    assert policy.current == restored
    assert policy.revisions.count() == 3


def test_restore_refuses_a_revision_of_another_text(policy, rung):
    other = PolicyText.objects.create(rung=rung, language="en", title="Rung 1")
    revision = other.revise("English", author=None)
    with pytest.raises(ValueError):
        policy.restore(revision, author=None)


def test_script_cannot_get_into_the_rendered_text(policy):
    revision = policy.revise(
        '**注意** <script>alert(1)</script> <img src=x onerror="alert(1)"> [点我](javascript:alert(1))', author=None
    )
    assert "<strong>注意</strong>" in revision.body_html
    assert "<script" not in revision.body_html
    assert "onerror" not in revision.body_html
    assert "javascript:" not in revision.body_html


def test_texts_not_reviewed_for_180_days_are_stale(policy):
    reviewer = UserFactory()
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        revision = policy.revise("正文", author=reviewer)
        assert policy.is_stale() is True  # never reviewed
        revision.mark_reviewed(reviewer)
        assert revision.reviewed_on == dt.date(2026, 1, 10)
        assert policy.is_stale() is False
    assert policy.is_stale(today=dt.date(2026, 7, 9)) is False
    assert policy.is_stale(today=dt.date(2026, 7, 10)) is True


def test_reviewing_while_saving_stamps_the_revision(policy):
    reviewer = UserFactory()
    revision = policy.revise("正文", author=reviewer, reviewed=True)
    assert revision.reviewed_by == reviewer
    assert revision.reviewed_on is not None


def test_the_providers_own_text_wins_and_chinese_is_the_fallback(rung):
    lakala = Provider.objects.create(name="拉卡拉支付股份有限公司", short_name_zh="拉卡拉")
    general = PolicyText.objects.create(rung=rung, language="zh-hans", title="通用")
    general.revise("通用", author=None)
    own = PolicyText.objects.create(rung=rung, language="zh-hans", provider=lakala, title="拉卡拉")
    own.revise("拉卡拉专用", author=None)
    assert PolicyText.for_rung(rung, "zh-hans", provider=lakala) == own
    assert PolicyText.for_rung(rung, "zh-hans") == general
    # No English text: the Chinese one is shown.
    assert PolicyText.for_rung(rung, "en") == general
    english = PolicyText.objects.create(rung=rung, language="en", title="General")
    english.revise("General", author=None)
    assert PolicyText.for_rung(rung, "en", provider=lakala) == english
    assert PolicyText.general_by_rung("en") == {rung.pk: english}
    assert PolicyText.general_by_rung("zh-hans") == {rung.pk: general}


def test_a_text_without_any_revision_is_not_offered(rung):
    PolicyText.objects.create(rung=rung, language="zh-hans", title="空")
    assert PolicyText.for_rung(rung, "zh-hans") is None
