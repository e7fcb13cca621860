"""Delivering the reminder emails and text messages: claimed by the sweep, sent in chunks by the message workers.

After recording its reminders the sweep claims the messages not sent yet, one
``UPDATE … RETURNING`` per channel (``email_claimed_at`` or ``sms_claimed_at``
set to the sweep's time), and hands them to ``reminders.send_messages`` tasks on
the ``messages`` queue, ``REMINDER_MESSAGES_PER_TASK`` to a task, so that
several message workers send at once while the sweep goes on.

A task first renews its claim: only the messages still claimed with the
sweep's time are its own (one claimed again meanwhile belongs to the newer
task). It opens one SMTP connection (or one SMS provider client) for the whole
chunk, sends each message when the rate limit allows
(``REMINDER_EMAILS_PER_SECOND``, ``REMINDER_SMS_PER_SECOND``, shared by every
worker on the same Redis: lib/ratelimit.py), and marks each message sent as
soon as it went. A worker killed mid-chunk leaves the rest claimed; a send
that raises leaves its message claimed; a later sweep claims them again once
the claim is ``REMINDER_EMAIL_RETRY_SECONDS`` old. A recipient without the
channel (no address, opted out) is marked skipped.

When the broker cannot take a chunk, the sweep sends it itself: nothing waits on Redis.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext

from cases.models import Case
from escalation import cache as ladder
from escalation import rungs
from lib import chinatime, emails, sms
from lib.ratelimit import RateLimit
from reminders import claims
from reminders.models import Reminder

logger = logging.getLogger(__name__)

CHANNELS = ("email", "sms")


def columns(channel: str) -> tuple[str, str, str]:
    """(sent at, claimed at, skipped): the Reminder fields of ``channel``."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return f"{channel}_sent_at", f"{channel}_claimed_at", f"{channel}_skipped"


def rate(channel: str) -> int:
    return settings.REMINDER_EMAILS_PER_SECOND if channel == "email" else settings.REMINDER_SMS_PER_SECOND


# ----- the sweep's side: claim and hand over ----------------------------------------------------------------


def fan_out(now: datetime.datetime, limit: int) -> tuple[int, bool]:
    """Claim up to ``limit`` unsent messages per channel and hand them over in chunks.

    Returns how many were handed over, and whether a channel had ``limit`` (more may be waiting).
    """
    handed, more = 0, False
    size = max(settings.REMINDER_MESSAGES_PER_TASK, 1)
    with Broker() as broker:
        for channel in CHANNELS:
            taken = claim(channel, now, limit)
            more = more or len(taken) == limit
            handed += len(taken)
            for start in range(0, len(taken), size):
                chunk = taken[start : start + size]
                if not broker.publish(channel, chunk, now):
                    deliver(channel, chunk, now)
    return handed, more


def claim(channel: str, now: datetime.datetime, limit: int) -> list[int]:
    """Claim the oldest unsent messages of ``channel`` (never claimed, or claimed too long ago) with ``now``."""
    sent_at, claimed_at, skipped = columns(channel)
    stale = now - datetime.timedelta(seconds=settings.REMINDER_EMAIL_RETRY_SECONDS)
    pending = (
        Reminder.objects.filter(**{f"{sent_at}__isnull": True, skipped: False})
        .filter(Q(**{f"{claimed_at}__isnull": True}) | Q(**{f"{claimed_at}__lt": stale}))
        .order_by("created_at", "pk")
    )
    with transaction.atomic():
        return claims.take(pending, limit, {claimed_at: now})


# Seconds to reach the broker before the sweep sends a chunk itself.
CONNECT_SECONDS = 2


class Broker:
    """One connection to the broker for a sweep's chunks, opened at the first; it gives up at once when down.

    Celery's own producer would try to connect again and again; a sweep must not wait on Redis.
    """

    def __init__(self) -> None:
        self.connection: Any = None
        self.down = False

    def __enter__(self) -> Broker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.connection is not None:
            self.connection.release()

    def publish(self, channel: str, ids: Sequence[int], claimed: datetime.datetime) -> bool:
        """Queue one chunk for the message workers; False when the broker cannot take it."""
        if self.down:
            return False
        try:
            publish(channel, ids, claimed, self)
        except Exception:  # noqa: BLE001 - kombu and redis raise many kinds
            logger.warning("Could not queue reminder messages; this sweep sends them itself")
            self.down = True
            return False
        return True

    def open(self) -> Any:
        if self.connection is None:
            from reminders.tasks import send_messages

            app = send_messages.app
            options = {
                **(app.conf.broker_transport_options or {}),
                "max_retries": 0,
                "socket_connect_timeout": CONNECT_SECONDS,
            }
            self.connection = app.connection_for_write(connect_timeout=CONNECT_SECONDS, transport_options=options)
        return self.connection


