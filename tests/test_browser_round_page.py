"""A reporting round's public page in a real browser (issue 20, item 3), in English and Arabic, on a
wide and a phone screen, with JavaScript off: the map of how far each state got and the tables by
regional group under it, nothing scrolling sideways on a phone. Screenshots go to
test-artifacts/round-*.png."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from recommendations import services
from recommendations.choices import CycleKind, Role, Status
from recommendations.models import Commitment, Implementation, ReviewCycle, State
from tests.browser import ARTIFACTS, BROWSER, serious_violations
from tests.factories import UserFactory

pytestmark = BROWSER

DAY = datetime.timedelta(days=1)
# Twelve states over the five groups: some reported every item, some part, some nothing yet.
STATES = ("FR", "DE", "SE", "KE", "NG", "EG", "BR", "MX", "PH", "TH", "PL", "UA")
REPORTED = {"FR": 3, "KE": 3, "BR": 3, "DE": 1, "PH": 2, "PL": 1, "MX": 2}


@pytest.fixture
def site(live_server, settings):
    settings.CACHE_SECONDS = 0
    call_command("compilemessages", ignore=[".venv"], verbosity=0)
    editor = UserFactory(username="zq-round-browser", role=Role.EDITOR)
    today = timezone.localdate()
    cycle = ReviewCycle.objects.create(
        slug="t-browser",
        name="T browser review",
        kind=CycleKind.REVIEW_FORUM,
        opens_on=today - 30 * DAY,
        closes_on=today + 60 * DAY,
    )
    services.round_open(
        actor=editor,
        cycle=cycle,
        name="Reporting before the review forum",
        slug="t-browser-round",
        opens_on=today - 7 * DAY,
        deadline=today + 14 * DAY,
        message="Please update commitments 1 to 3 before the forum.",
        commitments=list(Commitment.objects.filter(number__in=(1, 2, 3))),
        states=list(State.objects.filter(iso2__in=STATES)),
    )
    for iso2, items in REPORTED.items():
        for number in range(1, items + 1):
            services.implementation_set_status(
                implementation=Implementation.objects.get(state__iso2=iso2, commitment__number=number),
                status=Status.IN_PROGRESS,
                actor=editor,
                comment="c",
                rationale="Reported.",
            )
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_round_page_shows_the_map_and_the_tables_and_fits_a_phone(site, chromium, prefix, width):
    # Without JavaScript, as a reader may have it; axe's check needs it, in a context of its own below.
    context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + prefix + "/rounds/t-browser-round/")
        page.screenshot(path=str(ARTIFACTS / f"round{prefix.replace('/', '-')}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        figure = page.locator(".round-figure svg")
        assert figure.is_visible() and figure.bounding_box()["width"] > width * 0.6
        assert page.locator('.round-figure use[data-iso2="FR"]').get_attribute("class") == "round-reported"
        assert page.locator('.round-figure use[data-iso2="DE"]').get_attribute("class") == "round-partly"
        assert page.locator('.round-figure use[data-iso2="SE"]').get_attribute("class") == "round-not_started"
        tables = page.locator(".round-states .round-table")
        assert tables.count() == 5
        for index in range(5):
            wrap = page.locator(".round-states .round-group").nth(index)
            assert wrap.is_visible()
            assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 1  # no sideways scrolling
        france = page.locator(".round-table tr", has=page.locator('a[href$="/states/FR/"]'))
        assert france.locator("progress").is_visible()
        name, count = france.locator("th").bounding_box(), france.locator("td").first.bounding_box()
        assert (name["x"] > count["x"]) == (prefix == "/ar")  # the state first in reading order
    finally:
        context.close()
    checked = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    try:
        page = checked.new_page()
        page.goto(site + prefix + "/rounds/t-browser-round/")
        assert serious_violations(page) == []
    finally:
        checked.close()


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_round_list_the_cycle_page_and_the_state_report_fit_a_phone(site, chromium, prefix, width):
    context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    try:
        for name, path, shown in (
            ("list", "/rounds/", ".round-list .round-bar"),
            ("cycle", "/cycles/t-browser/", ".cycle-rounds h3"),
            ("state-report", "/cycles/t-browser/states/PH/", ".state-rounds .round-bar"),
        ):
            page.goto(site + prefix + path)
            shot = ARTIFACTS / f"round-{name}{prefix.replace('/', '-')}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
            assert page.locator(shown).first.is_visible(), path
            for wrap in page.locator("main .table-wrap.round-group").all():
                assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 1, path
    finally:
        context.close()
