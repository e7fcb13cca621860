"""The ladder's content, read on every page and changed only when an admin edits it: cached.

Rungs, deadline rules, channels and the admin's holiday overrides are kept in
Django's cache (per process, local memory, unless CACHES says otherwise) for
``LADDER_CACHE_SECONDS``. Saving or deleting any of them through the ORM (the
admin, ``load_ladder``) forgets the cached copy in that process at once; other
processes pick the change up within the timeout.

A request reads the cached copy once (the cache pickles: a page asks for the
ladder a dozen times, and unpickling it each time cost a few milliseconds a
page) and keeps it until it ends; the next request reads a fresh copy, so no
change made to an object by accident outlives its request. Outside a request
(a Celery task, a command) each read returns a fresh copy.
"""

import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save

KEY = "escalation:ladder-content:v1"


@dataclass
class Content:
    rungs: dict = field(default_factory=dict)  # position -> Rung
    rules: dict = field(default_factory=dict)  # code -> DeadlineRule
    primary_by_channel: dict = field(default_factory=dict)  # channel id -> DeadlineRule
    primary_by_rung: dict = field(default_factory=dict)  # rung id -> DeadlineRule (no channel)
    provider_channels: dict = field(default_factory=dict)  # rung id -> the provider's own Channel
    overrides: object = None  # clock.Overrides

    @classmethod
    def load(cls):
        from escalation import clock
        from escalation.models import Channel, DeadlineRule, Rung

        content = cls(overrides=clock.Overrides.load())
        content.rungs = {rung.position: rung for rung in Rung.objects.order_by("position")}
        # In the models' own order, so the first match is what ``.first()`` on a query would give.
        for rule in DeadlineRule.objects.all():
            content.rules.setdefault(rule.code, rule)
            if rule.is_primary and rule.channel_id:
                content.primary_by_channel.setdefault(rule.channel_id, rule)
            elif rule.is_primary and rule.rung_id:
                content.primary_by_rung.setdefault(rule.rung_id, rule)
        for channel in Channel.objects.filter(kind=Channel.Kind.PROVIDER):
            content.provider_channels.setdefault(channel.rung_id, channel)
        return content


# The copy the current request holds (set only between request_started and request_finished).
_request = threading.local()


def content():
    timeout = settings.LADDER_CACHE_SECONDS
    if not timeout:
        return Content.load()
    held = getattr(_request, "content", None)
    if held is not None:
        return held
    found = cache.get(KEY)
    if found is None:
        found = Content.load()
        cache.set(KEY, found, timeout)
    if getattr(_request, "active", False):
        _request.content = found
    return found


def rungs():
    """The five rungs in order."""
    return [rung for _position, rung in sorted(content().rungs.items())]


def rung(position):
    """The rung at ``position`` (1–5)."""
    return content().rungs[position]


def rule(code):
    return content().rules.get(code)


def primary_rule(rung=None, channel=None):
    """What ``DeadlineRule.primary_for`` answers, from the cache."""
    found = content()
    if channel is not None:
        rule = found.primary_by_channel.get(channel.pk)
        if rule is not None:
            return rule
        rung = rung or channel.rung
    if rung is None:
        return None
    return found.primary_by_rung.get(rung.pk)


def provider_channel(rung):
    """The provider's own channel (its customer service) at ``rung``."""
    return content().provider_channels.get(rung.pk)


def overrides():
    """The holiday and workday overrides admins entered (escalation.clock.Overrides)."""
    return content().overrides


def forget(**kwargs):
    cache.delete(KEY)
    _request.content = None


def request_begins(**kwargs):
    _request.active, _request.content = True, None


def request_ends(**kwargs):
    _request.active, _request.content = False, None


def connect():
    from escalation.models import Channel, DeadlineRule, HolidayCalendar, HolidayDate, Rung

    request_started.connect(request_begins, dispatch_uid="ladder-cache-request-started")
    request_finished.connect(request_ends, dispatch_uid="ladder-cache-request-finished")
    for model in (Rung, Channel, DeadlineRule, HolidayDate, HolidayCalendar):
        post_save.connect(forget, sender=model, dispatch_uid=f"ladder-cache-save-{model.__name__}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"ladder-cache-delete-{model.__name__}")
