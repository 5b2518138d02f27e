"""The overviews of issue 19 in a real browser, in English and Arabic, on a wide and a phone
screen, with JavaScript off: the state list's map beside its table by regional group, and the
events timeline. Screenshots go to test-artifacts/overview-*.png."""

import pytest
from django.core.management import call_command

from recommendations import services
from recommendations.choices import Role, Status
from recommendations.models import Implementation
from tests.browser import ARTIFACTS, BROWSER
from tests.factories import UserFactory

pytestmark = BROWSER


@pytest.fixture
def site(live_server, settings):
    settings.CACHE_SECONDS = 0
    call_command("compilemessages", ignore=[".venv"], verbosity=0)
    editor = UserFactory(username="zq-overview-browser", role=Role.EDITOR)
    for iso2 in ("FR", "KE", "BR"):
        services.implementation_set_status(
            implementation=Implementation.objects.get(state__iso2=iso2, commitment__number=1),
            status=Status.PLANNED,
            actor=editor,
            comment="c",
        )
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def open_page(chromium, url, width):
    context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    return context, context.new_page()


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_state_list_opens_on_a_map_and_a_short_table(site, chromium, prefix, width):
    context, page = open_page(chromium, site, width)
    try:
        page.goto(site + prefix + "/states/")
        page.screenshot(path=str(ARTIFACTS / f"overview-states{prefix.replace('/', '-')}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        # The table by regional group fits its column, on a phone too: no sideways scrolling.
        wrap = page.locator(".overview-table .table-wrap")
        assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 1
        # Three states with information in the table, the 192 others collapsed: a short page.
        assert page.locator(".state-table tbody tr").count() == 3
        assert not page.locator("#no-information .name-list").is_visible()
        assert page.evaluate("document.documentElement.scrollHeight") < (3000 if width == 1280 else 5000)
        shape = page.locator('.coverage-figure use[data-iso2="FR"]')
        assert shape.get_attribute("class") == "cov-1"
        map_box = page.locator(".overview-map").bounding_box()
        table_box = page.locator(".overview-table").bounding_box()
        if width == 1280:  # side by side, the map first in reading order
            assert abs(map_box["y"] - table_box["y"]) < 40
            assert (map_box["x"] < table_box["x"]) == (prefix == "")
        else:  # stacked
            assert table_box["y"] > map_box["y"] + map_box["height"] - 1
        page.locator(".state-overview .track-switch a").nth(2).click()
        page.wait_for_url("**map=evidence**")
        assert page.locator('.coverage-figure use[data-iso2="FR"]').get_attribute("class") == "cov-0"
        page.locator("#no-information summary").click()
        assert page.locator("#no-information .name-list").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_events_timeline_draws_the_events_the_filters_keep(site, chromium, prefix, width):
    context, page = open_page(chromium, site, width)
    try:
        page.goto(site + prefix + "/events/")
        figure = page.locator(".events-timeline")
        figure.screenshot(path=str(ARTIFACTS / f"overview-timeline{prefix.replace('/', '-')}-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        assert page.locator(".timeline-svg rect.tl-bar").count() == 68
        box = figure.bounding_box()
        assert box["width"] <= width and box["height"] > 300
        # Bars stay inside the drawing, and time runs in the page's reading direction.
        svg = page.locator(".timeline-svg").bounding_box()
        budapest = page.locator(".timeline-svg rect.tl-bar", has_text="Budapest Process Consultation").first
        first = budapest.bounding_box()
        assert svg["x"] - 1 <= first["x"] and first["x"] + first["width"] <= svg["x"] + svg["width"] + 1
        assert (first["x"] < svg["x"] + svg["width"] / 2) == (prefix == "")
        page.locator("select[name=kind]").select_option("thematic_session")
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_url("**kind=thematic_session**")
        assert page.locator(".timeline-svg rect.tl-bar").count() == 6
        assert page.locator(".timeline-svg .tl-lane").count() == 1
    finally:
        context.close()
