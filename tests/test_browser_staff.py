"""The staff workflow in a real browser (headless Debian chromium, Playwright, live server):
a focal point for France logs in, records "in progress" with a comment and a PDF, cannot open
Kenya's record; an editor verifies and publishes the PDF; the public France page shows it and
the file downloads. Screenshots go to test-artifacts/.
"""

import re
from pathlib import Path

import pytest

from recommendations.choices import Role, Status, Visibility
from recommendations.models import Evidence, Implementation, State
from tests.browser import ARTIFACTS, BROWSER, log_in
from tests.factories import UserFactory, minimal_pdf_bytes

pytestmark = BROWSER


@pytest.fixture
def site(live_server, settings, tmp_path):
    """Live server with the real data a focal point for France and an editor."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHE_SECONDS = 0
    UserFactory(username="fp-france", role=Role.FOCAL_POINT, states=[State.objects.get(iso2="FR")])
    UserFactory(username="secretariat", role=Role.EDITOR)
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def new_tab(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    return context.new_page()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"staff-{name}.png"), full_page=True)


def test_focal_point_reports_with_a_pdf_and_the_editor_publishes_it(site, chromium, tmp_path):
    pdf = tmp_path / "child-protection-bill.pdf"
    pdf.write_bytes(minimal_pdf_bytes("Child protection bill"))
    france3 = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    kenya3 = Implementation.objects.get(state__iso2="KE", commitment__number=3)

    # The focal point logs in, sees their work, and opens France's commitment 3.
    page = new_tab(chromium)
    log_in(page, site, "fp-france")
    assert page.get_by_role("heading", name="My work").is_visible()
    shot(page, "1-my-work")
    page.get_by_role("link", name="All of France").click()
    page.get_by_role("link", name="Commitment 3", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "France · Commitment 3"

    # Records "in progress" with a comment and the PDF, in one submit.
    page.get_by_label("New status").select_option(Status.IN_PROGRESS)
    page.get_by_label("Comment").fill("The bill was tabled in parliament on 3 March.")
    page.locator("#id_new-title").fill("Child protection bill (as tabled)")
    page.locator("#id_new-kind").select_option("law")
    page.locator("#id_new-file").set_input_files(str(pdf))
    shot(page, "2-status-form")
    page.get_by_role("button", name="Save the status update").click()
    assert page.get_by_role("status").inner_text().startswith("Status recorded: In progress")
    shot(page, "3-status-saved")
    france3.refresh_from_db()
    assert france3.status == Status.IN_PROGRESS
    evidence = Evidence.objects.get(implementation=france3)
    assert (evidence.content_type, evidence.visibility) == ("application/pdf", Visibility.STAFF)

    # Kenya's record is out of reach, even by typing its address.
    response = page.goto(site + f"/staff/implementations/{kenya3.pk}/")
    assert response.status == 403

    # Not public yet.
    public = new_tab(chromium)
    public.goto(site + "/states/FR/")
    assert public.get_by_text("Child protection bill (as tabled)").count() == 0

    # An editor verifies and publishes it from the review list.
    editor = new_tab(chromium)
    log_in(editor, site, "secretariat")
    editor.get_by_role("link", name=re.compile("evidence to verify")).click()
    row = editor.get_by_role("row").filter(has_text="Child protection bill (as tabled)")
    shot(editor, "4-evidence-review")
    row.get_by_role("button", name="Verify and publish").click()
    assert "verified and published" in editor.get_by_role("status").inner_text()
    shot(editor, "5-published")
    evidence.refresh_from_db()
    assert (evidence.verified, evidence.visibility) == (True, Visibility.PUBLIC)

    # The public France page shows it, and the file downloads as the PDF that was uploaded.
    public.goto(site + "/states/FR/")
    link = public.locator("#evidence").get_by_role("link", name="Child protection bill (as tabled)")
    assert link.is_visible()
    shot(public, "6-public-state-page")
    with public.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "child-protection-bill.pdf"
    assert Path(download.path()).read_bytes() == pdf.read_bytes()
