from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cases.models.events import Event
from cases.models.steps import Step

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL: django-stubs' plugin resolves this alias to it.
    from django.contrib.auth.models import _User as User
    from django.core.files.base import File

    from cases.models.case import Case

# The extensions a file of each accepted type may keep (uploads.ACCEPTED_TYPES); any other
# extension is replaced by the first. A chat export named chat.svg or page.html is plain
# text, and must not open as a picture or a web page once downloaded.
SUFFIXES = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "image/heic": (".heic",),
    "image/heif": (".heif",),
    "application/pdf": (".pdf",),
    "text/plain": (".txt",),
}
UNKNOWN_SUFFIX = ".bin"


def safe_name(name: str, content_type: str) -> str:
    """``name`` with an extension that says what the file really is: chat.svg (plain text) becomes chat.txt."""
    path = PurePosixPath(PurePosixPath(name).name or "file")
    allowed = SUFFIXES.get(content_type, (UNKNOWN_SUFFIX,))
    if path.suffix.lower() in allowed:
        return path.name
    return f"{path.stem or 'file'}{allowed[0]}"


def sha256_of(upload: File) -> str:
    """The SHA-256 of an uploaded file, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def evidence_path(instance: Evidence, filename: str) -> str:
    """Private storage path: evidence/<case>/<random id><extension of its real type>; the name stays in the row."""
    suffix = PurePosixPath(safe_name(filename, instance.content_type)).suffix.lower()
    return f"evidence/{instance.case_id}/{instance.id}{suffix}"


class Evidence(models.Model):
    """A private file attached to a case: numbered as an exhibit (证据1, 证据2 …)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evidence", verbose_name=_("case"))
    step = models.ForeignKey(
        Step, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence", verbose_name=_("step")
    )
    exhibit_number = models.PositiveIntegerField(_("exhibit number"))
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    title = models.CharField(_("what it is"), max_length=120)
    proves = models.CharField(_("what it proves"), max_length=200, blank=True)
    source = models.CharField(_("where it came from"), max_length=120, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    extra = models.JSONField(_("other details from a case file"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        db_table = "disputes_evidence"
        ordering = ["exhibit_number"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [models.UniqueConstraint(fields=["case", "exhibit_number"], name="unique_exhibit_number")]

    # Set by ``add``: False when the case already held these bytes and that exhibit was returned.
    created: bool

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        return _("Exhibit %(number)s") % {"number": self.exhibit_number}

    @property
    def download_name(self) -> str:
        """The name the file is downloaded (and exported) under: the original, its extension made safe."""
        return safe_name(self.original_name, self.content_type)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @classmethod
    def add(
        cls,
        case: Case,
        upload: File,
        detected: str,
        actor: User | None,
        title: str,
        step: Step | None = None,
        proves: str = "",
        source: str = "",
        pages: int | None = None,
        extra: dict[str, Any] | None = None,
        once: bool = False,
    ) -> Evidence:
        """Store an already-checked upload and give it the case's next exhibit number.

        With ``once``, a file whose bytes the case already holds (a double submit, the same
        photo picked twice) is not stored again: that exhibit is returned. ``created`` on
        the result says which.
        """
        sha256 = sha256_of(upload)
        name = cast(str, upload.name)  # an upload always has a name (File's type allows None)
        with transaction.atomic():
            type(case).objects.select_for_update().filter(pk=case.pk).first()  # numbers in order, one at a time
            existing = case.evidence.filter(sha256=sha256).first() if once else None
            if existing is not None:
                existing.created = False
                return existing
            number = (case.evidence.aggregate(models.Max("exhibit_number"))["exhibit_number__max"] or 0) + 1
            evidence = cls(
                case=case,
                step=step,
                exhibit_number=number,
                original_name=PurePosixPath(name).name[:200],
                content_type=detected,
                size=upload.size,
                sha256=sha256,
                title=title,
                proves=proves,
                source=source,
                pages=pages,
                extra=extra or {},
                uploaded_by=actor,
            )
            evidence.created = True
            evidence.file.save(name, upload, save=False)
            try:
                evidence.save()
                case.record(Event.Kind.EVIDENCE_ADDED, actor, exhibit=number, title=title, sha256=evidence.sha256)
            except Exception:
                evidence.file.delete(save=False)
                raise
        return evidence

    def remove(self, actor: User | None) -> None:
        """Delete the file and its row; other exhibits keep their numbers."""
        with transaction.atomic():
            self.case.record(Event.Kind.EVIDENCE_REMOVED, actor, exhibit=self.exhibit_number, title=self.title)
            self.delete()
            transaction.on_commit(lambda: self.file.storage.delete(self.file.name))
