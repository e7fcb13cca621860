"""One template, two outputs: the HTML preview and the PDF (WeasyPrint).

WeasyPrint fetches nothing but the app's own letter assets: ``LetterFetcher``
answers only ``https://letter.assets.invalid/static/<path>`` (the app's static
files) and ``.../fonts/<file>`` (the extracted CJK fonts), and refuses every
other URL — ``file://``, ``http(s)://`` to any host, ``data:`` and the rest.

Every PDF is PDF/A-3a: tagged (a structure tree a screen reader follows), with
an sRGB output intent, the fonts embedded, and its title, author, subject and
language in the XMP metadata. Files it carries (the case file of an issued
letter) are PDF/A-3 associated files, each with its relationship to the letter.
"""

import gc
import hashlib
import io
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template, render_to_string
from django.utils import translation

from documents.letters.fonts import FONT_FILES, ensure_fonts

ASSET_ORIGIN = "https://letter.assets.invalid"
ASSET_BASE = f"{ASSET_ORIGIN}/"


class RefusedURL(ValueError):
    pass


def _letter_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LetterFetcher(URLFetcher):
        """Serve the app's own static files and letter fonts to WeasyPrint; refuse everything else.

        ``pictures`` are the pictures of one render (a packet's exhibits, made smaller), by their
        ``picture_url``: bytes already in hand, never a path.
        """

        def __init__(self, pictures=None):
            super().__init__(allowed_protocols=["https"], allow_redirects=False, timeout=1)
            self.pictures = pictures or {}

        def fetch(self, url, headers=None):
            if url in self.pictures:
                return URLFetcherResponse(url, body=self.pictures[url], headers={"Content-Type": "image/jpeg"})
            path = resolve_asset(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return LetterFetcher


def picture_url(key):
    """The URL a render's own picture is fetched by (see ``LetterFetcher``)."""
    return f"{ASSET_ORIGIN}/pictures/{key}.jpg"


def resolve_asset(url):
    """The local file behind an allowed letter-asset URL; RefusedURL for anything else."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != ASSET_ORIGIN or parts.query or parts.fragment:
        raise RefusedURL(f"letters may not fetch {url!r}")
    relative = PurePosixPath(unquote(parts.path).lstrip("/"))
    if ".." in relative.parts or not relative.parts:
        raise RefusedURL(f"letters may not fetch {url!r}")
    top, rest = relative.parts[0], PurePosixPath(*relative.parts[1:])
    if top == "static" and str(rest).startswith("letters/"):
        found = finders.find(str(rest))
        if found:
            return Path(found)
    if top == "fonts" and len(rest.parts) == 1 and rest.name in FONT_FILES.values():
        path = Path(settings.LETTER_FONT_DIR) / rest.name
        if path.exists():
            return path
    raise RefusedURL(f"letters may not fetch {url!r}")


def template_version(template_name):
    """A short hash of the letter template and its base: changes whenever either is edited."""
    digest = hashlib.sha256()
    for name in ("letters/base.html", template_name):
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest()[:12]


# Line breaks after a Chinese character or punctuation mark in the template source
# would print as spaces between sentences; Chinese text has none.
CJK_LINE_BREAK = re.compile(r"([\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t]*\n\s*")


def render_html(template_name, context, language, for_pdf=False, request=None):
    """The letter as HTML in ``language``; ``for_pdf`` adds the embedded-font stylesheet.

    A preview is rendered with its ``request``, so the issue form in its bar
    carries a CSRF token.
    """
    with translation.override(language):
        html = render_to_string(
            template_name,
            {**context, "for_pdf": for_pdf, "asset_base": ASSET_BASE, "language": language},
            request=request,
        )
    if not language.startswith("en"):
        html = CJK_LINE_BREAK.sub(r"\1", html)
    return html


PDF_VARIANT = "pdf/a-3a"


@dataclass(frozen=True)
class Carried:
    """A file a PDF carries inside it: a PDF/A-3 associated file of the whole document."""

    name: str
    data: bytes
    description: str
    moment: datetime  # when the file stood as it is (its creation and modification date)
    relationship: str = "Data"  # ISO 32000-2 7.11.3: the file is the data the document shows


def render_document(html, pictures=None):
    """Lay out letter HTML with the safe fetcher: a WeasyPrint document, its pages not yet written."""
    import weasyprint

    ensure_fonts()
    fetcher = _letter_fetcher_class()(pictures)
    return weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).render()


def html_to_pdf(html, carried=()):
    """Render letter HTML to PDF/A-3a bytes with the safe fetcher, carrying the ``carried`` files.

    The title, author (``<meta name=author>``), subject (``<meta name=description>``) and
    language (``<html lang>``) of the HTML go into the XMP metadata. Memory is released
    after each render.
    """
    import weasyprint

    try:
        document = render_document(html)
        document.metadata = _archival_metadata_class().of(document.metadata)
        attachments = [
            weasyprint.Attachment(
                file_obj=io.BytesIO(item.data),
                name=item.name,
                description=item.description,
                created=item.moment,
                modified=item.moment,
                relationship=item.relationship,
            )
            for item in carried
        ]
        return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=attachments, finisher=_each_file_once)
    finally:
        gc.collect()


@cache
def _archival_metadata_class():
    from xml.etree.ElementTree import SubElement, fromstring, tostring

    from weasyprint.pdf.metadata import NS, DocumentMetadata

    class ArchivalMetadata(DocumentMetadata):
        """WeasyPrint's XMP with the document's language (dc:language) beside its title, author and subject."""

        @classmethod
        def of(cls, metadata):
            archival = cls()
            archival.__dict__.update(metadata.__dict__)
            return archival

        def generate_rdf_metadata(self, variant, version, conformance):
            # WeasyPrint's own XML, just written: nothing from outside is parsed here.
            rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))  # noqa: S314
            if self.lang:
                description = SubElement(rdf, f"{{{NS['rdf']}}}Description", {f"{{{NS['rdf']}}}about": ""})
                bag = SubElement(SubElement(description, f"{{{NS['dc']}}}language"), f"{{{NS['rdf']}}}Bag")
                SubElement(bag, f"{{{NS['rdf']}}}li").text = self.lang
            return tostring(rdf, encoding="utf-8")

    return ArchivalMetadata


def _each_file_once(document, pdf):
    """WeasyPrint 70 lists each associated file twice in the catalog's /AF: keep one entry per file."""
    files = pdf.catalog.get("AF")
    if files:
        unique = list(dict.fromkeys(files))
        files.clear()
        files.extend(unique)