def publish(channel: str, ids: Sequence[int], claimed: datetime.datetime, broker: Broker) -> None:
    """Queue one chunk: ``reminders.send_messages`` on the ``messages`` queue (tests deliver it in process)."""
    from reminders.tasks import send_messages

    send_messages.apply_async(args=[channel, list(ids), claimed.isoformat()], retry=False, connection=broker.open())


# ----- the message worker's side: send one chunk ------------------------------------------------------------


def deliver(channel: str, ids: Sequence[int], claimed: datetime.datetime, limit: RateLimit | None = None) -> int:
    """Send the messages of one chunk still claimed with ``claimed``; return how many went out."""
    sent_at, claimed_at, skipped = columns(channel)
    limit = limit or RateLimit(channel, rate(channel))
    pending = Reminder.objects.filter(pk__in=ids, **{claimed_at: claimed, f"{sent_at}__isnull": True})
    with transaction.atomic():
        mine = claims.take(pending.order_by("pk"), len(ids), {claimed_at: chinatime.now()})
    if not mine:
        return 0
    reminders = (
        Reminder.objects.filter(pk__in=mine)
        .select_related("step__channel", "step__rung")
        .prefetch_related(
            Prefetch(
                "case",
                queryset=Case.objects.select_related("owner__profile", "provider").annotate(
                    respondent_name=Case.respondent_name_subquery()
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    compose, handed_over = (email_for, EmailSender()) if channel == "email" else (sms_for, SmsSender())
    sent, without = 0, []
    try:
        for reminder in reminders:
            try:
                message = compose(reminder)
                if message is None:
                    without.append(reminder.pk)
                    continue
                limit.wait()
                handed_over.send(message)
            except Exception:  # noqa: BLE001 - the next sweep retries; no personal data in the log line
                logger.exception("reminder %s %s failed; will retry", channel, reminder.pk)
                if handed_over.broken:
                    break  # no connection: the rest stay claimed and go with a later sweep
                continue
            Reminder.objects.filter(pk=reminder.pk).update(**{sent_at: chinatime.now()})
            sent += 1
    finally:
        handed_over.close()
    if without:
        Reminder.objects.filter(pk__in=without).update(**{skipped: True})
    return sent


class EmailSender:
    """One connection for the chunk, opened at its first email (an SMTP server that refuses it breaks the chunk)."""

    def __init__(self) -> None:
        self.connection: Any = None
        self.broken = False

    def send(self, message: Any) -> None:
        if self.connection is None:
            connection = mail.get_connection()
            try:
                connection.open()
            except Exception:
                self.broken = True
                raise
            self.connection = connection
        self.connection.send_messages([message])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


class SmsSender:
    """One provider client for the chunk."""

    broken = False

    def __init__(self) -> None:
        self.backend: Any = None

    def send(self, message: Callable[[Any], Any]) -> None:
        if self.backend is None:
            self.backend = sms.get_backend()
        message(self.backend)

    def close(self) -> None:
        self.backend = None


def next_rung(case: Case) -> Any:
    positions = {rung.pk: rung.position for rung in ladder.rungs()}
    return ladder.rung(min(positions.get(case.rung_id, rungs.LAST) + 1, rungs.LAST))


def email_for(reminder: Reminder) -> Any:
    """The email of one reminder in the owner's language; None when they have no address or opted out."""
    case = reminder.case
    owner = case.owner
    profile = getattr(owner, "profile", None)
    if not owner.email or (profile and not profile.email_reminders):
        return None
    language = profile.language if profile else "zh-hans"
    step = reminder.step
    context = {
        "reminder": reminder,
        "case": case,
        "step": step,
        "name": profile.full_name if profile else owner.get_full_name(),
        "next_rung": next_rung(case),
        "case_url": emails.absolute(f"/cases/{case.pk}/"),
        "snooze_url": emails.snooze_url(step) if step else "",
        "unsubscribe_url": emails.unsubscribe_url(owner),
        "provisional": bool(step and step.due_provisional),
    }
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return emails.build(f"reminder_{reminder.kind}", owner.email, context, language, headers=headers)


def sms_for(reminder: Reminder) -> Callable[[Any], Any] | None:
    """The text of one reminder to the owner's mobile in their language; None when they have none or opted out.

    A text is short and true for every kind of reminder: the date to watch and the
    case's link; the email and the in-app notice say what the date means.
    """
    case = reminder.case
    profile = getattr(case.owner, "profile", None)
    if profile is None or not profile.sms_reminders or not profile.mobile or not sms.available():
        return None  # skipped, not retried: a site without SMS settings sends none
    with translation.override(profile.language):
        provider = case.provider_name or gettext("the other side")
    params = {"provider": provider, "date": reminder.due_on.isoformat(), "url": emails.absolute(f"/cases/{case.pk}/")}

    def send(backend: Any) -> Any:
        return sms.send(profile.mobile, "reminder", params, language=profile.language, backend=backend)

    return send
