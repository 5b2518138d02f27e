"""What tripped a newcomer (issue 19), where it is visual or about navigation: in headless Debian
chromium against a live server. Screenshots go to test-artifacts/newcomer-*.png."""

import datetime
import re

import pytest

from recommendations import services
from recommendations.choices import Role, Status, Track
from recommendations.models import Implementation
from tests.browser import ARTIFACTS, BROWSER, log_in
from tests.factories import UserFactory

pytestmark = BROWSER


@pytest.fixture
def site(live_server, settings):
    """The real data, Chad and Kenya disagreeing with the secretariat on commitment 3."""
    settings.CACHE_SECONDS = 0
    editor = UserFactory(username="zq-newcomer-editor", role=Role.EDITOR)
    for iso2 in ("TD", "KE"):
        implementation = Implementation.objects.get(state__iso2=iso2, commitment__number=3)
        evidence = services.evidence_add(
            implementation=implementation,
            actor=editor,
            title=f"Act of {iso2}",
            kind="law",
            url=f"https://example.org/{iso2}",
            date=datetime.date(2021, 1, 1),
        )
        services.evidence_verify(evidence=evidence, actor=editor, publish=True)
        services.implementation_set_status(
            implementation=implementation,
            status=Status.IMPLEMENTED,
            actor=editor,
            comment="c",
            rationale="In force.",
            evidence=[evidence],
        )
        services.implementation_set_status(
            implementation=implementation,
            status=Status.PLANNED,
            actor=editor,
            comment="c",
            track=Track.ASSESSED,
        )
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


@pytest.fixture
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"newcomer-{name}.png"), full_page=True)


def test_the_disagreements_table_gives_the_state_and_its_group_apart(site, tab):
    tab.goto(site + "/disagreements/")
    row = tab.locator("tbody tr").filter(has_text="Chad")
    assert row.locator("th").inner_text() == "Chad"
    assert "African States" in row.locator("td").first.inner_text()
    assert tab.locator("thead th").nth(1).inner_text() == "Regional group"
    shot(tab, "disagreements")


def test_the_date_fields_hint_does_not_contradict_what_the_field_shows(site, tab):
    tab.goto(site + "/")
    field = tab.get_by_label("Show statuses as of")
    assert field.get_attribute("type") == "date"  # the browser writes the date in the reader's format
    hint = tab.locator("#" + field.get_attribute("aria-describedby").split()[0]).inner_text()
    assert "YYYY" not in hint and "yyyy" not in hint.lower()
    field.fill("2019-01-01")
    tab.get_by_role("button", name="Show").click()
    tab.wait_for_url(re.compile("as_of=2019-01-01"))
    assert "0 of 195 states had published evidence" in tab.locator(".key-figure").inner_text()


def test_no_page_asks_for_a_missing_icon_and_the_api_docs_run_under_the_csp(site, tab):
    failures, errors = [], []
    tab.on("response", lambda r: failures.append(r.url) if r.status >= 400 else None)
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(site + "/")
    tab.goto(site + "/favicon.ico")
    tab.goto(site + "/api/docs/")
    tab.locator(".opblock").first.wait_for()
    tab.wait_for_timeout(300)
    assert failures == [] and errors == []
    shot(tab, "api-docs")


def test_the_api_docs_show_a_padlock_on_the_writes_only(site, tab):
    tab.goto(site + "/api/docs/")
    tab.locator(".opblock").first.wait_for()
    reads = tab.locator(".opblock-get")
    assert reads.count() > 10
    assert reads.locator(".authorization__btn").count() == 0
    writes = tab.locator(".opblock-post, .opblock-patch, .opblock-put")
    assert writes.count() > 0
    assert writes.locator(".authorization__btn").count() == writes.count()


def test_corridors_leave_the_main_menu_for_the_footer(site, tab):
    tab.goto(site + "/")
    assert tab.get_by_role("navigation", name="Main").get_by_role("link", name="Corridors").count() == 0
    tab.locator(".site-footer").get_by_role("link", name="Migration corridors").click()
    tab.wait_for_url(re.compile("/corridors/$"))
    assert "The source documents name none" in tab.locator("main").inner_text()


def test_the_admin_implementation_list_shows_every_column_at_1280_px(site, tab):
    admin = UserFactory(username="zq-newcomer-admin", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    assert log_in(tab, site, admin.username) == "second factor given"
    tab.goto(site + "/admin/recommendations/implementation/")
    results = tab.locator("#changelist .results")
    box = results.bounding_box()
    for column in ("column-owner", "column-lead_agency", "column-due_date", "column-last_reviewed"):
        header = tab.locator(f"#result_list th.{column}").bounding_box()
        assert header["x"] + header["width"] <= box["x"] + box["width"] + 1, column
    assert results.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    shot(tab, "admin-implementations")
