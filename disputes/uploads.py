"""Checking evidence uploads by their bytes, not their names.

Accepted: JPEG, PNG, WebP, HEIC/HEIF (when pillow-heif is available), PDF and
plain text (chat exports). Images must open as images; every file must fit the
per-file and per-case limits from the settings.
"""

import io
import warnings

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

try:  # HEIC photos from iPhones, when the library is installed
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - pillow-heif is in requirements.txt
    HEIF = False

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"} | ({"image/heic", "image/heif"} if HEIF else set())
ACCEPTED_TYPES = IMAGE_TYPES | {"application/pdf", "text/plain"}
# Refuse images whose pixel count could exhaust memory (decompression bombs).
MAX_IMAGE_PIXELS = 60_000_000


def sniff(head):
    """The content type the first bytes show, or None."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<body", b"<iframe")


def looks_like_text(data):
    """Plain text (a chat export) in UTF-8 or GB18030; markup such as HTML or SVG is not plain text."""
    if b"\x00" in data or data.lstrip()[:20].lower().startswith(MARKUP):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_image(upload):
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise ValidationError(_("This image is too large in pixels to process."), code="image_pixels")
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("This image is too large in pixels to process."), code="image_pixels") from None
    except Exception:  # noqa: BLE001 - any decoding failure means "not a usable image"
        raise ValidationError(_("This file claims to be an image but cannot be opened."), code="image_broken") from None
    finally:
        upload.seek(0)


def pdf_pages(upload):
    """The page count of a PDF (for the evidence list), or None when it cannot be read."""
    upload.seek(0)
    try:
        return len(PdfReader(upload).pages)
    except Exception:  # noqa: BLE001 - a damaged PDF is still evidence; it just has no page count
        return None
    finally:
        upload.seek(0)


ACTIVE_PDF_KEYS = {"/JS", "/JavaScript", "/Launch", "/RichMedia", "/XFA"}
ACTIVE_PDF_ACTIONS = {"/JavaScript", "/Launch", "/RichMediaExecute", "/ImportData", "/SubmitForm"}
MAX_PDF_OBJECTS = 200_000


def check_pdf(upload):
    """Refuse PDFs that are encrypted, unreadable, or carry scripts or launch actions."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        size = int(reader.trailer.get("/Size", 0))
    except Exception:  # noqa: BLE001 - any parse failure: we cannot vouch for the file
        raise ValidationError(
            _("This PDF cannot be read. Print it to PDF again and upload that."), code="pdf_broken"
        ) from None
    if encrypted:
        raise ValidationError(
            _("Encrypted PDFs are not accepted. Remove the password and upload it again."), code="pdf_encrypted"
        )
    for number in range(1, min(size, MAX_PDF_OBJECTS)):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001, S112 - a damaged object carries no action
            continue
        if not isinstance(obj, DictionaryObject):
            continue
        if ACTIVE_PDF_KEYS & set(obj.keys()) or obj.get("/S") in ACTIVE_PDF_ACTIONS:
            raise ValidationError(
                _("This PDF contains scripts or actions, which are not accepted. Print it to PDF again and upload it."),
                code="pdf_active",
            )


def check_upload(upload, case):
    """Validate an upload for ``case``; return its detected content type or raise ValidationError."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; each file may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    used = case.evidence.aggregate(total=Sum("size"))["total"] or 0
    if used + upload.size > settings.EVIDENCE_MAX_CASE_BYTES:
        raise ValidationError(
            _("This case already holds %(used)s of evidence; the limit per case is %(limit)s.")
            % {"used": filesizeformat(used), "limit": filesizeformat(settings.EVIDENCE_MAX_CASE_BYTES)},
            code="case_quota",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = sniff(head)
    if detected is None:
        upload.seek(0)
        if looks_like_text(upload.read()):
            detected = "text/plain"
        upload.seek(0)
    if detected not in ACCEPTED_TYPES:
        raise ValidationError(
            _("This kind of file is not accepted. Upload a photo or screenshot (JPEG, PNG, WebP, HEIC), a PDF, "
              "or a plain-text chat export."),
            code="file_type",
        )  # fmt: skip
    if detected in IMAGE_TYPES:
        check_image(upload)
    if detected == "application/pdf":
        check_pdf(upload)
    return detected
