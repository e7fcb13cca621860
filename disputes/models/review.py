import hashlib
import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from escalation.models import Channel
from lib import chinatime

from ..personal import mask_address, mask_html, mask_id_number, mask_mobile
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
                    user=case.owner,
                    case=case,
                    kind=Notification.Kind.COMMENT,
                    data={"text": body[:200], "comment": comment.pk},
                )
        return comment


class LetterReview(models.Model):
    """A letter the merchant asked a volunteer to check before issuing it.

    The review covers the letter as it was submitted (``content_hash``); when the
    case changes the letter afterwards, it needs a new review. ``html`` is the copy
    volunteers read: the merchant's ID number, mobile and address masked, unless
    the merchant agreed to show them (``shares_personal_data``).
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
    shares_personal_data = models.BooleanField(
        _("personal details shown to volunteers"),
        default=False,
        help_text=_("The merchant agreed that volunteers see their ID number, mobile and address in the letter."),
    )
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

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def needs_changes(self):
        return self.status == self.Status.CHANGES

    @staticmethod
    def hash_of(html):
        return hashlib.sha256(html.encode()).hexdigest()

    @classmethod
    def submit(cls, case, letter, language, html, content_hash, actor, shares_personal_data=False):
        """Ask a volunteer to check ``html`` (the letter now); the case enters the review queue.

        The merchant's consent to show their personal details is kept on the review and
        on the timeline; without it the stored copy is masked, so it never holds them.
        """
        if not shares_personal_data:
            html = mask_html(html, merchant_details(case))
        with transaction.atomic():
            review = cls.objects.create(
                case=case,
                kind=letter.kind,
                channel=letter.channel,
                language=language,
                html=html,
                content_hash=content_hash,
                requested_by=actor,
                shares_personal_data=shares_personal_data,
            )
            case.record(
                Event.Kind.REVIEW_REQUESTED,
                actor,
                review=str(review.pk),
                letter=letter.kind,
                shares_personal_data=shares_personal_data,
            )
            if case.queued_at is None:
                case.enqueue(case.QueueReason.LETTER_REVIEW, actor)
        return review

    def volunteer_html(self):
        """The letter as a volunteer may read it (reviews stored before masking are masked here)."""
        if self.shares_personal_data:
            return self.html
        return mask_html(self.html, merchant_details(self.case))

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
                kind=Notification.Kind.REVIEW,
                data={"status": self.status, "letter": self.kind, "note": note[:200]},
            )


def merchant_details(case):
    """(value, masked) of the personal details a letter prints about the merchant: ID number, mobile, address.

    From the case's merchant party and the owner's profile, whichever the letter used.
    """
    party = case.merchant
    profile = getattr(case.owner, "profile", None)
    sources = [source for source in (party, profile) if source is not None]
    addresses = [party.address] if party else []
    if profile:
        addresses.append(profile.postal_address)
    return (
        [(source.id_number, mask_id_number(source.id_number)) for source in sources]
        + [(source.mobile, mask_mobile(source.mobile)) for source in sources]
        + [(address, mask_address(address)) for address in addresses]
    )
