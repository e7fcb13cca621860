"""Another merchant gets 404 on every case URL; anonymous visitors are sent to log in."""

import uuid

import pytest
from django.http import Http404
from django.urls import get_resolver, reverse

from cases.models import Evidence
from tests.factories import merchant, open_case, volunteer

pytestmark = pytest.mark.django_db


# The apps whose pages a merchant uses; the volunteers' pages (review:) are checked in test_review.
MERCHANT_NAMESPACES = ["cases", "wizard", "documents", "reminders", "accounts", "checker"]


def case_url_patterns():
    """Every merchant URL pattern that takes a case id, as (namespace, pattern); introspected, so new views count."""
    resolver = get_resolver()
    for namespace in MERCHANT_NAMESPACES:
        for pattern in resolver.namespace_dict[namespace][1].url_patterns:
            if "<uuid:case>" in str(pattern.pattern):
                yield namespace, pattern


@pytest.fixture
def setting(ladder, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    owner = merchant("owner@example.com")
    case = open_case(owner)
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence = Evidence.add(case, SimpleUploadedFile("a.txt", b"hello"), "text/plain", owner, title="t")
    step = case.log_step(rung=case.rung, actor=owner, started_on=case.activation_date)
    from documents import letters

    document = letters.issue(case, letters.find_letter(case, "refund_application"), "zh-hans", owner)
    return case, evidence, step, document


def urls_for(case, evidence, step, document):
    for namespace, pattern in case_url_patterns():
        route = str(pattern.pattern)
        kwargs = {"case": case.pk}
        if "<uuid:evidence>" in route:
            kwargs["evidence"] = evidence.pk
        if "<uuid:step>" in route:
            kwargs["step"] = step.pk
        if "<str:step>" in route:
            kwargs["step"] = "intake"
        if "<uuid:document>" in route:
            kwargs["document"] = document.pk
        if "<uuid:charge>" in route:
            kwargs["charge"] = case.first_charge().pk
        if "<slug:kind>" in route:
            kwargs["kind"] = "complaint_financial" if "<slug:channel>" in route else "refund_application"
        if "<slug:channel>" in route:
            kwargs["channel"] = "pboc-branch"
        yield pattern.name, reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)


def test_there_are_case_urls_to_check(setting):
    names = [name for name, _url in urls_for(*setting)]
    assert {"case", "ladder_step", "evidence", "timeline", "answer", "evidence_upload", "document"} <= set(names)
    assert {"letter_preview", "letter_issue"} <= set(names)
    assert "save" in names  # a checked message saved to a case (checker:save)


def test_another_merchant_gets_404_everywhere(client, setting):
    client.force_login(merchant("stranger@example.com"))
    for name, url in urls_for(*setting):
        # POST-only views answer GET with 405 whatever the id: that says nothing about the case.
        assert client.get(url).status_code in {404, 405}, name
        assert client.post(url).status_code == 404, name
    case = setting[0]
    case.refresh_from_db()
    assert case.events.count() == 5  # nothing was added by the stranger's posts
    assert case.documents.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, setting):
    for name, url in urls_for(*setting):
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name


def test_unknown_case_ids_are_404(client, setting):
    client.force_login(setting[0].owner)
    assert client.get(f"/cases/{uuid.uuid4()}/").status_code == 404
    assert client.get("/cases/1/").status_code == 404


def test_the_owner_gets_through(client, setting):
    case, evidence, step, document = setting
    client.force_login(case.owner)
    assert client.get(f"/cases/{case.pk}/documents/{document.pk}/").status_code == 200
    assert client.get(f"/cases/{case.pk}/timeline/").status_code == 200
    assert client.get(f"/cases/{case.pk}/evidence/{evidence.pk}/").status_code == 200
    assert client.get(f"/cases/{case.pk}/")["Location"].startswith(f"/cases/{case.pk}/ladder/")


def test_case_list_shows_only_my_cases(client, setting):
    case = setting[0]
    other = open_case(merchant("other@example.com"), provider_other="另一家支付公司", provider=None)
    client.force_login(case.owner)
    page = client.get("/cases/").content.decode()
    assert str(case.pk) in page
    assert str(other.pk) not in page


