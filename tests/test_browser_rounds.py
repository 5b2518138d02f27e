"""A reporting round in a real browser (headless Debian chromium, Playwright, live server), at
1280 and at 360 px: an editor opens a round from the page (two commitments, France and Kenya);
France's focal point completes it from My work, one status update through the implementation
page and "no change, confirmed" for the other item; the editor's round page, and the public
round page, show France as reported. No page of the flow scrolls sideways on a phone.
Screenshots of My work and the round page, in English and in Arabic, go to test-artifacts/.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.choices import CycleKind, Role, Status
from recommendations.models import Implementation, ReportingRound, ReviewCycle, State
from tests.arrange import setup_writes
from tests.browser import ARTIFACTS, BROWSER, log_in, no_sideways_scroll, serious_violations
from tests.factories import UserFactory

pytestmark = BROWSER

ROW_BUTTON = re.compile(r"^No change, confirmed: ")  # one per item left; the form's own button confirms the ticked


@pytest.fixture
def site(live_server, settings):
    settings.CACHE_SECONDS = 0
    UserFactory(username="secretariat", role=Role.EDITOR)
    UserFactory(username="fp-france", role=Role.FOCAL_POINT, states=[State.objects.get(iso2="FR")])
    with setup_writes():
        ReviewCycle.objects.create(
            slug="regional-review-2026",
            name="Regional review 2026",
            kind=CycleKind.REGIONAL_REVIEW,
            opens_on=datetime.date(2026, 1, 1),
            closes_on=datetime.date(2027, 6, 30),
        )
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


@pytest.mark.parametrize("width", [1280, 360])
def test_an_editor_opens_a_round_and_a_focal_point_completes_it_from_my_work(site, chromium, width):
    def tab():
        return chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True).new_page()

    def shot(page, name):
        page.screenshot(path=str(ARTIFACTS / f"rounds-{width}-{name}.png"), full_page=True)

    deadline = timezone.localdate() + datetime.timedelta(days=21)

    # The editor opens the round from My work's link, through the form.
    editor = tab()
    log_in(editor, site, "secretariat")
    editor.locator("main").get_by_role("link", name="Open a round").first.click()
    no_sideways_scroll(editor)
    editor.get_by_label("Review cycle").select_option(label="Regional review 2026")
    editor.get_by_label("Name:", exact=True).fill("Spring reporting round")
    editor.get_by_label("Deadline").fill(deadline.isoformat())
    editor.get_by_label("Message to the focal points").fill("Please report on commitments 1 and 2 before the review.")
    editor.get_by_role("checkbox", name="1.", exact=False).first.check()
    editor.get_by_role("checkbox", name="2.", exact=False).first.check()
    editor.get_by_text("Western European and other States: choose one by one").click()
    editor.get_by_role("checkbox", name="France", exact=True).check()
    editor.get_by_text("African States: choose one by one").click()
    editor.get_by_role("checkbox", name="Kenya", exact=True).check()
    shot(editor, "1-open-form")
    editor.get_by_role("button", name="Open the round").click()
    assert "Round opened for 2 states" in editor.get_by_role("status").inner_text()
    round = ReportingRound.objects.get(name="Spring reporting round")
    assert sorted(round.states.values_list("iso2", flat=True)) == ["FR", "KE"]
    assert sorted(round.commitments.values_list("number", flat=True)) == [1, 2]
    no_sideways_scroll(editor)

    # France's focal point sees it on My work, with two items left.
    focal = tab()
    log_in(focal, site, "fp-france")
    work = focal.locator("article").filter(has_text="Spring reporting round")
    assert "Please report on commitments 1 and 2" in work.inner_text()
    assert work.get_by_role("button", name=ROW_BUTTON).count() == 2
    no_sideways_scroll(focal)
    shot(focal, "2-my-work")

    # One item by a status update on its implementation page…
    work.get_by_role("link", name="Commitment 1", exact=True).click()
    focal.get_by_label("New status").select_option(Status.IN_PROGRESS)
    focal.get_by_label("Comment").fill("A national plan was adopted in May.")
    focal.get_by_role("button", name="Save the status update").click()
    assert focal.get_by_role("status").inner_text().startswith("Status recorded")
    focal.get_by_role("link", name="My work").first.click()

    # …the other by "no change, confirmed", with a note.
    work = focal.locator("article").filter(has_text="Spring reporting round")
    assert work.get_by_role("button", name=ROW_BUTTON).count() == 1
    work.get_by_label("Note (optional, public)").fill("Nothing has changed since the last report.")
    work.get_by_role("button", name="No change, confirmed: Commitment 2").click()
    assert "1 item confirmed" in focal.get_by_role("status").inner_text()
    work = focal.locator("article").filter(has_text="Spring reporting round")
    assert "Every item is reported in this round" in work.inner_text()
    shot(focal, "3-my-work-done")
    france2 = Implementation.objects.get(state__iso2="FR", commitment__number=2)
    assert france2.round_confirmations.get().note == "Nothing has changed since the last report."

    # The editor's round page shows France as reported, Kenya not started.
    editor.goto(site + reverse("staff:round", args=[round.pk]))
    france = editor.get_by_role("row").filter(has_text="France")
    assert "2 of 2" in france.inner_text()
    assert "0 of 2" in editor.get_by_role("row").filter(has_text="Kenya").inner_text()
    no_sideways_scroll(editor)
    assert serious_violations(editor) == []
    shot(editor, "4-round-page")

    # The public round page shows it too, reached from the round page.
    public = tab()
    public.goto(site + editor.get_by_role("link", name="The round's public page").get_attribute("href"))
    row = public.get_by_role("row").filter(has_text="France").first
    assert "2 of 2" in row.inner_text()
    no_sideways_scroll(public)
    shot(public, "5-public-round")


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_my_work_and_the_round_page_read_well_in_english_and_arabic(site, chromium, width, language):
    """Screenshots to look at, and the checks that need no eyes: nothing scrolls sideways, no serious
    accessibility violation, the page's direction."""
    from recommendations import services
    from tests.rounds_arrange import open_round

    editor = UserFactory(username="round-editor", role=Role.EDITOR)
    today = timezone.localdate()
    round = open_round(
        editor,
        ReviewCycle.objects.get(slug="regional-review-2026"),
        name="Spring reporting round",
        message="Please report on commitments 1, 2 and 3 before the regional review.",
        states=["FR", "KE", "DE", "MX", "PH", "EG"],
        commitments=[1, 2, 3],
        opens_on=today - datetime.timedelta(days=10),
        deadline=today - datetime.timedelta(days=1),  # past: the late flags and the list of who is late show
    )
    france1 = Implementation.objects.get(state__iso2="FR", commitment__number=1)
    services.round_confirm_unchanged(actor=editor, round=round, implementations=[france1])
    for iso2 in ("DE", "MX"):
        items = Implementation.objects.filter(state__iso2=iso2, commitment__number__in=[1, 2, 3])
        services.round_confirm_unchanged(actor=editor, round=round, implementations=list(items))

    prefix = "" if language == "en" else f"/{language}"
    for username, path, name in (
        ("fp-france", "/staff/", "my-work"),
        ("secretariat", f"/staff/rounds/{round.pk}/", "round-page"),
    ):
        page = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True).new_page()
        log_in(page, site, username)
        page.goto(site + prefix + path)
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        no_sideways_scroll(page)
        # The tables fit a phone too, without scrolling inside their box.
        overflow = (
            "() => [...document.querySelectorAll('.staff-round-states, .staff-rows')]"
            ".map(t => t.parentElement.scrollWidth - t.parentElement.clientWidth)"
        )
        assert max(page.evaluate(overflow)) <= 1
        assert serious_violations(page) == []
        page.screenshot(path=str(ARTIFACTS / f"rounds-{language}-{width}-{name}.png"), full_page=True)
        # The part that matters, at its own size (a full phone page is too tall to read shrunk).
        part = page.locator("section.work-rounds" if name == "my-work" else "section[aria-labelledby=states-heading]")
        part.screenshot(path=str(ARTIFACTS / f"rounds-{language}-{width}-{name}-part.png"))
        page.context.close()
