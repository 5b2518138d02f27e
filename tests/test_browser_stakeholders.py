"""The stakeholder flow in a real browser (headless Debian chromium, Playwright, live server), at
1280 and at 360 px: an organisation registers, its contributor confirms the email address from
the link sent, an editor approves the organisation, the contributor submits a report with a PDF,
the editor approves it from the queue, and the public France and commitment 1 pages show it as
the third voice, by the organisation's name. No page of the flow scrolls sideways on a phone.
Screenshots go to test-artifacts/.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from recommendations.choices import ReportStatus, Role
from recommendations.models import StakeholderReport
from tests.browser import ARTIFACTS, BROWSER, log_in, no_sideways_scroll
from tests.factories import UserFactory, minimal_pdf_bytes

pytestmark = BROWSER

PASSWORD = "a long passphrase for tests"


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHE_SECONDS = 0
    UserFactory(username="secretariat", role=Role.EDITOR)
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


@pytest.mark.parametrize("width", [1280, 360])
def test_a_contributor_registers_reports_and_the_editor_publishes_it(site, chromium, tmp_path, width):
    def tab():
        return chromium.new_context(viewport={"width": width, "height": 900}).new_page()

    def shot(page, name):
        page.screenshot(path=str(ARTIFACTS / f"stakeholders-{width}-{name}.png"), full_page=True)

    # Registration, then the confirmation link from the email.
    page = tab()
    page.goto(site + "/stakeholders/register/")
    no_sideways_scroll(page)
    page.get_by_label("Name of the organisation").fill("Observatory of Migrants' Rights")
    page.get_by_label("Kind of stakeholder").select_option("ngo")
    page.get_by_label("Country").select_option("KE")
    page.get_by_label("User name").fill("observer")
    page.get_by_label("Email address").fill("observer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    shot(page, "1-register")
    page.get_by_role("button", name="Register").click()
    assert "observer@example.org" in page.get_by_role("status").inner_text()
    link = re.search(r"http\S+/stakeholders/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(site + urlsplit(link).path)
    page.get_by_role("button", name="Confirm my email address").click()
    assert "confirmed" in page.get_by_role("status").inner_text()

    # An editor approves the organisation from the queue.
    editor = tab()
    log_in(editor, site, "secretariat")
    editor.goto(site + "/staff/stakeholders/")
    card = editor.locator("section").filter(has_text="Observatory of Migrants' Rights")
    card.get_by_role("button", name="Approve").click()
    assert "Decision saved" in editor.get_by_role("status").inner_text()

    # The contributor logs in to their submissions and submits a report with a PDF.
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill("observer")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/stakeholders/mine/$"))
    page.get_by_role("link", name="Submit a stakeholder report").click()
    no_sideways_scroll(page)
    pdf = tmp_path / "findings.pdf"
    pdf.write_bytes(minimal_pdf_bytes("Findings"))
    page.get_by_label("State (ISO code, e.g. FR)").fill("FR")
    page.get_by_label("Commitment number").fill("1")
    page.get_by_label("Your organisation's assessment").select_option("partially_implemented")
    page.get_by_label("Narrative").fill("Only part of the law is in force.")
    page.get_by_label("Links").fill("https://example.org/findings")
    page.get_by_label("Files").set_input_files(str(pdf))
    shot(page, "2-report-form")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/stakeholders/mine/$"))
    assert page.get_by_text("Submitted, waiting for moderation").is_visible()
    no_sideways_scroll(page)
    shot(page, "3-my-submissions")

    # Not public yet; the editor approves it; then both pages show it.
    public = tab()
    public.goto(site + "/states/FR/")
    assert public.locator("#stakeholders").get_by_text("Only part of the law is in force.").count() == 0
    editor.goto(site + "/staff/stakeholders/")
    editor.locator("section").filter(has_text="Only part of the law is in force.").get_by_role(
        "button", name="Approve"
    ).click()
    assert StakeholderReport.objects.get().status == ReportStatus.APPROVED
    for path in ("/states/FR/", "/commitments/1/"):
        public.goto(site + path)
        voices = public.locator("#stakeholders")
        assert voices.get_by_text("Only part of the law is in force.").is_visible()
        assert voices.get_by_text("Observatory of Migrants' Rights").is_visible()
        assert "observer" not in voices.inner_text().lower().replace("observatory", "")
        no_sideways_scroll(public)
    shot(public, "4-commitment-page")
