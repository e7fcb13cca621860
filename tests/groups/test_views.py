"""The group pages: who sees a group (404 otherwise), what names they see, joining from the case page or a link."""

import re

import pytest

from cases.models import Case
from groups.models import ComplaintGroup
from tests.factories import admin_user, merchant, open_case, volunteer
from tests.groups.conftest import NAMES, members

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_who_sees_a_group(client, group, merchants, cases):
    url = f"/groups/{group.pk}/"
    assert client.get(url)["Location"].startswith("/accounts/login/")  # anonymous
    assert page(client, merchants[1], url).status_code == 200  # a member
    assert page(client, merchant("other@example.com"), url).status_code == 404  # a merchant outside it
    helper = volunteer()
    assert page(client, helper, url).status_code == 404  # a volunteer with no link to it
    cases[2].enqueue(Case.QueueReason.HELP_REQUESTED, merchants[2])
    assert page(client, helper, url).status_code == 200  # a member's case is in the queue
    cases[2].take(volunteer("other-volunteer@example.com"))
    assert page(client, helper, url).status_code == 404  # ...assigned to someone else
    group.ask_for_help(merchants[0])
    assert page(client, helper, url).status_code == 200  # the group asks for help choosing representatives
    assert page(client, admin_user(), url).status_code == 200
    # A member who left no longer sees it; a wrong id is a 404 too.
    members(group)[1].leave(merchants[1])
    client.force_login(merchants[1])
    assert client.get(url).status_code == 404
    assert client.get("/groups/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_members_see_names_only_with_consent_and_volunteers_see_them_masked(client, group, merchants, cases):
    first, second, _third = members(group)
    first.set_name_consent(True, merchants[0])
    url = f"/groups/{group.pk}/"
    html = page(client, merchants[1], url).content.decode()
    assert NAMES[0] in html  # agreed
    assert NAMES[2] not in html and "成员 3" in html  # did not
    assert "您（成员 2）" in html
    for number in "123":
        assert f"1381234567{number}" not in html  # no phone
    assert "测试路" not in html and "11010519491231002X" not in html
    group.ask_for_help(merchants[0])
    html = page(client, volunteer(), url).content.decode()
    assert NAMES[0] not in html and "王*明" in html and "陈*勇" in html


def test_the_case_page_offers_the_groups_against_its_provider_and_joining_writes_both_timelines(
    client, cases, merchants, ladder
):
    group = ComplaintGroup.start(cases[0], ComplaintGroup.Practice.AGENT, "刘经理", merchants[0])
    client.force_login(merchants[1])
    html = client.get(f"/cases/{cases[1].pk}/ladder/customer_service/").content.decode()
    assert f"/cases/{cases[1].pk}/groups/" in html  # the case page links to the groups for the case
    html = client.get(f"/cases/{cases[1].pk}/groups/").content.decode()
    assert "刘经理" in html and f"/cases/{cases[1].pk}/groups/{group.pk}/join/" in html
    # Another provider's case is not offered the group, and cannot join it.
    other = open_case(merchants[1], provider=None, provider_other="别的支付公司")
    html = client.get(f"/cases/{other.pk}/groups/").content.decode()
    assert str(group.pk) not in html
    assert client.post(f"/cases/{other.pk}/groups/{group.pk}/join/", {"confirm": "on"}).status_code == 404
    # Without the confirmation nothing happens; with it the case joins.
    client.post(f"/cases/{cases[1].pk}/groups/{group.pk}/join/")
    assert len(members(group)) == 1
    response = client.post(f"/cases/{cases[1].pk}/groups/{group.pk}/join/", {"confirm": "on"})
    assert response["Location"] == f"/groups/{group.pk}/"
    assert [member.case for member in members(group)] == [cases[0], cases[1]]
    assert cases[1].events.filter(kind="group_joined").count() == 1
    html = client.get(f"/cases/{cases[1].pk}/timeline/").content.decode()
    assert "加入了共同投诉（成员 2）" in html


def test_the_invitation_link_lets_a_merchant_with_a_case_against_the_provider_join(client, cases, merchants):
    group = ComplaintGroup.start(cases[0], ComplaintGroup.Practice.AGENT, "刘经理", merchants[0])
    client.force_login(merchants[0])
    html = client.get(f"/groups/{group.pk}/").content.decode()
    link = re.search(r"http://testserver(/groups/invite/[^/]+/)", html).group(1)
    assert client.get("/groups/invite/not-the-key/").status_code == 404
    client.force_login(merchants[2])
    html = client.get(link).content.decode()
    assert NAMES[0] not in html  # the link tells the group, not who is in it
    response = client.post(link, {"case": str(cases[2].pk), "confirm": "on"})
    assert response.status_code == 302
    assert cases[2] in [member.case for member in members(group)]
    assert client.get(link)["Location"] == f"/groups/{group.pk}/"  # a member is sent to the group
    newcomer = merchant("new@example.com")
    client.force_login(newcomer)
    assert "要加入" in client.get(link).content.decode()  # no case against this provider yet


def test_consent_stand_choose_and_leave_through_the_page(client, group, merchants, cases):
    first = members(group)[0]
    client.force_login(merchants[0])
    base = f"/groups/{group.pk}/members/{first.pk}"
    client.post(f"{base}/consent/", {"consent": "filing", "agree": "1"})
    client.post(f"{base}/stand/", {"willing": "1"})
    client.post(f"{base}/choose/", {"candidate": str(first.pk), "chosen": "1"})
    second = members(group)[1]
    client.force_login(merchants[1])
    # Nobody acts for another member.
    assert client.post(f"{base}/consent/", {"consent": "name", "agree": "1"}).status_code == 404
    client.post(f"/groups/{group.pk}/members/{second.pk}/choose/", {"candidate": str(first.pk), "chosen": "1"})
    group.forget()
    assert [member.number for member in group.representatives] == [1]
    html = client.get(f"/groups/{group.pk}/").content.decode()
    assert "代表人" in html and "同意联名提交" in html
    assert re.search(r"<time[^>]*>2026-12-03 18:00</time>", html)  # 10:00 UTC shown in China time
    response = client.post(f"/groups/{group.pk}/members/{second.pk}/leave/")
    assert response["Location"] == f"/cases/{cases[1].pk}/"
    assert len(members(group)) == 2


def test_a_volunteer_appoints_representatives_and_a_member_cannot(client, group, merchants):
    for member, owner in zip(members(group), merchants, strict=True):
        member.set_filing_consent(True, owner)
    first, second, third = members(group)
    client.force_login(merchants[0])
    assert client.post(f"/groups/{group.pk}/appoint/", {"members": [str(first.pk)]}).status_code == 404
    client.post(f"/groups/{group.pk}/help/")
    helper = volunteer()
    client.force_login(helper)
    assert f"/groups/{group.pk}/" in client.get("/groups/help/").content.decode()  # the group asks for help
    client.post(f"/groups/{group.pk}/appoint/", {"members": [str(first.pk), str(second.pk), str(third.pk)]})
    group.forget()
    assert group.representatives == []  # three is too many: nothing changed
    client.post(f"/groups/{group.pk}/appoint/", {"members": [str(second.pk), str(third.pk)]})
    group.forget()
    assert [member.number for member in group.representatives] == [2, 3]
    assert f"/groups/{group.pk}/" not in client.get("/groups/help/").content.decode()  # answered


def test_only_a_representative_previews_and_issues_and_others_get_the_members_copy(client, group, merchants):
    first, second, third = members(group)
    for member, owner in zip((first, second, third), merchants, strict=True):
        member.set_filing_consent(True, owner)
    first.set_name_consent(True, merchants[0])
    group.appoint([first], volunteer())
    client.force_login(merchants[1])
    assert client.get(f"/groups/{group.pk}/filings/pboc/preview/").status_code == 404
    assert client.post(f"/groups/{group.pk}/filings/pboc/issue/").status_code == 404
    client.force_login(merchants[0])
    html = client.get(f"/groups/{group.pk}/filings/pboc/preview/").content.decode()
    assert NAMES[1] in html and NAMES[2] in html  # the filed copy names every consenting member
    assert client.get(f"/groups/{group.pk}/filings/nobody/preview/").status_code == 404
    client.post(f"/groups/{group.pk}/filings/pboc/issue/", {"language": "zh-hans"})
    filing = group.filings.get()
    assert filing.member_numbers == [1, 2, 3]
    assert NAMES[1] in filing.html and NAMES[1] not in filing.shared_html and NAMES[0] in filing.shared_html
    client.force_login(merchants[2])
    html = client.get(f"/groups/{group.pk}/").content.decode()
    assert f"/groups/{group.pk}/filings/{filing.pk}/" in html and "成员件" in html
