"""Per-account limits (red-team F7): open cases, wizard drafts, evidence over all of an account's cases."""

import io
import json

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Case, Event, Evidence, WizardState
from tests.factories import merchant, open_case
from tests.wizard_steps import INTAKE

pytestmark = pytest.mark.django_db


def notes(response):
    return list(response.wsgi_request._messages)


# ----- open cases ----------------------------------------------------------------------------------------


def test_an_account_has_at_most_so_many_open_cases(owner_client, owner, settings):
    """Red-team F7: one account could open cases without end."""
    settings.MAX_OPEN_CASES_PER_ACCOUNT = 2
    for _ in range(2):
        assert owner_client.post("/cases/new/")["Location"].endswith("/ladder/intake/")
    response = owner_client.post("/cases/new/")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    [note] = notes(response)
    assert note.level == messages.ERROR and "2" in str(note)
    assert Case.objects.filter(owner=owner).count() == 2

    # A closed case leaves room for a new one; reopening it then waits for room again.
    first = Case.objects.filter(owner=owner).earliest("created_at")
    first.withdraw("代理已退款", owner)
    assert owner_client.post("/cases/new/")["Location"].endswith("/ladder/intake/")
    response = owner_client.post(f"/cases/{first.pk}/reopen/")
    first.refresh_from_db()
    assert first.status == Case.Status.WITHDRAWN
    assert not first.events.filter(kind=Event.Kind.REOPENED).exists()
    assert notes(response)[-1].level == messages.ERROR


def test_the_open_case_limit_can_be_turned_off(owner, settings):
    settings.MAX_OPEN_CASES_PER_ACCOUNT = 0
    for _ in range(3):
        Case.open(owner)
    assert Case.objects.filter(owner=owner).count() == 3


# ----- wizard drafts -------------------------------------------------------------------------------------


def stored_draft(case):
    return WizardState.objects.get(case=case).data


def drafts(case):
    return stored_draft(case)["step_data"]


def test_a_draft_keeps_only_the_form_s_own_fields(wizard, ladder):
    """Red-team F7: a draft held about 2.4 MB of whatever was posted."""
    response = wizard.post("intake", {**INTAKE, "amount": "-1"}, junk="x" * 2_000_000)
    assert response.status_code == 200
    data = stored_draft(wizard.case)
    draft = data["step_data"]["intake"]
    assert "junk" not in draft and draft["intake-amount"] == ["-1"]
    assert len(json.dumps(data)) < 10_000


def test_a_draft_past_the_limit_is_not_kept_and_the_earlier_one_stays(wizard, ladder, settings):
    settings.MAX_DRAFT_BYTES = 64 * 1024
    wizard.post("intake", {**INTAKE, "amount": "-1", "promise_details": "第一稿"})
    before = drafts(wizard.case)
    response = wizard.post("intake", {**INTAKE, "amount": "-1", "promise_details": "押" * 20_000})
    assert response.status_code == 200
    assert "押押押押押押押押押押" in response.content.decode()  # what was typed is still on the page
    assert notes(response)[-1].level == messages.ERROR
    assert drafts(wizard.case) == before

    # "Back" with too much typed: the same, and the case itself is untouched.
    response = wizard.post("policy", {"target_met": "y" * 100_000}, wizard_goto_step="intake")
    assert response.status_code == 302
    assert drafts(wizard.case) == before
    assert wizard.case.events.count() == 1  # only "opened": nothing was saved on the case


def test_a_long_draft_on_a_step_field_is_refused(wizard, ladder, settings):
    settings.MAX_DRAFT_BYTES = 1024
    response = wizard.post("customer_service", {"started_on": "", "method": "phone", "notes": "说" * 500})
    assert response.status_code == 200
    assert "customer_service" not in stored_draft(wizard.case)["step_data"]
    assert notes(response)[-1].level == messages.ERROR
    wizard.post("customer_service", {"started_on": "", "method": "phone", "notes": "短"})
    assert "customer_service" in stored_draft(wizard.case)["step_data"]


# ----- evidence per account ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


def photo(width):
    buffer = io.BytesIO()
    Image.new("RGB", (width, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_evidence_is_limited_over_all_of_an_account_s_cases(owner_client, owner, settings, private_media):
    """Red-team F7: the evidence limit was per case, so one account stored 518 MB over many cases."""
    first, second, third = (photo(width) for width in (40, 41, 42))
    settings.MAX_EVIDENCE_BYTES_PER_ACCOUNT = len(first) + len(second)
    cases = [open_case(owner) for _ in range(3)]
    for case, content in zip(cases[:2], (first, second), strict=True):
        owner_client.post(f"/cases/{case.pk}/evidence/", {"file": SimpleUploadedFile("a.png", content), "title": "t"})
    response = owner_client.post(
        f"/cases/{cases[2].pk}/evidence/", {"file": SimpleUploadedFile("c.png", third), "title": "t"}
    )
    assert response.status_code == 302
    assert notes(response)[-1].level == messages.ERROR
    assert Evidence.objects.count() == 2 and not cases[2].evidence.exists()
    assert len([path for path in private_media.rglob("*") if path.is_file()]) == 2

    # Another account is not held back by this one.
    other = open_case(merchant("other@example.com"))
    owner_client.force_login(other.owner)
    owner_client.post(f"/cases/{other.pk}/evidence/", {"file": SimpleUploadedFile("d.png", third), "title": "t"})
    assert other.evidence.count() == 1
