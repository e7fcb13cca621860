from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One line of a case's timeline: what happened, when, and who did it."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        INTAKE_SAVED = "intake_saved", _("Case details saved")
        POLICY_READ = "policy_read", _("Policy read")
        RUNG_ENTERED = "rung_entered", _("Moved up the ladder")
        RUNG_ENTERED_EARLY = "rung_entered_early", _("Moved up early")
        STEP_LOGGED = "step_logged", _("Action recorded")
        ANSWER_RECORDED = "answer_recorded", _("Answer recorded")
        EVIDENCE_ADDED = "evidence_added", _("Evidence added")
        EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
        EVIDENCE_READ = "evidence_read", _("Text read from evidence")
        EVIDENCE_NOT_READ = "evidence_not_read", _("Evidence could not be read")
        EVIDENCE_DESCRIBED = "evidence_described", _("Evidence described")
        FACTS_OFFERED = "facts_offered", _("Facts found in evidence")
        FACT_CONFIRMED = "fact_confirmed", _("Fact from evidence confirmed")
        FACT_DISMISSED = "fact_dismissed", _("Fact from evidence set aside")
        RESOLVED = "resolved", _("Money recovered")
        WITHDRAWN = "withdrawn", _("Case withdrawn")
        REOPENED = "reopened", _("Case reopened")
        DOCUMENT_ISSUED = "document_issued", _("Document issued")
        REMINDER_SENT = "reminder_sent", _("Reminder sent")
        SNOOZED = "snoozed", _("Reminders snoozed")
        QUEUED = "queued", _("Added to the volunteers' queue")
        ASSIGNED = "assigned", _("A volunteer took the case")
        RELEASED = "released", _("The volunteer released the case")
        OPENED_BY_VOLUNTEER = "opened_by_volunteer", _("Opened by a volunteer")
        COMMENTED = "commented", _("Comment")
        REVIEW_REQUESTED = "review_requested", _("Letter submitted for review")
        REVIEW_DECIDED = "review_decided", _("Letter reviewed")
        DELIVERY_RECORDED = "delivery_recorded", _("Delivery recorded")
        DEADLINE_RECOMPUTED = "deadline_recomputed", _("Deadline recomputed")
        PARTY_SAVED = "party_saved", _("Party details saved")
        DETAILS_SAVED = "details_saved", _("Case details for the letters saved")
        CHARGE_SAVED = "charge_saved", _("Sum taken saved")
        CHARGE_REMOVED = "charge_removed", _("Sum taken removed")
        IMPORTED = "imported", _("Case imported from a case file")
        TRADES_SAVED = "trades_saved", _("Overcharged trades saved")
        OVERCHARGE_CONFIRMED = "overcharge_confirmed", _("Overcharge confirmed")
        DECEPTION_SAVED = "deception_saved", _("How the seller presented themselves saved")
        REFUND_RECORDED = "refund_recorded", _("Refund recorded")
        GROUP_JOINED = "group_joined", _("Joined a group complaint")
        GROUP_LEFT = "group_left", _("Left a group complaint")
        GROUP_CONSENT = "group_consent", _("Group complaint consent changed")
        GROUP_REPRESENTATIVE = "group_representative", _("Group complaint representative changed")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        db_table = "disputes_event"
        ordering = ["created_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.get_kind_display()
