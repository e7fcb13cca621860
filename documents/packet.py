"""The handoff packet: one PDF with everything a lawyer, a court's 立案 window or a volunteer needs.

In order: a cover page (the case in brief and its live deadlines), the timeline, the evidence list
with each file's SHA-256, every issued letter (the latest version of each, exactly as issued), then
the exhibits themselves — each picture on a page of its own under its number, title and hash, each
PDF exhibit's own pages after a page that names it. The case file as it stands is carried inside.

Memory stays bounded however large the case: the packet's own pages are laid out a few exhibits at a
time into temporary files, pictures are made smaller one by one, and the pages are joined by qpdf
(pikepdf), which copies each file's streams from disk as it writes. The packet is a PDF 1.7, not a
PDF/A: it carries the merchant's evidence PDFs as they were received, and those are not PDF/A.
"""

import gc
import io
import tempfile
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from documents.letters import CASE_FILE_NAME, RUNG_OF_KIND, case_file
from documents.letters.render import ASSET_BASE, CJK_LINE_BREAK, picture_url, render_document
from lib import chinatime

# Pictures are printed at most this many pixels on their long side (about 190 dpi across A4).
PICTURE_PIXELS = 1600
PICTURE_QUALITY = 80
# Exhibits laid out per render: each render's pictures are in memory together.
EXHIBITS_PER_RENDER = 6
# A text exhibit prints at most this many characters (the whole file is in the case file's hash).
TEXT_CHARACTERS = 20_000


@dataclass
class Packet:
    """What was written: its pages, and where each part begins (for the bookmarks and the tests)."""

    pages: int = 0
    outline: list = field(default_factory=list)  # (title, first page index)


def latest_documents(case):
    """The latest issued version of each letter (kind, addressee, language), in the ladder's order."""
    latest = {}
    issued = case.documents.select_related("channel__rung").order_by("kind", "channel_id", "language", "-version")
    for document in issued:
        document.title = document_title(document)
        latest.setdefault((document.kind, document.channel_id, document.language), document)
    return sorted(latest.values(), key=ladder_order)


def ladder_order(document):
    """Up the ladder, each recipient in the ladder's order, the Chinese text before a translation."""
    channel = document.channel
    return (
        RUNG_OF_KIND[document.kind],
        (channel.rung.position, channel.position) if channel else (0, 0),
        document.language.startswith("en"),
    )


def live_deadlines(case):
    return [step for step in case.step_list if step.due_on and step.is_live()]


def smaller_picture(item):
    """The exhibit's picture as a JPEG no larger than PICTURE_PIXELS, upright; None if it cannot be read."""
    from PIL import Image, ImageOps

    try:
        with item.file.open("rb") as handle, Image.open(handle) as picture:
            # A JPEG is decoded at the smallest scale still at least as large as the page prints it.
            scale = PICTURE_PIXELS / max(picture.size)
            picture.draft("RGB", (round(picture.width * scale), round(picture.height * scale)))
            picture.thumbnail((PICTURE_PIXELS, PICTURE_PIXELS))
            ImageOps.exif_transpose(picture, in_place=True)
            if picture.mode != "RGB":
                picture = picture.convert("RGB")
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=PICTURE_QUALITY, optimize=True)
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def exhibit_text(item):
    try:
        with item.file.open("rb") as handle:
            text = handle.read(TEXT_CHARACTERS * 4).decode("utf-8", errors="replace")
    except OSError:
        return None
    return text[:TEXT_CHARACTERS]


def render_pages(template, context, language, pictures=None):
    """Lay out one part of the packet: (PDF bytes, {anchor id: first page index})."""
    with translation.override(language):
        html = render_to_string(template, {**context, "asset_base": ASSET_BASE, "for_pdf": True})
    if not language.startswith("en"):
        html = CJK_LINE_BREAK.sub(r"\1", html)
    try:
        document = render_document(html, pictures)
        anchors = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                anchors.setdefault(anchor, index)
        return document.write_pdf(), anchors
    finally:
        del document
        gc.collect()  # a layout's boxes hold reference cycles: freed now, before the next part


def write_packet(case, target, language):
    """Write the case's handoff packet to ``target`` (a binary file); returns a Packet."""
    with translation.override(language), tempfile.TemporaryDirectory(prefix="packet-") as scratch:
        return PacketWriter(case, language, scratch).write(target)


