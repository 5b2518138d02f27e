"""The language switcher in a real browser (issue 19's first defect): from any language a visitor
reaches the same page in every other one, English and Spanish included from French and Arabic."""

import pytest
from django.core.management import call_command

from tests.browser import BROWSER

pytestmark = BROWSER

NAMES = {"en": "English", "fr": "français", "es": "español", "ar": "العربيّة"}


@pytest.fixture
def site(live_server):
    """The live server on the seeded database. The public page cache stays on, as in production:
    the switcher must work on pages served from it."""
    call_command("compilemessages", ignore=[".venv"], verbosity=0)
    return live_server.url


@pytest.mark.parametrize("start", ["fr", "ar", "es", "en"])
def test_the_switcher_leads_from_any_language_to_the_same_page_in_each_other(site, chromium, start):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    prefix = "" if start == "en" else f"/{start}"
    page.goto(f"{site}{prefix}/states/DE/?items=2")
    for target in ["en", "es", "fr", "ar", start]:
        page.locator(".language-switcher").get_by_role("link", name=NAMES[target], exact=True).click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == target
        expected = "" if target == "en" else f"/{target}"
        assert page.url == f"{site}{expected}/states/DE/?items=2"
        current = page.locator('.language-switcher a[aria-current="true"]')
        assert current.get_attribute("lang") == target
    page.close()
