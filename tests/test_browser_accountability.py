"""In a real browser: a visitor finds where a state's report and the secretariat's assessment
disagree for one commitment, which records are out of date, and a corridor's states side by side."""

import datetime
import re

import pytest
from django.utils import timezone

from recommendations import services
from recommendations.choices import CorridorRole, Role, Status, Track
from recommendations.models import Corridor, CorridorState, Evidence, Implementation, State
from tests.browser import ARTIFACTS, BROWSER, serious_violations
from tests.factories import UserFactory

pytestmark = BROWSER


@pytest.fixture
def site(live_server, settings):
    settings.CACHE_SECONDS = 0
    editor = UserFactory(username="zq-acc-editor", role=Role.EDITOR)
    old = timezone.now() - datetime.timedelta(days=settings.OUT_OF_DATE_AFTER_DAYS + 60)
    for iso2, reported, assessed in (
        ("NE", Status.IN_PROGRESS, Status.PLANNED),
        ("LY", Status.PLANNED, Status.PLANNED),
        ("IT", Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED),
    ):
        implementation = Implementation.objects.get(state__iso2=iso2, commitment__number=6)
        evidence = services.evidence_add(
            implementation=implementation,
            actor=editor,
            title=f"Firewall rule {iso2}",
            kind="policy",
            url=f"https://example.org/{iso2}",
        )
        services.evidence_verify(evidence=evidence, actor=editor, publish=True)
        if iso2 == "IT":  # evidenced long ago: the record has gone out of date
            Evidence.objects.filter(pk=evidence.pk).update(published_at=old)
        services.implementation_set_status(
            implementation=implementation,
            status=reported,
            actor=editor,
            comment="c",
            rationale="Reported.",
            evidence=[evidence],
        )
        services.implementation_set_status(
            implementation=implementation,
            status=assessed,
            actor=editor,
            comment="c",
            rationale="Assessed.",
            evidence=[evidence],
            track=Track.ASSESSED,
        )
    corridor = Corridor.objects.create(slug="central-mediterranean", name="Central Mediterranean route")
    for order, (iso2, role) in enumerate(
        (("NE", CorridorRole.ORIGIN), ("LY", CorridorRole.TRANSIT), ("IT", CorridorRole.DESTINATION)), start=1
    ):
        CorridorState.objects.create(corridor=corridor, state=State.objects.get(iso2=iso2), role=role, order=order)
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def test_a_visitor_finds_where_report_and_assessment_disagree_on_a_commitment(site, chromium):
    page = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()
    page.goto(site + "/")
    page.get_by_role("link", name="Disagreements").first.click()
    page.get_by_label("Commitment").select_option(value="6")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile("commitment=6"))  # the filtered page, loaded
    rows = page.locator("table tbody tr")
    names = rows.locator("th").all_inner_texts()
    assert any("Niger" in n for n in names) and any("Italy" in n for n in names)
    assert not any("Libya" in n for n in names)  # report and assessment agree there
    assert page.locator("table .flag-warn").count() == 1  # Italy's evidence is old
    page.screenshot(path=str(ARTIFACTS / "disagreements-commitment-6.png"), full_page=True)
    assert serious_violations(page) == []
    page.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_a_visitor_reads_a_corridor_side_by_side(site, chromium, width):
    page = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True).new_page()
    page.goto(site + "/corridors/")
    page.get_by_role("link", name="Central Mediterranean route").click()
    headers = page.locator("table.corridor thead th").all_inner_texts()
    assert [h.split("\n")[0] for h in headers[1:]] == ["Niger", "Libya", "Italy"]
    row = page.locator("table.corridor tbody tr").nth(5)  # commitment 6
    assert "6." in row.locator("th").inner_text()
    cells = row.locator("td").all_inner_texts()
    assert "In progress" in cells[0] and "Planned" in cells[1] and "Implemented" in cells[2]
    assert "out of date" in cells[2]
    page.screenshot(path=str(ARTIFACTS / f"corridor-{width}.png"), full_page=True)
    assert serious_violations(page) == []
    page.close()
