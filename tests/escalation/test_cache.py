"""The ladder's cached content: read once per request, a fresh copy for the next one and outside requests."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from escalation import cache
from escalation.models import Rung


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Send the request signals as the test client does: without closing the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_a_request_reads_the_cached_ladder_once_and_the_next_request_afresh(ladder, monkeypatch):
    reads = []
    original = cache.cache.get

    def counting_get(key, *args, **kwargs):
        if key == cache.KEY:
            reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache.cache, "get", counting_get)
    request_started.send(sender=None)
    try:
        first = cache.rung(2)
        assert cache.rung(2) is first and cache.rungs()[1] is first  # one copy for the whole request
        assert len(reads) == 1
    finally:
        request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        assert cache.rung(2) is not first  # the next request: a fresh copy
    finally:
        request_finished.send(sender=None)
    assert cache.rung(2) is not cache.rung(2)  # outside a request, every read is a fresh copy
    assert len(reads) == 4


@pytest.mark.django_db
def test_an_edit_during_a_request_is_seen_by_the_rest_of_it(ladder):
    request_started.send(sender=None)
    try:
        assert cache.rung(2).title_en != "Customer service, edited"
        Rung.objects.filter(position=2).update(title_en="Customer service, edited")
        Rung.objects.get(position=2).save()  # the admin saves: the cached copy is forgotten
        assert cache.rung(2).title_en == "Customer service, edited"
    finally:
        request_finished.send(sender=None)
