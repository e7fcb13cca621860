"""The public /ladder/ page, in Chinese and English, with sources and unverified marks."""

import pytest

from escalation.content import load_ladder
from escalation.models import Channel, PolicyText

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ladder():
    load_ladder()


def test_ladder_page_in_chinese(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/ladder/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ["了解政策", "联系客服", "书面申请", "第三方投诉", "法律途径"]:
        assert title in html
    assert "第一步：读懂协议和收费规则" in html  # the rung-1 policy text
    assert "中国人民银行分行（12363）" in html
    assert "7个工作日" in html  # 12315 acceptance
    assert "未核实" in html  # unverified facts say so
    assert "本站默认值" in html
    assert "非银行支付机构监督管理条例(2023-12-09)" in html  # a source, by the law's name
    assert ".md" not in html and "domain.md" not in html  # no file names or internal references


def test_ladder_page_in_english(client):
    response = client.get("/ladder/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Rung 1: understand your agreement and the fees" in html
    assert "People&#x27;s Bank of China branch (12363)" in html
    assert "7 working days" in html
    assert "Unverified" in html
    assert "App default, not law" in html


def test_every_active_channel_is_listed_with_its_mark(client):
    html = client.get("/ladder/").content.decode()
    for channel in Channel.objects.filter(is_active=True):
        assert channel.name_zh in html
    Channel.objects.filter(code="jutousu").update(is_active=False)
    assert "聚投诉（21CN）" not in client.get("/ladder/").content.decode()


def test_an_admin_edit_shows_on_the_page(client):
    policy = PolicyText.objects.get(rung__position=1, language="zh-hans")
    policy.revise("## 新的说明\n\n请先核对**协议第八条**。", author=None)
    html = client.get("/ladder/").content.decode()
    assert "<strong>协议第八条</strong>" in html
    assert "修订版 2" in html or "Revision 2" in html


def test_admin_markup_cannot_inject_script_into_the_page(client):
    policy = PolicyText.objects.get(rung__position=1, language="zh-hans")
    policy.revise("正文<script>alert('x')</script>", author=None)
    assert "<script>alert" not in client.get("/ladder/").content.decode()
