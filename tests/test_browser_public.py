"""The public pages in a real browser: headless Debian chromium driven by Playwright, against a
live server. Opens each page type, uses filters with the keyboard and the mouse, follows links,
downloads a CSV, and checks nothing overflows a 360 px wide screen. Screenshots are kept in
test-artifacts/.
"""

import csv
import datetime
import io
import re

import pytest

from recommendations import services
from recommendations.choices import Role, Status, Track
from recommendations.models import Implementation
from tests.browser import ARTIFACTS, BROWSER
from tests.factories import UserFactory

pytestmark = BROWSER

PAGE_TYPES = {
    "dashboard": "/",
    "commitment-list": "/commitments/",
    "commitment-detail": "/commitments/3/",
    "state-list": "/states/",
    "state-detail": "/states/FR/",
    "recommendation-list": "/recommendations/",
    "recommendation-detail": "/recommendations/gfmd-bp-key-03/",
    "event-list": "/events/",
    "event-detail": "/events/thematic-session-1/",
    "document-list": "/events/documents/",
    "document-detail": "/events/documents/gfmd-human-rights-working-session-report/",
}


def add_statuses():
    """A few states report on commitment 3 with published evidence, as staff would record it."""
    editor = UserFactory(username="zq-browser-editor", role=Role.EDITOR)
    for iso2, status in (
        ("FR", Status.IMPLEMENTED),
        ("NG", Status.IMPLEMENTED),
        ("KE", Status.IN_PROGRESS),
        ("BR", Status.PARTIALLY_IMPLEMENTED),
    ):
        implementation = Implementation.objects.get(state__iso2=iso2, commitment__number=3)
        evidence = services.evidence_add(
            implementation=implementation,
            actor=editor,
            title=f"Child protection act of {iso2}",
            kind="law",
            url=f"https://example.org/{iso2}/act",
            date=datetime.date(2022, 5, 1),
        )
        services.evidence_verify(evidence=evidence, actor=editor, publish=True)
        services.implementation_set_status(
            implementation=implementation,
            status=status,
            actor=editor,
            comment="staff only",
            rationale=f"The act of {iso2} is in force.",
            evidence=[evidence],
        )
    france = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    services.implementation_set_status(
        implementation=france,
        status=Status.PARTIALLY_IMPLEMENTED,
        actor=editor,
        comment="review",
        rationale="Regulations are pending.",
        evidence=list(france.evidence.all()),
        track=Track.ASSESSED,
    )


@pytest.fixture
def site(live_server, settings):
    """The live server with the real data and some statuses."""
    settings.CACHE_SECONDS = 0
    add_statuses()
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


@pytest.fixture
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"public-{name}.png"), full_page=True)


def test_every_page_type_opens_and_fits_a_360_px_screen(site, chromium):
    for width in (1280, 360):
        context = chromium.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for name, path in PAGE_TYPES.items():
            response = page.goto(site + path)
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
            shot(page, f"{name}-{width}")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
        context.close()


def test_a_visitor_finds_which_states_implemented_commitment_3_and_on_what_evidence(site, tab):
    tab.goto(site + "/")
    tab.get_by_role("link", name="3. End child immigration detention and protect migrant children").first.click()
    tab.wait_for_url(re.compile(re.escape("/commitments/3/") + "$"))
    tab.get_by_label("Reported status").select_option("implemented")
    tab.get_by_role("button", name="Apply filters").click()
    tab.wait_for_url(re.compile("status=implemented"))  # waits for the filtered page to load
    rows = tab.locator("table.implementations tbody tr")
    assert sorted(rows.locator("th").all_inner_texts()) == ["France", "Nigeria"]
    shot(tab, "commitment-3-implemented")
    france = rows.filter(has_text="France")
    assert "differs from the report" in france.inner_text()
    france.get_by_role("link", name=re.compile("1 pieces of evidence")).click()
    tab.wait_for_url(re.compile(re.escape("&evidence_of=FR#evidence") + "$"))
    assert "status=implemented" in tab.url  # the link keeps the table's filter (issue 19)
    assert tab.get_by_text("Evidence from France only.").is_visible()
    assert tab.locator("#evidence ul.evidence").inner_text().startswith("Child protection act of FR")
    tab.get_by_role("link", name="France", exact=True).last.click()
    tab.wait_for_url(re.compile(re.escape("/states/FR/") + "$"))
    assert tab.get_by_text("The act of FR is in force.").is_visible()
    shot(tab, "state-france")


