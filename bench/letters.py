"""Letters: a 3-page refund application issued and downloaded end to end, against a bare WeasyPrint render.

Both run in the same gunicorn worker (one worker for this section): the issue through the
app (POST, then GET of the new version), the bare render through ``/bench/bare-letter/``
(bench/views.py: the same HTML to the same PDF/A-3a, no case file, no database). They are
measured in pairs, one after the other, after a warm-up of both, by the CPU time the worker
spends on each (wall time is shown too: on a machine whose cores other processes share, it
swings with their load); the figure is the median of the pairs' ratios.
"""

import io
import shutil
import statistics
import time
from urllib.parse import urlencode

import pypdf
from django.core.files.storage import default_storage

from documents import letters
from documents.models import Document

from . import data
from .common import VAR, Row, Server, cpu_seconds, request


def pdf_facts(pdf):
    """(pages, embedded fonts) of a PDF; subset fonts carry a six-letter tag: ABCDEF+Name."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")))
    return len(reader.pages), sorted(fonts)


def seconds(call):
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def timed(call, times):
    return statistics.median(seconds(call) for _ in range(times))


def paired(first, second, times, warm_up, pid):
    """Measure ``first`` and ``second`` one after the other ``times`` times, by the CPU time process ``pid``
    spends on each and by wall time.

    Returns (median CPU seconds of each, the median of the CPU ratios, the lowest and highest CPU
    ratio, the median of the wall-time ratios).
    """

    def measured(call):
        cpu, started = cpu_seconds(pid), time.perf_counter()
        call()
        return cpu_seconds(pid) - cpu, time.perf_counter() - started

    for _ in range(warm_up):
        first()
        second()
    pairs = [(measured(first), measured(second)) for _ in range(times)]
    ratios = sorted(a[0] / b[0] for a, b in pairs)
    return (
        statistics.median(a[0] for a, _b in pairs),
        statistics.median(b[0] for _a, b in pairs),
        statistics.median(ratios),
        (ratios[0], ratios[-1]),
        statistics.median(a[1] / b[1] for a, b in pairs),
    )


def run(env, quick):
    times = 3 if quick else 30
    owner = data.user("letters@bench.example")
    case = data.case_with_history(owner, evidence=14)
    letter = letters.find_letter(case, "refund_application")
    document = letters.issue(case, letter, "zh-hans", owner)
    pdf = default_storage.open(document.pdf.name).read()
    pages, fonts = pdf_facts(pdf)
    (VAR / "letter.html").write_text(document.html, encoding="utf-8")  # what /bench/bare-letter/ renders
    static_copy = VAR / "static" / "bench" / "letter.pdf"
    static_copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(default_storage.path(document.pdf.name), static_copy)

    session = data.session_cookie(owner)
    csrf = data.csrf_secret()
    cookie = f"csrftoken={csrf}; sessionid={session}"
    server = Server(env, workers=1)  # the issue and the bare render in the same process
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
            status, _headers, content = request(server.port, "GET", "/bench/bare-letter/")
            assert status == 200 and content.startswith(b"%PDF"), status

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

        [worker] = server.workers()
        e2e, bare, ratio, (lowest, highest), wall = paired(
            end_to_end, bare_render, times, warm_up=1 if quick else 3, pid=worker
        )
        redownload()
        static_file()
        again = timed(redownload, times * 10)
        flat = timed(static_file, times * 10)
        revalidated = timed(revalidate, times * 10)
    finally:
        server.stop()
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
            f"{ratio:.2f}× (worker CPU, median of {times} pairs, {lowest:.2f}–{highest:.2f}: {e2e * 1000:.0f} vs "
            f"{bare * 1000:.0f} ms; wall time {wall:.2f}×)",
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
