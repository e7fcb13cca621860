"""The merchant's pages in Chinese by default and in English on request."""

import pytest

from tests.factories import open_case

pytestmark = pytest.mark.django_db


def test_case_pages_in_chinese_and_english(owner_client, owner):
    case = open_case(owner)
    url = f"/cases/{case.pk}/ladder/policy/"
    page = owner_client.get(url).content.decode()
    assert "核对您的协议" in page
    assert "我的案件" in page
    assert "第一步：读懂协议和收费规则" in page
    # Signed in, the profile's language wins over the browser's; the switcher changes it.
    assert "核对您的协议" in owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    owner_client.post("/i18n/setlang/", {"language": "en", "next": url})
    page = owner_client.get(url).content.decode()
    assert "Check your agreement" in page
    assert "Rung 1: understand your agreement and the fees" in page


def test_case_list_and_empty_state(owner_client, owner):
    page = owner_client.get("/cases/").content.decode()
    assert "您还没有案件" in page
    case = open_case(owner)
    page = owner_client.get("/cases/").content.decode()
    assert "拉卡拉支付股份有限公司" in page
    assert f"/cases/{case.pk}/" in page
    assert "¥299.00" in page


def test_timeline_page_lists_every_event_in_the_users_language(owner_client, owner):
    case = open_case(owner)
    page = owner_client.get(f"/cases/{case.pk}/timeline/").content.decode()
    assert "案件已创建" in page and "案情已保存" in page


def test_pages_show_personal_data_masked(owner_client, owner):
    owner.profile.id_number = "11010519491231002X"
    owner.profile.save()
    case = open_case(owner)
    for url in ["/cases/", f"/cases/{case.pk}/ladder/intake/", f"/cases/{case.pk}/timeline/", "/accounts/profile/"]:
        assert "11010519491231002X" not in owner_client.get(url).content.decode(), url