def test_the_world_map_draws_each_state_from_the_shared_geometry_file_in_its_status_colour(site, tab):
    tab.goto(site + "/commitments/3/")
    france = tab.locator(".map-svg use[data-iso2=FR]")
    # The shape is in static/map/world.svg, not in the page: an empty box means it did not load.
    assert france.evaluate("use => use.getBBox().width") > 0
    assert france.get_attribute("class") == "fill-implemented"
    swatch = tab.locator(".map-figure .chart-legend .swatch.fill-implemented")
    fill = france.evaluate("use => getComputedStyle(use).fill")
    assert fill == swatch.evaluate("swatch => getComputedStyle(swatch).backgroundColor")


def test_a_visitor_downloads_the_filtered_table_as_csv(site, tab):
    tab.goto(site + "/commitments/3/?regional_group=african")
    with tab.expect_download() as download_info:
        tab.get_by_role("link", name="CSV (this table)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("commitment-3-states-")
    target = ARTIFACTS / "public-commitment-3-african.csv"
    download.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 54
    assert {row["regional_group"] for row in rows} == {"african"}
    kenya = next(row for row in rows if row["state_iso2"] == "KE")
    assert kenya["reported_status"] == "in_progress" and kenya["public_evidence_count"] == "1"


def test_a_visitor_finds_gfmd_recommendations_of_2012_on_discrimination(site, tab):
    tab.goto(site + "/recommendations/")
    tab.get_by_label("Theme").select_option("issue-area-c")
    tab.get_by_label("Year first made").fill("2012")
    tab.get_by_label("Year first made").press("Enter")
    assert tab.get_by_text("3 recommendations match.").is_visible()
    shot(tab, "recommendations-2012-discrimination")
    tab.get_by_role("link", name=re.compile(r"Details \(gfmd-bp-key-03\)")).click()
    tab.wait_for_url(re.compile(re.escape("/recommendations/gfmd-bp-key-03/") + "$"))
    tab.locator(".facts a[href$='#rec-gfmd-bp-key-03']").click()
    tab.wait_for_url(re.compile(re.escape("#rec-gfmd-bp-key-03") + "$"))
    assert tab.locator("#rec-gfmd-bp-key-03").is_visible()


def test_the_keyboard_reaches_the_content_and_the_filters(site, tab):
    tab.goto(site + "/states/")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Skip to content"
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile("#main$"))  # the fragment is applied after the key press returns
    tab.get_by_label("Regional group", exact=True).focus()
    tab.keyboard.press("ArrowDown")  # from "Any" to the first group
    for _ in range(10):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.textContent") == "Apply filters":
            break
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile("regional_group=african"))
    assert tab.locator(".state-table tbody tr").count() == 54


def test_the_events_timeline_filters_and_leads_to_an_event_and_its_documents(site, tab):
    tab.goto(site + "/events/")
    tab.get_by_label("Kind").select_option("thematic_session")
    tab.get_by_role("button", name="Apply filters").click()
    tab.wait_for_url(re.compile("kind=thematic_session"))
    kinds = tab.locator(".timeline .muted").all_inner_texts()
    assert kinds and all(kind.startswith("Informal thematic session") for kind in kinds)
    shot(tab, "events-thematic")
    tab.goto(site + "/events/?q=Conference&year=2018")
    # In the list (the timeline's table, collapsed above it, holds the same words).
    assert tab.locator(".timeline").get_by_text("September - TBA").first.is_visible()
    assert tab.locator(".timeline").get_by_text("to be confirmed").first.is_visible()
    tab.goto(site + "/events/")
    tab.get_by_label("Sources disagree").select_option("true")
    tab.get_by_role("button", name="Apply filters").click()
    tab.wait_for_url(re.compile("sources_differ=true"))
    tab.locator(".timeline a.flag-differ").first.click()
    assert tab.get_by_role("heading", name="How the 2 listings give it, side by side").is_visible()
    shot(tab, "event-listings-side-by-side")
    tab.goto(site + "/events/thematic-session-1/")
    assert tab.get_by_role("heading", name="Agenda").is_visible()
    shot(tab, "event-thematic-session-1")
