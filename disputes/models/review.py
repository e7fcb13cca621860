import hashlib
import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from escalation.models import Channel
from lib import chinatime

from .documents import Document
from .events import Event
from .reminders import Notification


class Comment(models.Model):
    """A volunteer's note on a case: internal, or a message the merchant is told about."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal note (volunteers only)")
        MERCHANT = "merchant", _("Message to the merchant")

    case = models.ForeignKey("disputes.Case", on_delete=models.CASCADE, related_name="comments", verbose_name=_("case"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    visibility = models.CharField(_("visible to"), max_length=16, choices=Visibility.choices)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:40]

    @classmethod
    def post(cls, case, author, body, visibility):
        """Add a comment; a message to the merchant also notifies them."""
        with transaction.atomic():
            comment = cls.objects.create(case=case, author=author, body=body, visibility=visibility)
            case.record(Event.Kind.COMMENTED, author, comment=comment.pk, visibility=visibility)
            if visibility == cls.Visibility.MERCHANT:
                Notification.objects.create(
                    user=case.owner, case=case, kind="comment", data={"text": body[:200], "comment": comment.pk}
                )
        return comment


class LetterReview(models.Model):
    """A letter the merchant asked a volunteer to check before issuing it.

    The review covers the letter as it was submitted (``html``, ``content_hash``);
    when the case changes the letter afterwards, it needs a new review.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a volunteer")
        CHANGES = "changes", _("Changes requested")
        APPROVED = "approved", _("Approved")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "disputes.Case", on_delete=models.CASCADE, related_name="letter_reviews", verbose_name=_("case")
    )
    kind = models.CharField(_("letter"), max_length=32, choices=Document.Kind.choices)
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("addressed to")
    )
    language = models.CharField(_("language"), max_length=8)
    html = models.TextField(_("letter as submitted"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("submitted by")
    )
    requested_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.TextField(_("changes requested"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("letter review")
        verbose_name_plural = _("letter reviews")

    def __str__(self):
        return f"{self.kind} · {self.get_status_display()}"

    @staticmethod
    def hash_of(html):
        return hashlib.sha256(html.encode()).hexdigest()

    def decide(self, reviewer, approve, note=""):
        """Approve the letter, or ask the merchant for changes (they are notified either way)."""
        with transaction.atomic():
            self.status = self.Status.APPROVED if approve else self.Status.CHANGES
            self.reviewer = reviewer
            self.reviewed_at = chinatime.now()
            self.note = note
            self.save(update_fields=["status", "reviewer", "reviewed_at", "note"])
            self.case.record(
                Event.Kind.REVIEW_DECIDED, reviewer, review=str(self.pk), status=self.status, letter=self.kind
            )
            Notification.objects.create(
                user=self.case.owner,
                case=self.case,
                kind="review",
                data={"status": self.status, "letter": self.kind, "note": note[:200]},
            )
