"""Arabic in a real browser: the pages run right to left (layout, tables, charts' labels) on a
wide and a phone screen. Screenshots are kept in test-artifacts/."""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls around it stay synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian's chromium is not installed at {CHROMIUM}"),
]

PAGES = {"dashboard": "/ar/", "state": "/ar/states/DE/", "commitment": "/ar/commitments/3/"}


@pytest.fixture
def site(live_server):
    """live_server tests run on a flushed database: load the sources again."""
    call_command("compilemessages", ignore=[".venv"], verbosity=0)
    call_command("seed", verbosity=0)
    return live_server.url


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("name", list(PAGES))
def test_arabic_pages_run_right_to_left(site, chromium, name, width):
    page = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(site + PAGES[name])
        assert page.evaluate("document.dir") == "rtl"
        assert page.evaluate("document.documentElement.lang") == "ar"

        brand, first, second = (
            _box(page, ".brand"),
            _box(page, ".nav li:nth-child(1) a"),
            _box(page, ".nav li:nth-child(2) a"),
        )
        # The brand starts at the right edge, and the navigation reads from right to left.
        assert brand["x"] + brand["width"] > width * 0.8
        assert first["x"] > second["x"]
        if width == 1280:
            # Side by side on a wide screen: the menu comes after (to the left of) the brand.
            assert first["x"] + first["width"] <= brand["x"] + 1
        # Nothing is pushed off the screen sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

        table = page.locator("main table").first
        if table.count():
            header = table.locator("th").first.bounding_box()
            last = table.locator("thead th").last.bounding_box()
            # A table's first column is its rightmost.
            assert header["x"] >= last["x"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"rtl-{name}-{width}.png"), full_page=False)
    finally:
        page.close()


def test_source_texts_in_arabic_pages_stay_left_to_right(site, chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(site + "/ar/commitments/3/")
        quote = page.locator('blockquote.source[lang="en"]').first
        assert quote.evaluate("element => getComputedStyle(element).direction") == "ltr"
        assert page.locator("p.source-note", has_text="مقتبس بلغة المصدر").count() == 1
    finally:
        page.close()
