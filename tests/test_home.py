import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "一步一步，要回POS机被收的钱" in html
    assert "不构成法律意见" in html


def test_home_page_in_english_when_the_browser_asks_for_it(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Get your POS money back, one step at a time" in html


def test_language_switcher_remembers_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Get your POS money back" in client.get("/").content.decode()
