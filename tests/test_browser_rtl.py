"""Arabic in a real browser: the pages run right to left (layout, tables, charts' labels) on a
wide and a phone screen. Screenshots are kept in test-artifacts/."""

import pytest
from django.core.management import call_command

from tests.browser import ARTIFACTS, BROWSER

pytestmark = BROWSER

PAGES = {"dashboard": "/ar/", "state": "/ar/states/DE/", "commitment": "/ar/commitments/3/"}


@pytest.fixture
def site(live_server):
    """The live server on the seeded database, with the translations compiled."""
    call_command("compilemessages", ignore=[".venv"], verbosity=0)
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
            # On a wide screen the menu comes after the brand: beside it (to its left) when it fits,
            # or on the line below, starting at the same right edge (as in English, from the left).
            beside = first["x"] + first["width"] <= brand["x"] + 1
            below = (
                first["y"] >= brand["y"] + brand["height"] - 1
                and abs((first["x"] + first["width"]) - (brand["x"] + brand["width"])) <= 2
            )
            assert beside or below, (brand, first)
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
