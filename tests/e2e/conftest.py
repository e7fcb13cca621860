"""End-to-end fixtures: the app under gunicorn with a real Celery worker and Redis, driven by Debian's Chromium.

The servers run as separate processes on the test database (transactional, so
they see what the test writes). Every page visited is checked with axe-core and
photographed at phone and desktop sizes into tests/e2e/artifacts/.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop; Django's ORM is used from the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visitor:
    """A browser tab that checks accessibility and takes both screenshots of every page it shows."""

    def __init__(self, page, name, viewport):
        self.page = page
        self.name = name
        self.viewport = viewport
        self.count = 0
        ARTIFACTS.mkdir(exist_ok=True)

    def check(self, label):
        """axe-core on the page (no serious or critical violation), then a screenshot at each size."""
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
        self.count += 1
        stem = f"{self.name}-{self.count:02d}-{label}"
        for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            page.screenshot(path=str(ARTIFACTS / f"{stem}-{size_name}.png"), full_page=True)
        page.set_viewport_size(self.viewport)


@pytest.fixture
def open_tab(browser):
    """open_tab(name, viewport, locale) -> Visitor on a fresh browser context."""
    contexts = []

    def open_tab(name, viewport=PHONE, locale="zh-CN"):
        # bypass_csp lets the test inject axe-core; the app itself never needs inline script.
        context = browser.new_context(viewport=viewport, locale=locale, accept_downloads=True, bypass_csp=True)
        context.set_default_timeout(15000)
        contexts.append(context)
        return Visitor(context.new_page(), name, viewport)

    yield open_tab
    for context in contexts:
        context.close()
