"""End-to-end fixtures: the app under gunicorn with a real Celery worker and Redis, driven by Debian's Chromium.

The servers run as separate processes on the test database (transactional, so
they see what the test writes). Every page visited is checked with axe-core and
photographed at phone and desktop sizes into tests/e2e/artifacts/; its HTML is
checked with the Nu HTML validator at the end of the test.
"""

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop; Django's ORM is used from the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
# The Nu HTML validator (npm's vnu-jar), run on Debian's Java.
VNU = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = "/usr/bin/java"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
# Visible controls smaller than 44×44 px, as "tag.class "text" WxH" (links inside a sentence are exempt).
SMALL_CONTROLS = """() => {
  const selector = [
    'button', 'select', 'textarea', 'summary', 'input:not([type=hidden]):not([type=radio]):not([type=checkbox])',
    '.site-nav a', 'a.button', 'a.action-link', 'label:has(> input[type=radio])', 'label:has(> input[type=checkbox])',
  ].join(', ');
  const size = element => element.getBoundingClientRect();
  return [...document.querySelectorAll(selector)].filter(element => {
    if (element.closest('[hidden]') || element.closest('details:not([open]) > :not(summary)')) return false;
    const box = size(element);
    return (box.width > 0 || box.height > 0) && (box.height < 43.5 || box.width < 43.5);
  }).map(element => {
    const box = size(element);
    const text = element.textContent.trim().slice(0, 30);
    const measured = `${Math.round(box.width)}x${Math.round(box.height)}`;
    return `${element.tagName.toLowerCase()}.${element.className} "${text}" ${measured}`;
  });
}"""
# Elements that stick out of a phone's screen (the page would scroll sideways), innermost first.
TOO_WIDE = """() => {
  const sticksOut = element => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1;
  return [...document.body.querySelectorAll('*')]
    .filter(element => sticksOut(element) && ![...element.children].some(sticksOut))
    .slice(0, 5)
    .map(element => `${element.tagName.toLowerCase()}.${element.className} "${element.textContent.slice(0, 40)}"`);
}"""
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def fast_password_hashing():
    """Override the suite's fast hasher: gunicorn checks passwords with Django's real ones."""


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed at /usr/bin/chromium: `make test` installs it")
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it with npm ci --prefix tests/e2e")
    if not VNU.exists():
        pytest.fail("vnu-jar is missing: `make test` installs it with npm ci --prefix tests/e2e")
    if not Path(JAVA).exists():
        pytest.fail("Java is not installed at /usr/bin/java: the Nu HTML validator needs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def validate_html(directory):
    """The Nu HTML validator on every page saved in directory, in one run: its errors, one line each."""
    files = sorted(directory.glob("*.html"))
    if not files:
        return []
    command = [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(result.stdout)["messages"]
    except ValueError:
        pytest.fail(f"The Nu HTML validator did not run: {result.stderr or result.stdout}")
    errors = []
    for message in messages:
        page = Path(urlsplit(message.get("url", "")).path).name  # the file is named after the check's label
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{page}:{message.get('lastLine', '?')}: {message['message']} [{extract}]")
    return errors


class Visitor:
    """A browser tab that checks accessibility, takes both screenshots and keeps the HTML of every page it shows."""

    def __init__(self, page, name, viewport, html_dir):
        self.page = page
        self.name = name
        self.viewport = viewport
        self.html_dir = html_dir
        self.count = 0
        self.document = None  # the response that loaded the page now shown
        self.too_tall = []  # pages taller than three phone screens
        page.on("response", self.remember_document)
        ARTIFACTS.mkdir(exist_ok=True)

    def remember_document(self, response):
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.document = response

    def save_html(self, stem):
        """Keep the page's HTML as the server sent it, for the Nu validator (Django's own admin pages excepted).

        The source, not the DOM: the browser's parser silently repairs what the validator
        should see (a stray </p>, a <div> inside a <p>), and the DOM carries the injected axe-core.
        """
        if urlsplit(self.page.url).path.startswith("/admin/"):
            return
        assert self.document is not None, f"{stem}: no document response to validate"
        (self.html_dir / f"{stem}.html").write_bytes(self.document.body())

    def check(self, label):
        """axe-core on the page (no serious or critical violation), then a screenshot at each size.

        The page's HTML is kept for the Nu validator, which open_tab runs once at the end of the test.
        """
        page = self.page
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
        )
        assert violations == [], f"{label}: {violations}"
        if self.viewport == PHONE:
            self.check_phone(label)
        self.count += 1
        stem = f"{self.name}-{self.count:02d}-{label}"
        self.save_html(stem)
        for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            page.screenshot(path=str(ARTIFACTS / f"{stem}-{size_name}.png"), full_page=True)
        page.set_viewport_size(self.viewport)

    def check_phone(self, label):
        """A merchant's page on a phone: three screens at most, every control big enough to tap, no internal reference.

        Links inside a sentence are exempt, as WCAG 2.5.8 exempts inline targets; every
        other control (buttons, fields, disclosures, menu and stand-alone links, the labels
        of radio buttons and check boxes) is at least 44×44 px.
        """
        small = self.page.evaluate(SMALL_CONTROLS)
        assert small == [], f"{label}: controls under 44 px: {small}"
        wide = self.page.evaluate(TOO_WIDE)
        assert wide == [], f"{label}: wider than the phone: {wide}"
        # No merchant page is taller than three phone screens (the letter preview is the letter itself).
        # Every page is measured and its screenshots kept; open_tab fails the test at the end with the list.
        if not label.startswith("preview"):
            height = self.page.evaluate("document.documentElement.scrollHeight")
            if height > 3 * PHONE["height"]:
                self.too_tall.append(f"{self.name}/{label}: {height} px")
        text = self.page.inner_text("body")
        for internal in ("domain.md", "LawRefBook", ".md "):
            assert internal not in text, f"{label}: shows the internal reference {internal!r}"


@pytest.fixture
def open_tab(browser, tmp_path):
    """open_tab(name, viewport, locale) -> Visitor on a fresh browser context.

    At the end of the test the HTML of every page checked is validated with the Nu HTML
    validator, in one run for all the tabs: any error fails the test (at teardown).
    """
    contexts = []
    visitors = []
    html_dir = tmp_path / "html"
    html_dir.mkdir()

    def open_tab(name, viewport=PHONE, locale="zh-CN"):
        # bypass_csp lets the test inject axe-core; the app itself never needs inline script.
        context = browser.new_context(viewport=viewport, locale=locale, accept_downloads=True, bypass_csp=True)
        context.set_default_timeout(15000)
        contexts.append(context)
        visitor = Visitor(context.new_page(), name, viewport, html_dir)
        visitors.append(visitor)
        return visitor

    yield open_tab
    for context in contexts:
        context.close()
    too_tall = [page for visitor in visitors for page in visitor.too_tall]
    if too_tall:
        pytest.fail(f"Taller than three phone screens ({3 * PHONE['height']} px):\n" + "\n".join(too_tall))
    errors = validate_html(html_dir)
    if errors:
        pytest.fail(f"The Nu HTML validator found {len(errors)} errors in {html_dir}:\n" + "\n".join(errors))
