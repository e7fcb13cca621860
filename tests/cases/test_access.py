"""Another merchant gets 404 on every case URL; anonymous visitors are sent to log in."""

import uuid

import pytest
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
