"""Letters: a 3-page refund application downloaded end to end, against a bare WeasyPrint render of its HTML."""

import gc
import io
import shutil
import statistics
import time
from urllib.parse import urlencode

import pypdf
from django.core.files.storage import default_storage

from documents import letters
from documents.letters.render import ASSET_BASE, PDF_VARIANT, _letter_fetcher_class
from documents.models import Document

from . import data
from .common import VAR, Row, Server, request


def pdf_facts(pdf):
    """(pages, embedded fonts) of a PDF; subset fonts carry a six-letter tag: ABCDEF+Name."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")))
    return len(reader.pages), sorted(fonts)


def timed(call, times):
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def run(env, quick):
    times = 3 if quick else 15
    owner = data.user("letters@bench.example")
    case = data.case_with_history(owner, evidence=14)
    letter = letters.find_letter(case, "refund_application")
    document = letters.issue(case, letter, "zh-hans", owner)
    pdf = default_storage.open(document.pdf.name).read()
    pages, fonts = pdf_facts(pdf)
    static_copy = VAR / "static" / "bench" / "letter.pdf"
    static_copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(default_storage.path(document.pdf.name), static_copy)

    session = data.session_cookie(owner)
    csrf = data.csrf_secret()
    cookie = f"csrftoken={csrf}; sessionid={session}"
    server = Server(env)
    try:
        issue_url = f"/cases/{case.pk}/letters/refund_application/issue/"

        def end_to_end():
            body = urlencode({"csrfmiddlewaretoken": csrf, "language": "zh-hans"})
            headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
            status, _headers, _body = request(server.port, "POST", issue_url, headers, body)
            assert status == 302, status
            newest = Document.objects.filter(case=case).order_by("-issued_at").values_list("pk", flat=True)[0]
            status, _headers, content = request(
                server.port, "GET", f"/cases/{case.pk}/documents/{newest}/", {"Cookie": cookie}
            )
            assert status == 200 and content.startswith(b"%PDF"), status

        def bare_render():
            import weasyprint

            # The same PDF/A-3a output the issue writes, without the case, the database or the case file.
            weasyprint.HTML(string=document.html, base_url=ASSET_BASE, url_fetcher=_letter_fetcher_class()()).write_pdf(
                pdf_variant=PDF_VARIANT
            )

        def redownload():
            status, _h, content = request(
                server.port, "GET", f"/cases/{case.pk}/documents/{document.pk}/", {"Cookie": cookie}
            )
            assert status == 200 and len(content) == len(pdf)

        def static_file():
            status, _h, content = request(server.port, "GET", "/static/bench/letter.pdf")
            assert status == 200 and len(content) == len(pdf), status

        def revalidate():
            path = f"/cases/{case.pk}/documents/{document.pk}/"
            etag = f'"{document.sha256}"'
            status, _h, _content = request(server.port, "GET", path, {"Cookie": cookie, "If-None-Match": etag})
            assert status == 304, status

        end_to_end()  # warm-up: the worker imports WeasyPrint and loads the fonts once
        bare_render()
        e2e = timed(end_to_end, times)
        bare = timed(bare_render, times)
        gc.collect()
        redownload()
        static_file()
        again = timed(redownload, times * 10)
        flat = timed(static_file, times * 10)
        revalidated = timed(revalidate, times * 10)
    finally:
        server.stop()
    ratio = e2e / bare
    subsets = [font for font in fonts if "+" in font]
    return [
        Row(
            "letters",
            "refund application",
            f"{pages} pages, {len(pdf) / 1024:.0f} KB",
            "< 200 KB",
            len(pdf) < 200 * 1024,
        ),
        Row(
            "letters",
            "embedded fonts",
            ", ".join(fonts) or "none",
            "subsets only",
            bool(fonts) and len(subsets) == len(fonts),
        ),
        Row(
            "letters",
            "issue + download / bare WeasyPrint render",
            f"{ratio:.2f}× ({e2e * 1000:.0f} vs {bare * 1000:.0f} ms)",
            "≤ 1.1×",
            ratio <= 1.1,
        ),
        Row(
            "letters",
            "re-download / same file as a static file",
            f"{again / flat:.2f}× ({again * 1000:.1f} vs {flat * 1000:.1f} ms)",
            "near 1×",
            again / flat <= 2.0,
        ),
        Row("letters", "re-download by a browser that has it (304)", f"{revalidated * 1000:.1f} ms"),
    ]
