"""Pages cost a fixed number of queries, however much a case or the queue holds (bench/ measures the time)."""

import datetime as dt

import pytest
from django.db import connection

from cases.models import Case, china_today
from escalation.models import Channel, Rung
from tests.factories import merchant, open_case, volunteer
from tests.wizard_steps import CHECKLIST, INTAKE

TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


class Statements:
    """The SQL statements a block runs (transaction control aside, which PostgreSQL sends implicitly)."""

    def __init__(self):
        self.sql = []

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.sql.append(sql)
        return execute(sql, params, many, context)

    def __enter__(self):
        self.wrapper = connection.execute_wrapper(self)
        self.wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)

    def __len__(self):
        return len(self.sql)


def contact(wizard, day="2026-11-10", outcome="pending"):
    fields = {"started_on": day, "method": "phone", "reference": "T-1", "outcome": outcome}
    response = wizard.post("customer_service", fields)
    assert response.status_code == 302
    return response


def get_statements(client, url):
    client.get(url)  # warm: the ladder content and the header flags are cached after the first page
    with Statements() as statements:
        assert client.get(url).status_code == 200
    return statements


@pytest.fixture
def walked(wizard, provider):
    wizard.post("intake", {**INTAKE, "provider": provider.pk})
    wizard.post("policy", CHECKLIST)
    return wizard


def test_a_wizard_step_page_costs_at_most_8_queries_however_many_steps(walked):
    url = walked.url("customer_service")
    contact(walked)
    few = get_statements(walked.client, url)
    for day in range(11, 21):
        contact(walked, f"2026-11-{day}")
    many = get_statements(walked.client, url)
    assert len(few) <= 8, few.sql
    assert len(many) == len(few), many.sql


@pytest.mark.django_db(transaction=True)
def test_saving_a_wizard_step_costs_at_most_8_queries(client, ladder):
    from tests.wizard_steps import Wizard

    owner = merchant("owner@example.com")
    client.force_login(owner)
    wizard = Wizard(client, open_case(owner))
    wizard.post("policy", CHECKLIST)
    hidden = wizard.hidden("customer_service")
    for day, outcome in [("2026-11-10", "pending"), ("2026-11-12", "pending"), ("2026-11-13", "refused")]:
        payload = {
            **hidden,
            **{
                f"customer_service-{k}": v
                for k, v in {"started_on": day, "method": "phone", "outcome": outcome}.items()
            },
        }
        with Statements() as statements:
            response = client.post(wizard.url("customer_service"), payload)
        assert response.status_code == 302
        assert len(statements) <= 8, statements.sql
        hidden = wizard.hidden("customer_service")
    # The written application moves the case up, silences the call's reminders and restarts the limitation period.
    hidden = wizard.hidden("application")
    payload = {**hidden, "application-started_on": "2026-11-14", "application-method": "email"}
    with Statements() as statements:
        assert client.post(wizard.url("application"), payload).status_code == 302
    assert len(statements) <= 8, statements.sql
    case = Case.objects.get(pk=wizard.case.pk)
    assert case.rung.position == 3 and case.limitation_on is not None


def test_the_case_page_costs_the_same_with_more_evidence_and_events(client, ladder):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.models import Evidence

    owner = merchant("owner@example.com")
    case = open_case(owner)
    case.log_step(
        rung=Rung.objects.get(position=2),
        channel=Channel.objects.get(code="provider-service"),
        actor=owner,
        started_on=china_today() - dt.timedelta(days=3),
    )
    client.force_login(owner)
    url = f"/cases/{case.pk}/ladder/customer_service/"
    # With one exhibit, the facts read from the evidence cost one query more (prefetched), then no more.
    Evidence.add(case, SimpleUploadedFile("first.txt", b"first"), "text/plain", owner, title="first")
    before = get_statements(client, url)
    for number in range(6):
        Evidence.add(case, SimpleUploadedFile(f"{number}.txt", b"x"), "text/plain", owner, title=str(number))
    assert len(get_statements(client, url)) == len(before)


def test_the_review_queue_costs_the_same_with_3_or_60_cases_and_pages_by_50(client, ladder, settings):
    settings.MAX_OPEN_CASES_PER_ACCOUNT = 0  # one owner with 60 open cases, for the count
    helper = volunteer()
    client.force_login(helper)
    owner = merchant("owner@example.com")

    def queue(count):
        for _number in range(count):
            open_case(owner).enqueue("help_requested", owner)

    queue(3)
    few = get_statements(client, "/review/")
    queue(57)
    many = get_statements(client, "/review/")
    assert len(many) == len(few), many.sql
    first = client.get("/review/").content.decode()
    assert first.count('class="case-card') == 50 and "page=2" in first
    second = client.get("/review/", {"page": "2"}).content.decode()
    assert second.count('class="case-card') == 10 and "page=1" in second and "page=3" not in second
    assert client.get("/review/", {"page": "abc"}).status_code == 200  # nonsense is the first page


def test_a_case_without_evidence_or_messages_reads_neither(walked, owner):
    """The case's own query says whether it has evidence and messages for the merchant; most have neither."""
    from review.models import Comment

    url = walked.url("customer_service")
    contact(walked)
    bare = get_statements(walked.client, url)
    lists = ('SELECT "disputes_evidence"."id"', 'SELECT "disputes_comment"."id"')
    assert not [sql for sql in bare.sql if sql.startswith(lists)], bare.sql
    Comment.post(walked.case, volunteer(), "请补充合同照片", Comment.Visibility.MERCHANT)
    page = walked.client.get(url).content.decode()
    assert "请补充合同照片" in page
    assert len(get_statements(walked.client, url)) == len(bare) + 1
