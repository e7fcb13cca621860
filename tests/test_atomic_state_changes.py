"""State changes that write several rows are one transaction: a database error in the middle leaves nothing."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection

from cases.models import Case, Event
from documents import letters
from documents.models import LetterReview
from tests.factories import merchant, open_case, volunteer
from tests.test_case_file import document, png, zipped

pytestmark = pytest.mark.django_db


@contextmanager
def event_write_fails(kind):
    """The database refuses to write one kind of timeline event: a failure late in a state change."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('INSERT INTO "DISPUTES_EVENT"') and kind in (params or ()):
            raise DatabaseError("could not write to the database")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


def test_a_failed_review_request_leaves_no_review_no_event_and_no_queue_entry(ladder, frozen):
    owner = merchant("owner@example.com")
    case = open_case(owner)
    letter = letters.find_letter(case, "refund_application")
    events = case.events.count()

    with event_write_fails(Event.Kind.QUEUED), pytest.raises(DatabaseError):
        letters.submit_for_review(case, letter, "zh-hans", owner)

    assert not LetterReview.objects.exists()
    assert case.events.count() == events
    assert Case.objects.get(pk=case.pk).queued_at is None
    # The database is back: the same request goes through whole.
    letters.submit_for_review(Case.objects.get(pk=case.pk), letter, "zh-hans", owner)
    assert LetterReview.objects.count() == 1 and Case.objects.get(pk=case.pk).queue_reason == "letter_review"


def test_an_import_that_fails_while_assigning_leaves_no_case(client, ladder, media, frozen):
    helper = volunteer()
    client.force_login(helper)
    upload = zipped(document(), {"chat-1.png": png()})

    with event_write_fails(Event.Kind.ASSIGNED), pytest.raises(DatabaseError):
        client.post("/review/import/", {"file": upload})

    assert not Case.objects.exists()  # not an imported case outside every volunteer's list
    response = client.post("/review/import/", {"file": zipped(document(), {"chat-1.png": png()})})
    assert response.status_code == 302
    assert Case.objects.get().assigned_to == helper