class PacketWriter:
    """Lays out the packet part by part into ``scratch`` and joins the parts' pages with qpdf."""

    def __init__(self, case, language, scratch):
        import pikepdf

        self.pikepdf = pikepdf
        self.case, self.language, self.scratch = case, language, scratch
        self.base = {"case": case, "language": language, "is_chinese": not language.startswith("en")}
        self.out = pikepdf.new()
        self.parts = []  # open until the packet is written: qpdf copies their streams then
        self.packet = Packet()

    def write(self, target):
        case = self.case
        documents = latest_documents(case)
        evidence = list(case.evidence.order_by("exhibit_number"))
        try:
            self.front(documents, evidence)
            for document in documents:
                with document.pdf.open("rb") as handle:
                    first = self.add(handle.read())
                title = _("%(title)s (version %(version)s)") % {"title": document.title, "version": document.version}
                self.packet.outline.append((title, first))
            self.exhibits(evidence)
            with self.out.open_outline() as outline:
                for title, page in self.packet.outline:
                    outline.root.append(self.pikepdf.OutlineItem(title, page))
            describe(self.out, case, self.language, self.pikepdf)
            self.out.save(target, fix_metadata_version=False)
            self.packet.pages = len(self.out.pages)
        finally:
            for part in self.parts:
                part.close()
            self.out.close()
        return self.packet

    def add(self, pdf_bytes):
        """Append a part given as bytes (written to the scratch folder first); returns its first page's index."""
        path = f"{self.scratch}/part-{len(self.parts):04d}.pdf"
        with open(path, "wb") as handle:
            handle.write(pdf_bytes)
        return self.add_file(path)

    def add_file(self, path):
        part = self.pikepdf.open(path)
        self.parts.append(part)
        first = len(self.out.pages)
        self.out.pages.extend(part.pages)
        return first

    def front(self, documents, evidence):
        case = self.case
        context = {
            **self.base,
            "now": chinatime.now(),
            "merchant": case.merchant,
            "respondent": case.respondent,
            "agent": case.agent,
            "charges": case.charge_list,
            "claimed_total": case.claimed_total,
            "deadlines": live_deadlines(case),
            "events": case.events.select_related("actor").order_by("created_at", "id"),
            "evidence": evidence,
            "documents": documents,
        }
        pdf_bytes, anchors = render_pages("documents/packet_front.html", context, self.language)
        first = self.add(pdf_bytes)
        for anchor, title in (
            ("cover", _("Case summary")),
            ("timeline", _("Timeline")),
            ("evidence-list", _("Evidence list")),
        ):
            self.packet.outline.append((title, first + anchors[anchor]))

    def exhibits(self, evidence):
        """Each exhibit's page, a few at a time; a PDF exhibit's own pages right after the page that names it."""
        batch = []
        for item in evidence:
            # What the exhibit's page shows: the picture, the words of a text file, or a line before the
            # PDF's own pages; none of them when the file cannot be read (it is listed with its hash).
            entry = {"item": item, "key": str(item.pk), "picture": None, "text": None, "pdf_path": None}
            if item.is_image:
                entry["picture"] = smaller_picture(item)
            elif item.is_pdf:
                entry["pdf_path"] = exhibit_pdf(item, self.scratch, self.pikepdf)
            elif item.content_type == "text/plain":
                entry["text"] = exhibit_text(item)
            batch.append(entry)
            if entry.get("pdf_path") or len(batch) >= EXHIBITS_PER_RENDER:
                self.exhibit_pages(batch)
                batch = []
        if batch:
            self.exhibit_pages(batch)

    def exhibit_pages(self, batch):
        pictures = {picture_url(entry["key"]): entry["picture"] for entry in batch if entry.get("picture")}
        context = {**self.base, "exhibits": batch}
        pdf_bytes, anchors = render_pages("documents/packet_exhibits.html", context, self.language, pictures)
        first = self.add(pdf_bytes)
        for entry in batch:
            item = entry["item"]
            self.packet.outline.append((exhibit_title(item), first + anchors[f"exhibit-{item.exhibit_number}"]))
            if entry.get("pdf_path"):
                self.add_file(entry["pdf_path"])


def exhibit_pdf(item, scratch, pikepdf):
    """The exhibit's PDF copied to the scratch folder, if qpdf can read it (else None: it is listed, not printed)."""
    path = f"{scratch}/exhibit-{item.exhibit_number:04d}.pdf"
    try:
        with item.file.open("rb") as handle, open(path, "wb") as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        with pikepdf.open(path) as pdf:
            if not len(pdf.pages):
                return None
    except (OSError, pikepdf.PdfError, pikepdf.PasswordError):
        return None
    return path


def exhibit_title(item):
    return _("Exhibit %(number)s: %(title)s") % {"number": item.exhibit_number, "title": item.named}


def document_title(document):
    title = document.get_kind_display()
    if document.channel is not None and document.kind != document.Kind.CIVIL_COMPLAINT:
        title = _("%(kind)s: %(channel)s") % {"kind": title, "channel": document.channel.name}
    return title


def describe(out, case, language, pikepdf):
    """The packet's title and language, and the case file carried inside it as an associated file."""
    merchant = case.merchant
    title = _("Case packet · %(name)s") % {"name": (merchant.name if merchant else "") or case.provider_name}
    with out.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
        meta["dc:language"] = ["en" if language.startswith("en") else "zh-CN"]
        if merchant and merchant.name:
            meta["dc:creator"] = [merchant.name]
        meta["dc:description"] = _("Handoff packet of the case against %(respondent)s") % {
            "respondent": case.provider_name
        }
    out.Root.Lang = pikepdf.String("en" if language.startswith("en") else "zh-CN")
    carried = case_file(case, language)
    spec = pikepdf.AttachedFileSpec(
        out, carried.data, description=carried.description, filename=CASE_FILE_NAME, mime_type="application/json"
    )
    out.attachments[CASE_FILE_NAME] = spec
    entry = out.Root.Names.EmbeddedFiles.Names[1]
    entry.AFRelationship = pikepdf.Name("/Data")
    out.Root.AF = pikepdf.Array([entry])
