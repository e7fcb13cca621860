from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cases.models import Event
from escalation.models import Channel
from lib import chinatime
from lib.personal import mask_address, mask_html, mask_id_number, mask_mobile
from reminders.models import Notification

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL: django-stubs' plugin resolves this alias to it.
    from django.contrib.auth.models import _User as User

    from cases.models import Case
    from documents.letters import Letter
    from documents.letters.signing import Signer


def document_path(instance: Document, filename: str) -> str:
    return f"documents/{instance.case_id}/{instance.id}.pdf"


class Document(models.Model):
    """An issued letter or filing: its frozen HTML, its PDF and their hash. Never changed after issue."""

    class Kind(models.TextChoices):
        REFUND_APPLICATION = "refund_application", _("Refund application")
        COMPLAINT_FINANCIAL = "complaint_financial", _("Complaint to a financial regulator")
        COMPLAINT_MARKET = "complaint_market", _("Complaint to a market regulator or consumer association")
        COMPLAINT_ASSOCIATION = "complaint_association", _("Report to the payment industry association")
        CIVIL_COMPLAINT = "civil_complaint", _("Civil complaint and evidence list")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Simplified Chinese")
        EN = "en", _("English")
        # The Chinese text, which is the one that counts, with an English translation (documents/letters/bilingual.py).
        BILINGUAL = "zh+en", _("Chinese with English translation")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("addressed to")
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    version = models.PositiveIntegerField(_("version"))
    html = models.TextField(_("frozen HTML"))
    pdf = models.FileField(_("PDF"), upload_to=document_path, max_length=200)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    template_version = models.CharField(_("template version"), max_length=20)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    review = models.ForeignKey(
        "documents.LetterReview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("volunteer review"),
    )
    # The organisation whose certificate signed the PDF (documents/letters/signing.py); empty: unsigned.
    signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_certificate = models.CharField(_("SHA-256 of the signing certificate"), max_length=64, blank=True)

    class Meta:
        db_table = "disputes_document"
        ordering = ["kind", "channel_id", "language", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "channel", "language", "version"], name="unique_document_version"
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "language", "version"],
                condition=models.Q(channel__isnull=True),
                name="unique_unaddressed_document_version",
            ),
        ]

    # Set by ``issue``: False when the latest version was returned instead of a new one.
    created: bool

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def is_signed(self) -> bool:
        return bool(self.signer_certificate)

    @property
    def filename(self) -> str:
        channel = f"-{self.channel.code}" if self.channel is not None else ""
        return f"{self.kind}{channel}-v{self.version}.{self.language}.pdf"

    @classmethod
    def issue(
        cls,
        case: Case,
        kind: str,
        language: str,
        html: str,
        pdf: bytes,
        template_version: str,
        actor: User | None,
        channel: Channel | None = None,
        review: LetterReview | None = None,
        signer: Signer | None = None,
    ) -> Document:
        """Freeze a rendered letter as the next version of its kind (earlier versions stay).

        The same letter again, unchanged (a double click, a second tab) and signed by the same
        certificate or unsigned as before, is not a new version: the latest one is returned as it
        is. ``created`` on the result says which. ``signer`` is who signed ``pdf``, if anyone.
        """
        approved = review if review and review.is_approved else None
        certificate = signer.fingerprint if signer else ""
        with transaction.atomic():
            type(case).objects.select_for_update().filter(pk=case.pk).first()  # one issue at a time per case
            previous = cls.objects.filter(case=case, kind=kind, channel=channel, language=language)
            latest = previous.order_by("-version").first()
            if (
                latest is not None
                and latest.html == html
                and latest.review_id == (approved.pk if approved else None)
                and latest.signer_certificate == certificate
            ):
                latest.created = False
                return latest
            version = (latest.version if latest else 0) + 1
            document = cls(
                case=case,
                kind=kind,
                channel=channel,
                language=language,
                version=version,
                html=html,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                template_version=template_version,
                issued_by=actor,
                review=approved,
                signed_by=signer.name[:200] if signer else "",
                signer_certificate=certificate,
            )
            document.created = True
            document.pdf.save(f"{document.id}.pdf", ContentFile(pdf), save=False)
            try:
                document.save()
                case.record(
                    Event.Kind.DOCUMENT_ISSUED,
                    actor,
                    document=str(document.pk),
                    document_kind=kind,
                    channel=channel.code if channel else "",
                    language=language,
                    version=version,
                    sha256=document.sha256,
                    **(signer.event_data() if signer else {}),
                )
            except Exception:
                document.pdf.delete(save=False)
                raise
        return document


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
        "cases.Case", on_delete=models.CASCADE, related_name="letter_reviews", verbose_name=_("case")
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
        db_table = "disputes_letterreview"
        ordering = ["-requested_at"]
        verbose_name = _("letter review")
        verbose_name_plural = _("letter reviews")

    def __str__(self) -> str:
        return f"{self.kind} · {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def needs_changes(self) -> bool:
        return self.status == self.Status.CHANGES

    @staticmethod
    def hash_of(html: str) -> str:
        return hashlib.sha256(html.encode()).hexdigest()

    @classmethod
    def submit(
        cls,
        case: Case,
        letter: Letter,
        language: str,
        html: str,
        content_hash: str,
        actor: User | None,
        shares_personal_data: bool = False,
    ) -> LetterReview:
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

    def volunteer_html(self) -> str:
        """The letter as a volunteer may read it (reviews stored before masking are masked here)."""
        if self.shares_personal_data:
            return self.html
        return mask_html(self.html, merchant_details(self.case))

    def decide(self, reviewer: User, approve: bool, note: str = "") -> None:
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


def merchant_details(case: Case) -> list[tuple[str, str]]:
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
