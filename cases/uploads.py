"""Checking evidence uploads by their bytes, not their names.

Accepted: JPEG, PNG, WebP, HEIC/HEIF (when pillow-heif is available), PDF and
plain text (chat exports). Images must open as images; every file must fit the
per-file, per-case and per-account limits from the settings.
"""

import io
import re
import warnings

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NullObject, StreamObject

from cases.models import Evidence

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


# What makes a PDF act by itself, wherever it sits: scripts (/JS, and /JavaScript as a key or a
# name tree), additional actions fired by events (/AA), launching programs, XFA forms (scripted),
# rich media, and actions that run a script, open another file or send the form somewhere.
ACTIVE_PDF_KEYS = {"/JS", "/JavaScript", "/AA", "/Launch", "/XFA", "/RichMedia"}
ACTIVE_PDF_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/RichMediaExecute",
    "/ImportData",
    "/SubmitForm",
    "/GoToR",
    "/Rendition",
}
# Files carried inside the PDF: the name tree, a file specification's /EF, the file stream itself.
EMBEDDED_PDF_KEYS = {"/EmbeddedFiles", "/EmbeddedFile", "/EF"}
MAX_PDF_NODES = 1_000_000  # dictionaries, arrays and values walked before we give up on a file

# The same names in the file's bytes, outside stream data: for objects no cross-reference lists.
STREAM_DATA = re.compile(rb">>\s*stream\r?\n.*?endstream", re.S)
PDF_NAME = re.compile(rb"/((?:[^\x00\s()<>\[\]{}/%#]|#[0-9A-Fa-f]{2})+)")
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
RAW_ACTIVE = {name[1:].encode() for name in ACTIVE_PDF_KEYS | ACTIVE_PDF_ACTIONS}
RAW_EMBEDDED = {name[1:].encode() for name in EMBEDDED_PDF_KEYS} | {b"GoToE"}

PDF_MESSAGES = {
    "broken": gettext_lazy("This PDF cannot be read. Print it to PDF again and upload that."),
    "encrypted": gettext_lazy("Encrypted PDFs are not accepted. Remove the password and upload it again."),
    "active": gettext_lazy(
        "This PDF contains scripts or actions, which are not accepted. Print it to PDF again and upload it."
    ),
    "embedded": gettext_lazy(
        "This PDF has other files attached inside it, which are not accepted. Print it to PDF again and "
        "upload it, and upload the attached files one by one."
    ),
    "complex": gettext_lazy("This PDF is too complex to check. Print it to PDF again and upload that."),
}


def names_in(data):
    """The names (without their slash, hex escapes such as #61 decoded) written in PDF bytes."""
    return {NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), token) for token in PDF_NAME.findall(data)}


def raw_problem(data):
    """Active or embedded content named in the bytes outside stream data.

    A repairing viewer may find objects that no cross-reference entry lists, where a
    reader that trusts the cross-references never looks; this catches the plain ones.
    """
    names = names_in(STREAM_DATA.sub(b" ", data))
    if names & RAW_EMBEDDED:
        return "embedded"
    if names & RAW_ACTIVE:
        return "active"
    return None


def harmless_open_action(value):
    """An /OpenAction that only shows a page: a destination, or a /GoTo action (what word processors write)."""
    return isinstance(value, (ArrayObject, NullObject)) or (
        isinstance(value, DictionaryObject) and value.get("/S") == "/GoTo"
    )


def dictionary_problem(obj):
    """Why one dictionary (or stream) makes the PDF unacceptable, or None."""
    keys = set(obj.keys())
    if keys & EMBEDDED_PDF_KEYS or obj.get("/Type") == "/EmbeddedFile" or obj.get("/S") == "/GoToE":
        return "embedded"
    if keys & ACTIVE_PDF_KEYS or obj.get("/S") in ACTIVE_PDF_ACTIONS:
        return "active"
    if "/OpenAction" in keys and not harmless_open_action(obj["/OpenAction"]):
        return "active"
    if isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm":
        return raw_problem(obj.get_data())  # objects packed in it, listed or not
    return None


def listed_objects(reader):
    """Every object the cross-references list: each generation, and those inside object streams.

    Counting up to the trailer's /Size, or asking only for generation 0, misses objects a
    viewer still reads.
    """
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def object_problem(reader):
    """Walk the trailer, every listed object and everything inside them, direct or not, for active content."""
    seen = set()
    stack = [reader.trailer, *listed_objects(reader)]
    for _step in range(MAX_PDF_NODES):
        if not stack:
            return None
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            problem = dictionary_problem(obj)
            if problem:
                return problem
            stack.extend(dict.values(obj))  # unresolved: references are followed once, above
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
    return "complex"


def pdf_problem(data):
    """Why a PDF is refused ("broken", "encrypted", "active", "embedded", "complex"), or None.

    The file is parsed with pypdf and every object is looked at, those in compressed
    object streams too; a part that cannot be read makes the whole file unreadable,
    since a viewer might read it differently.
    """
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return "encrypted"
        return raw_problem(data) or object_problem(reader)
    except Exception:  # noqa: BLE001 - any parse failure: we cannot vouch for the file
        return "broken"


def check_pdf(upload):
    """Refuse PDFs that are encrypted, unreadable, or carry scripts, actions, attached files or XFA forms."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    problem = pdf_problem(data)
    if problem:
        raise ValidationError(str(PDF_MESSAGES[problem]), code=f"pdf_{problem}")


def check_account_quota(upload, case):
    """Refuse a file that would take the owner's evidence, over all their cases, past the account's limit."""
    limit = settings.MAX_EVIDENCE_BYTES_PER_ACCOUNT
    if limit <= 0:
        return
    used = Evidence.objects.filter(case__owner_id=case.owner_id).aggregate(total=Sum("size"))["total"] or 0
    if used + upload.size > limit:
        raise ValidationError(
            _(
                "Your cases already hold %(used)s of evidence; the limit per account is %(limit)s. Remove files "
                "you no longer need, then upload this one again."
            )
            % {"used": filesizeformat(used), "limit": filesizeformat(limit)},
            code="account_quota",
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
    check_account_quota(upload, case)
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