def test_a_volunteer_gets_404_on_the_files_of_a_closed_case_still_marked_as_queued(client, setting):
    """Closing a case takes it out of the queue; one closed while its queue mark stayed (data written before
    that rule, or by a path that forgot it) is still closed: its volunteer sees none of its files."""
    from lib import chinatime

    case, evidence, _step, document = setting
    helper = volunteer()
    files = [
        f"/cases/{case.pk}/evidence/{evidence.pk}/",
        f"/cases/{case.pk}/evidence/list/",
        f"/cases/{case.pk}/documents/{document.pk}/",
    ]
    case.enqueue("help_requested", case.owner)
    client.force_login(helper)
    assert [client.get(url).status_code for url in files] == [200, 200, 200]  # open and queued: theirs to help

    case.withdraw("算了", case.owner)
    for assigned in (None, helper):  # in the queue for anyone, and taken by this volunteer
        type(case).objects.filter(pk=case.pk).update(queued_at=chinatime.now(), assigned_to=assigned)
        assert [client.get(url).status_code for url in files] == [404, 404, 404], assigned
    client.force_login(case.owner)
    assert [client.get(url).status_code for url in files] == [200, 200, 200]  # the owner keeps their files


def test_who_sees_which_case_one_rule_for_lists_lookups_and_cases_already_read(ladder):
    """visible_cases (lists and lookups), may_see (a case already read) and the volunteers' queue agree, for every
    kind of user and every state a case can be in."""
    from django.contrib.auth.models import AnonymousUser

    from cases.access import get_case_for, may_see, queue_cases, visible_cases
    from cases.models import Case
    from tests.factories import admin_user

    owner, helper, other_helper = merchant("owner@example.com"), volunteer(), volunteer("other@example.com")
    helper_as_merchant = open_case(helper)  # a volunteer may have a case of their own
    quiet = open_case(owner)
    queued = open_case(owner)
    queued.enqueue(Case.QueueReason.HELP_REQUESTED, owner)
    mine = open_case(owner)
    mine.enqueue(Case.QueueReason.HELP_REQUESTED, owner)
    mine.take(helper)
    theirs = open_case(owner)
    theirs.enqueue(Case.QueueReason.HELP_REQUESTED, owner)
    theirs.take(other_helper)
    closed = open_case(owner)
    closed.enqueue(Case.QueueReason.HELP_REQUESTED, owner)
    closed.withdraw("算了", owner)
    Case.objects.filter(pk=closed.pk).update(queued_at=queued.queued_at)  # closed, still marked as queued
    cases = {"own": helper_as_merchant, "quiet": quiet, "queued": queued, "mine": mine, "theirs": theirs}
    cases["closed"] = closed

    expected = {
        "owner": {"quiet", "queued", "mine", "theirs", "closed"},
        "helper": {"own", "queued", "mine"},
        "other_helper": {"queued", "theirs"},
        "admin": set(cases),
        "anonymous": set(),
        "stranger": set(),
    }
    users = {
        "owner": owner,
        "helper": helper,
        "other_helper": other_helper,
        "admin": admin_user(),
        "anonymous": AnonymousUser(),
        "stranger": merchant("stranger@example.com"),
    }
    queue = {"helper": {"queued", "mine"}, "other_helper": {"queued", "theirs"}, "admin": {"queued", "mine", "theirs"}}
    for role, user in users.items():
        visible = set(visible_cases(user).values_list("pk", flat=True))
        assert {name for name, case in cases.items() if case.pk in visible} == expected[role], role
        for name, case in cases.items():
            read = Case.objects.get(pk=case.pk)
            assert may_see(user, read) is (name in expected[role]), (role, name)
            if name in expected[role]:
                assert get_case_for(user, case.pk).pk == case.pk
            else:
                with pytest.raises(Http404):
                    get_case_for(user, case.pk)
        in_queue = set(queue_cases(user).values_list("pk", flat=True))
        assert {name for name, case in cases.items() if case.pk in in_queue} == queue.get(role, set()), role
    with pytest.raises(Http404):
        get_case_for(helper, queued.pk, owner_only=True)  # seen, but not theirs to act on
    assert get_case_for(helper, helper_as_merchant.pk, owner_only=True) == helper_as_merchant
