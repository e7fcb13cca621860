from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """Proof that one reminder went out: one row per (step or case, kind, sequence), never two.

    The row is written in the same transaction that claims the step, so a
    reminder is recorded exactly once; the email is delivered from it
    afterwards (``email_sent_at``), and retried by the next sweep if that failed.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Deadline soon")
        LAPSED = "lapsed", _("Deadline lapsed")
        REPEAT = "repeat", _("Still no answer")
        PROMISE = "promise", _("Promised refund date")
        LIMITATION = "limitation", _("Limitation period running out")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("case"))
    step = models.ForeignKey(
        "cases.Step",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("step"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sequence = models.PositiveIntegerField(_("sequence"))
    due_on = models.DateField(_("deadline"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    email_claimed_at = models.DateTimeField(_("email being sent since"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("email sent at"), null=True, blank=True, db_index=True)
    email_skipped = models.BooleanField(_("no email (unsubscribed or no address)"), default=False)
    sms_claimed_at = models.DateTimeField(_("text message being sent since"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("text message sent at"), null=True, blank=True)
    sms_skipped = models.BooleanField(_("no text message (opted out or no number)"), default=False)

    class Meta:
        db_table = "disputes_reminder"
        ordering = ["-created_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            # One reminder per deadline: when a deadline moves (a recorded delivery, a promise,
            # new holiday data), the reminders for the new date are new ones.
            models.UniqueConstraint(fields=["case", "step", "kind", "sequence", "due_on"], name="unique_reminder"),
            models.UniqueConstraint(
                fields=["case", "kind", "sequence", "due_on"],
                condition=models.Q(step__isnull=True),
                name="unique_case_reminder",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="reminder_email_pending",
                condition=models.Q(email_sent_at__isnull=True, email_skipped=False),
            ),
            models.Index(
                fields=["created_at"],
                name="reminder_sms_pending",
                condition=models.Q(sms_sent_at__isnull=True, sms_skipped=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.sequence}"


class Notification(models.Model):
    """An in-app notice; its text is rendered in the reader's language when shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    reminder = models.OneToOneField(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notification"
    )

    class Kind(models.TextChoices):
        """What a notice is about: a reminder (one kind per Reminder.Kind), a coming purge, a review, a comment."""

        REMINDER_DUE_SOON = "reminder_due_soon", _("Deadline soon")
        REMINDER_LAPSED = "reminder_lapsed", _("Deadline lapsed")
        REMINDER_REPEAT = "reminder_repeat", _("Still no answer")
        REMINDER_PROMISE = "reminder_promise", _("Promised refund date")
        REMINDER_LIMITATION = "reminder_limitation", _("Limitation period running out")
        PURGE_NOTICE = "purge_notice", _("Deletion of a closed case")
        REVIEW = "review", _("A volunteer's review")
        COMMENT = "comment", _("A volunteer's message")

        @classmethod
        def of_reminder(cls, kind: str) -> Notification.Kind:
            """The notice kind of a reminder of ``kind`` (a Reminder.Kind)."""
            return cls(f"reminder_{kind}")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        db_table = "disputes_notification"
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["user"], name="notification_unread", condition=models.Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.kind


class SweepRun(models.Model):
    """When the deadline sweep last ran and what it did (/healthz reports the latest)."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), db_index=True)
    due = models.PositiveIntegerField(_("due"))
    sent = models.PositiveIntegerField(_("sent"))
    skipped = models.PositiveIntegerField(_("skipped"))

    class Meta:
        db_table = "disputes_sweeprun"
        ordering = ["-finished_at"]
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} due={self.due} sent={self.sent} skipped={self.skipped}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)
