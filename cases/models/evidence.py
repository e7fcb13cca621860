from __future__ import annotations

import datetime
import hashlib
import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cases.models.base import now
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
# The types whose words can be read (reading/ocr.py): pictures and PDFs. A chat export is text already.
READABLE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "application/pdf"})
# The pages of a PDF's text are separated by a form feed, as pdftotext writes them.
PAGE_BREAK = "\f"
# A title suggested from the text: its first lines, up to about this many characters.
SUGGESTED_TITLE_CHARS = 40


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
    """A private file attached to a case: numbered as an exhibit (证据1, 证据2 …).

    A picture or a PDF is read for its words after it is stored (the reading app, in a Celery
    worker, never in the request): ``reading`` says how far that got, ``text`` holds what was read.
    """

    class Reading(models.TextChoices):
        NONE = "none", _("Nothing to read")  # not a picture or a PDF
        PENDING = "pending", _("Reading the text…")
        DONE = "done", _("Text read")
        FAILED = "failed", _("Could not read the text")

    class ReadingError(models.TextChoices):
        """Why a file could not be read (FAILED), or why only its first pages were (DONE): a code, never data."""

        UNREADABLE = "unreadable", _("The file is damaged, or not a picture or PDF that can be opened.")
        TOO_LARGE = "too_large", _("The picture is too large to read.")
        ENCRYPTED = "encrypted", _("The PDF is locked with a password.")
        MISSING = "missing", _("The file could not be found.")
        TOO_SLOW = "too_slow", _("Reading took too long.")
        ERROR = "error", _("Something went wrong while reading the file.")
        PAGE_LIMIT = "page_limit", _("Only the first pages were read.")
        TIME_LIMIT = "time_limit", _("Only the first pages were read in the time allowed.")

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
    title = models.CharField(_("what it is"), max_length=120, blank=True)
    proves = models.CharField(_("what it proves"), max_length=200, blank=True)
    source = models.CharField(_("where it came from"), max_length=120, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    extra = models.JSONField(_("other details from a case file"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    reading = models.CharField(_("reading"), max_length=8, choices=Reading.choices, default=Reading.NONE, db_index=True)
    text = models.TextField(_("text read from the file"), blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    reading_error = models.CharField(
        _("why it was not read in full"), max_length=16, choices=ReadingError.choices, blank=True
    )
    reading_attempts = models.PositiveSmallIntegerField(_("reading attempts"), default=0)
    # When the reading was last asked for (queued, re-queued by the sweep, or started by a worker).
    reading_queued_at = models.DateTimeField(_("reading asked for at"), null=True, blank=True)

    class Meta:
        db_table = "disputes_evidence"
        ordering = ["exhibit_number"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [models.UniqueConstraint(fields=["case", "exhibit_number"], name="unique_exhibit_number")]

    # Set by ``add``: False when the case already held these bytes and that exhibit was returned.
    created: bool

    def __str__(self) -> str:
        return f"{self.label} {self.description}"

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

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def is_readable(self) -> bool:
        """True for a picture or a PDF: its words can be read."""
        return self.content_type in READABLE_TYPES

    @property
    def is_reading(self) -> bool:
        return self.reading == self.Reading.PENDING

    @property
    def is_read(self) -> bool:
        return self.reading == self.Reading.DONE

    @property
    def reading_failed(self) -> bool:
        return self.reading == self.Reading.FAILED

    @property
    def found_text(self) -> bool:
        """True when reading found words (a photo of a wall finds none)."""
        return bool(self.text.strip())

    @property
    def read_in_part(self) -> bool:
        """True when only the first pages were read (page or time limit)."""
        return self.is_read and self.reading_error in {self.ReadingError.PAGE_LIMIT, self.ReadingError.TIME_LIMIT}

    @property
    def text_pages(self) -> list[str]:
        """The text read, page by page (a picture is one page)."""
        return self.text.split(PAGE_BREAK) if self.text else []

    @property
    def pages_read(self) -> int:
        """How many pages ``text`` covers: pages are separated by PAGE_BREAK."""
        return self.text.count(PAGE_BREAK) + 1 if self.text else 0

    @property
    def reading_error_label(self) -> str:
        return str(self.ReadingError(self.reading_error).label) if self.reading_error else ""

    @property
    def suggested_title(self) -> str:
        """The first lines of the text read, while they fit in SUGGESTED_TITLE_CHARS (the first one always)."""
        lines = [" ".join(line.split()) for line in self.text.replace(PAGE_BREAK, "\n").splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            return ""
        title = lines[0]
        for line in lines[1:]:
            if len(title) + 1 + len(line) > SUGGESTED_TITLE_CHARS:
                break
            title = f"{title} {line}"
        return title[:120]

    @property
    def description(self) -> str:
        """What the exhibit is: its title, else the first lines of its text, else the file's name."""
        return self.title or self.suggested_title or self.original_name

    @property
    def named(self) -> str:
        """What letters call the exhibit: its title, else the file's name; never words read from it,
        which are only offered to the merchant (suggested_title) until they make them its title."""
        return self.title or self.original_name

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
        text: str | None = None,
    ) -> Evidence:
        """Store an already-checked upload and give it the case's next exhibit number.

        With ``once``, a file whose bytes the case already holds (a double submit, the same
        photo picked twice) is not stored again: that exhibit is returned. ``created`` on
        the result says which.

        A picture or a PDF is then read for its words: it starts PENDING, and ``evidence_to_read``
        is sent so the reading app queues it once the transaction commits. ``text`` (from a case
        file) is taken as already read.
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
            evidence.start_reading(text)
            evidence.created = True
            evidence.file.save(name, upload, save=False)
            try:
                evidence.save()
                case.record(Event.Kind.EVIDENCE_ADDED, actor, exhibit=number, title=title, sha256=evidence.sha256)
                if evidence.is_reading:
                    from cases.signals import evidence_to_read

                    evidence_to_read.send(sender=cls, evidence=evidence)
            except Exception:
                evidence.file.delete(save=False)
                raise
        return evidence

    def start_reading(self, text: str | None) -> None:
        """The reading state of a new exhibit (unsaved): read already with ``text``, PENDING when it can be read."""
        if text is not None:
            self.text, self.reading, self.read_at = text, self.Reading.DONE, now()
        elif self.is_readable:
            self.reading, self.reading_queued_at = self.Reading.PENDING, now()
        else:
            self.reading = self.Reading.NONE

    @classmethod
    def claim_reading(cls, pk: uuid.UUID | str) -> Evidence | None:
        """A worker takes a PENDING exhibit to read: count the attempt; None when it is not PENDING (any more).

        The attempt also moves ``reading_queued_at``, so the sweep leaves it alone while it is read.
        """
        claimed = cls.objects.filter(pk=pk, reading=cls.Reading.PENDING).update(
            reading_attempts=models.F("reading_attempts") + 1, reading_queued_at=now()
        )
        return cls.objects.select_related("case").filter(pk=pk).first() if claimed else None

    def queue_again(self, asked_at: datetime.datetime | None) -> bool:
        """The sweep asks again for a PENDING exhibit last asked for at ``asked_at``: True if this caller won it.

        An UPDATE filtered on the old time, so two sweeps never queue the same exhibit twice.
        """
        moment = now()
        won = (
            type(self)
            .objects.filter(pk=self.pk, reading=self.Reading.PENDING, reading_queued_at=asked_at)
            .update(reading_queued_at=moment)
        )
        if won:
            self.reading_queued_at = moment
        return bool(won)

    def mark_read(self, text: str, note: str = "", pages: int | None = None) -> bool:
        """Keep the words read (possibly none) and say so on the timeline; False when it was not PENDING any more.

        ``note`` is PAGE_LIMIT or TIME_LIMIT when only the first pages were read; ``pages`` the PDF's
        page count, kept when the exhibit had none.
        """
        with transaction.atomic():
            row = type(self).objects.select_for_update().filter(pk=self.pk, reading=self.Reading.PENDING).first()
            if row is None:
                return False
            self.reading, self.text, self.reading_error, self.read_at = self.Reading.DONE, text, note, now()
            fields = ["reading", "text", "reading_error", "read_at"]
            if pages is not None and row.pages is None:
                self.pages = pages
                fields.append("pages")
            self.save(update_fields=fields)
            self.case.record(
                Event.Kind.EVIDENCE_READ,
                None,
                exhibit=self.exhibit_number,
                characters=len(text.strip()),
                pages=self.pages_read if self.is_pdf else None,
                note=note,
            )
        return True

    def mark_failed(self, reason: str) -> bool:
        """Record that the file could not be read, and why (a ReadingError code); False when it was not PENDING."""
        with transaction.atomic():
            if not type(self).objects.select_for_update().filter(pk=self.pk, reading=self.Reading.PENDING).exists():
                return False
            self.reading, self.reading_error, self.read_at = self.Reading.FAILED, reason, now()
            self.save(update_fields=["reading", "reading_error", "read_at"])
            self.case.record(Event.Kind.EVIDENCE_NOT_READ, None, exhibit=self.exhibit_number, reason=reason)
        return True

    def describe(self, title: str, actor: User | None) -> bool:
        """Give the exhibit a title (a merchant keeping the one suggested from its text); False when unchanged."""
        title = title.strip()[:120]
        if not title or title == self.title:
            return False
        with transaction.atomic():
            self.title = title
            self.save(update_fields=["title"])
            self.case.record(Event.Kind.EVIDENCE_DESCRIBED, actor, exhibit=self.exhibit_number, title=title)
        return True

    def remove(self, actor: User | None) -> None:
        """Delete the file and its row; other exhibits keep their numbers."""
        with transaction.atomic():
            self.case.record(Event.Kind.EVIDENCE_REMOVED, actor, exhibit=self.exhibit_number, title=self.title)
            self.delete()
            transaction.on_commit(lambda: self.file.storage.delete(self.file.name))
