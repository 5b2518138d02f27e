"""axe-core, run in headless chromium on every public page type, finds no serious or critical
violation, on a wide screen and on a 360 px phone.

axe-core is vendored in tests/vendor/axe.min.js (MPL-2.0, licence beside it) so the tests need no
network. The pages forbid inline scripts (CSP); the browser context bypasses CSP so axe can be
injected, which changes nothing axe measures.
"""

import datetime
import json

import pytest

from recommendations import services
from recommendations.choices import Role, Status, Track
from recommendations.models import Implementation
from tests.browser import ARTIFACTS, BROWSER, serious_violations
from tests.factories import UserFactory

pytestmark = BROWSER

# Every page type, some in the states a visitor brings them to (filtered, sorted, emptied, erred).
PAGES = [
    "/",
    "/?track=assessed",
    "/commitments/",
    "/commitments/3/",
    "/commitments/3/?status=implemented&sort=-evidence",
    "/commitments/3/?status=not-a-status",
    "/states/",
    "/ar/states/?map=evidence",
    "/ar/events/",
    "/states/FR/",
    "/recommendations/",
    "/recommendations/?theme=issue-area-c&year=2012",
    "/recommendations/?q=nothing-matches-this",
    "/recommendations/gfmd-bp-key-03/",
    "/events/",
    "/events/?kind=gfmd",
    "/events/thematic-session-1/",
    "/events/thematic-session-6/",
    "/events/?sources_differ=true",
    "/events/gfmd-working-session-human-rights/",
    "/events/documents/",
    "/events/documents/issue-brief-1/",
    "/events/documents/gfmd-human-rights-working-session-report/",
    "/events/documents/main-preparatory-events/",
    "/events/documents/a-71-278/",
    "/disagreements/",
    "/disagreements/?regional_group=african",
    "/corridors/",
    "/about/",
    "/ar/about/",
    "/search/?q=detention",
    "/ar/search/?q=migrants",
    "/stakeholders/register/",
    "/ar/stakeholders/register/",
]


@pytest.fixture
def site(live_server, settings):
    """The real data, with every status badge and flag the pages can show."""
    settings.CACHE_SECONDS = 0
    editor = UserFactory(username="zq-a11y-editor", role=Role.EDITOR)
    for iso2, status in zip(("FR", "KE", "BR", "IN", "NG", "DE"), Status.values[1:], strict=True):
        implementation = Implementation.objects.get(state__iso2=iso2, commitment__number=3)
        evidence = services.evidence_add(
            implementation=implementation,
            actor=editor,
            title=f"Act of {iso2}",
            kind="law",
            url=f"https://example.org/{iso2}",
            date=datetime.date(2020, 1, 1),
        )
        services.evidence_verify(evidence=evidence, actor=editor, publish=True)
        services.implementation_set_status(
            implementation=implementation,
            status=status,
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


@pytest.mark.parametrize("width", [1280, 360])
def test_no_page_has_a_serious_or_critical_accessibility_violation(site, chromium, width):
    context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in PAGES:
        response = page.goto(site + path)
        assert response.status == 200, path
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    context.close()
    report = ARTIFACTS / f"axe-public-{width}.json"
    report.write_text(json.dumps(found, indent=1))
    assert not found, json.dumps(found, indent=1)
