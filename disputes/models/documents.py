import hashlib
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from escalation.models import Channel

from .events import Event


def document_path(instance, filename):
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

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "disputes.Case", on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
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
        "disputes.LetterReview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("volunteer review"),
    )

    class Meta:
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

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def filename(self):
        channel = f"-{self.channel.code}" if self.channel_id else ""
        return f"{self.kind}{channel}-v{self.version}.{self.language}.pdf"

    @classmethod
    def issue(cls, case, kind, language, html, pdf, template_version, actor, channel=None, review=None):
        """Freeze a rendered letter as the next version of its kind (earlier versions stay).

        The same letter again, unchanged (a double click, a second tab), is not a new
        version: the latest one is returned as it is. ``created`` on the result says which.
        """
        approved = review if review and review.is_approved else None
        with transaction.atomic():
            type(case).objects.select_for_update().filter(pk=case.pk).first()  # one issue at a time per case
            previous = cls.objects.filter(case=case, kind=kind, channel=channel, language=language)
            latest = previous.order_by("-version").first()
            if latest is not None and latest.html == html and latest.review_id == (approved.pk if approved else None):
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
                )
            except Exception:
                document.pdf.delete(save=False)
                raise
        return document
