"""The site-wide search in a real browser (issue 19): the header's box leads to the results, grouped
by kind, in English and Arabic, with no JavaScript and nothing wider than a phone's screen."""

import pytest
from django.core.management import call_command

from tests.browser import BROWSER

pytestmark = BROWSER


@pytest.fixture
def site(live_server, settings):
    settings.CACHE_SECONDS = 0
    call_command("compilemessages", ignore=[".venv"], verbosity=0)
    return live_server.url


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_header_search_box_leads_to_results_grouped_by_kind(site, chromium, prefix, width):
    context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + prefix + "/states/")
        page.locator(".site-search input[name=q]").fill("detention")
        page.locator(".site-search button").click()
        page.wait_for_url(f"**{prefix}/search/?q=detention")
        assert page.locator("h2#results-commitments").count() == 1
        assert page.locator("h2#results-recommendations").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.locator("#results-commitments + ul a").first.click()
        page.wait_for_url(f"**{prefix}/commitments/2/")
    finally:
        context.close()
