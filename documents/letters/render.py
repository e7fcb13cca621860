"""One template, two outputs: the HTML preview and the PDF (WeasyPrint).

WeasyPrint fetches nothing but the app's own letter assets: ``LetterFetcher``
answers only ``https://letter.assets.invalid/static/<path>`` (the app's static
files) and ``.../fonts/<file>`` (the extracted CJK fonts), and refuses every
other URL — ``file://``, ``http(s)://`` to any host, ``data:`` and the rest.
"""

import gc
import hashlib
import mimetypes
import re
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
        """Serve the app's own static files and letter fonts to WeasyPrint; refuse everything else."""

        def __init__(self):
            super().__init__(allowed_protocols=["https"], allow_redirects=False, timeout=1)

        def fetch(self, url, headers=None):
            path = resolve_asset(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return LetterFetcher


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


def html_to_pdf(html):
    """Render letter HTML to PDF bytes with the safe fetcher; memory is released after each render."""
    import weasyprint

    ensure_fonts()
    try:
        return weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=_letter_fetcher_class()()).write_pdf()
    finally:
        gc.collect()
