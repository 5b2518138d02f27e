"""Review and follow-up in a real browser (headless Debian chromium, Playwright): from the list of
cycles to the states that moved on commitment 6, on to one state's follow-up report, printed;
and a commitment page as of a past date. Screenshots go to test-artifacts/.
"""

import re

import pytest
from django.core.management import call_command

from tests.browser import ARTIFACTS, BROWSER

pytestmark = BROWSER


@pytest.fixture
def site(live_server, settings):
    """The live server with the real data and the demo history over three cycles."""
    settings.CACHE_SECONDS = 0
    call_command("demo", verbosity=0, allow_production=True)  # tests run with DEBUG off
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"cycles-{name}.png"), full_page=True)


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_a_visitor_finds_who_progressed_on_commitment_6_and_prints_a_state_report(site, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_role("link", name="Review cycles").first.click()
    page.get_by_role("link", name="[Demo] International Migration Review Forum 2022").first.click()
    assert page.locator("h1").inner_text() == "[Demo] International Migration Review Forum 2022"
    page.get_by_label("Compare with", exact=True).select_option("demo-regional-reviews-2020-2021")
    page.get_by_label("Commitment", exact=True).select_option("6")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile("commitment=6"))  # the comparison, loaded
    assert "What changed on commitment 6" in page.locator("#changes-heading").inner_text()
    rows = page.locator("table.changes tbody tr")
    assert rows.count() >= 1
    shot(page, "cycle-commitment-6-1280")
    first_state = rows.first.locator("th a")
    name = first_state.inner_text()
    first_state.click()
    assert page.locator("h1").inner_text() == f"Follow-up report: {name}"
    assert page.locator("table.report tbody tr").count() >= 10
    shot(page, "state-report-1280")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("form.filters").is_visible()
    assert page.locator(".print-only").is_visible()
    shot(page, "state-report-print")
    context.close()


def test_cycle_and_report_pages_fit_a_360_px_screen(site, chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    for path in (
        "/cycles/",
        "/cycles/demo-imrf-2022/?commitment=6",
        "/cycles/demo-imrf-2022/states/FR/",
        "/indicators/demo-legal-aid-access/",
    ):
        assert page.goto(site + path).status == 200
        assert overflow(page) <= 0, f"{path} is wider than a 360 px screen"
    shot(page, "indicator-360")
    context.close()


def test_a_visitor_sees_a_commitment_as_of_a_past_date(site, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + "/commitments/6/")
    page.get_by_label("Show statuses as of").fill("2019-12-31")
    page.get_by_label("Show statuses as of").press("Enter")
    assert "as_of=2019-12-31" in page.url
    assert "Statuses as they stood on 31 December 2019" in page.locator(".as-of-note").inner_text()
    assert page.locator("#progress-heading").is_visible()
    shot(page, "commitment-as-of-1280")
    context.close()
