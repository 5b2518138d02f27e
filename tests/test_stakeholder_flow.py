"""The stakeholder flow of issue 20's "Done when", end to end through the pages themselves (the
browser test walks the same pages in chromium; this one runs on both databases): an organisation
registers, its contributor confirms the email address, cannot submit before an editor approves
the organisation from the queue, submits a report with a file, the editor opens the file from the
queue and approves it; then it is the third voice on /states/FR/ and /commitments/1/, in the
disagreements view, the feeds, the API (its list and the implementation's detail), the search and
the downloads, by the organisation's name, and its file downloads for anyone."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from recommendations import services
from recommendations.choices import ReportStatus, Status
from recommendations.models import Implementation, Organisation, StakeholderEvidence, StakeholderReport
from tests.arrange import setup_writes
from tests.factories import minimal_pdf_bytes
from tests.test_stakeholder_surfaces import many_published

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase for tests"
NAME = "Observatory of the Coast"
NARRATIVE = "Only part of the new law is in force."


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHE_SECONDS = 0


def queue_version(html: str, action: str) -> str:
    form = html[html.index(f'action="{action}"') :]
    return re.search(r'name="version" value="(\d+)"', form).group(1)


def test_a_contributor_registers_reports_and_the_editor_publishes_it_everywhere(client, editor):
    # Register, then confirm from the email's link (a form: opening the link confirms nothing).
    response = client.post(
        "/stakeholders/register/",
        {
            "name": NAME,
            "kind": "ngo",
            "country": "KE",
            "username": "coast",
            "email": "coast@example.org",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200 and "coast@example.org" in response.text
    link = urlsplit(re.search(r"http\S+/stakeholders/confirm/\S+/", mail.outbox[-1].body).group(0)).path
    assert client.get(link).status_code == 200
    assert "confirmed" in client.post(link).text

    # The contributor logs in to their submissions; before the organisation's approval, no report.
    response = client.post("/accounts/login/", {"username": "coast", "password": PASSWORD})
    assert response.status_code == 302 and response.url.endswith("/stakeholders/mine/")
    refused = client.post(
        "/stakeholders/reports/new/",
        {"state": "FR", "commitment": "1", "assessment": Status.PARTIALLY_IMPLEMENTED, "narrative": NARRATIVE},
    )
    assert refused.status_code == 403 and StakeholderReport.objects.count() == 0

    # The editor approves the organisation from the queue.
    secretariat = Client()
    secretariat.force_login(editor)
    organisation = Organisation.objects.get(name=NAME)
    action = f"/staff/stakeholders/organisations/{organisation.pk}/"
    html = secretariat.get("/staff/stakeholders/").text
    assert NAME in html
    response = secretariat.post(action, {"decision": "approve", "version": queue_version(html, action)})
    assert response.status_code == 302
    assert "approved" in mail.outbox[-1].body.lower() or "approved" in mail.outbox[-1].subject.lower()

    # A report with a link and a PDF.
    upload = SimpleUploadedFile("coast-findings.pdf", minimal_pdf_bytes("Findings"), content_type="application/pdf")
    response = client.post(
        "/stakeholders/reports/new/",
        {
            "state": "FR",
            "commitment": "1",
            "assessment": Status.PARTIALLY_IMPLEMENTED,
            "narrative": NARRATIVE,
            "links": "https://example.org/coast",
            "files": [upload],
        },
    )
    assert response.status_code == 302 and response.url.endswith("/stakeholders/mine/")
    report = StakeholderReport.objects.get()
    file_url = StakeholderEvidence.objects.get(report=report, url="").get_download_url()
    assert "Submitted, waiting for moderation" in client.get("/stakeholders/mine/").text

    # Not public yet: not on a page, not its file.
    public = Client()
    assert NARRATIVE not in public.get("/states/FR/").text
    assert public.get(file_url).status_code == 404

    # The editor opens the file from the queue, then approves the report.
    html = secretariat.get("/staff/stakeholders/").text
    assert NARRATIVE in html and f'href="{file_url}"' in html
    assert secretariat.get(file_url).status_code == 200
    action = f"/staff/stakeholders/reports/{report.pk}/"
    response = secretariat.post(action, {"decision": "approve", "version": queue_version(html, action)})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.published_at
    assert mail.outbox[-1].to == ["coast@example.org"] and "published" in mail.outbox[-1].subject

    # France reports planned: the organisation's "partially implemented" differs.
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=1)
    services.implementation_set_status(
        implementation=implementation, status=Status.PLANNED, actor=editor, comment="A plan."
    )

    for path in ("/states/FR/", "/commitments/1/"):
        page = public.get(path).text
        assert NARRATIVE in page and NAME in page and "coast@example.org" not in page and ">coast<" not in page
        assert f'href="{file_url}"' in page
        download = public.get(path, {"format": "csv", "list": "stakeholders"}).content.decode()
        assert NAME in download and "partially_implemented" in download
    disagreements = public.get("/disagreements/").text
    assert NAME in disagreements
    for path in ("/feeds/changes.atom", "/feeds/states/FR.atom", "/feeds/commitments/1.atom"):
        feed = public.get(path).text
        assert NARRATIVE in feed and NAME in feed and "coast@example.org" not in feed
    listed = public.get("/api/v1/stakeholder-reports/", {"state": "FR", "commitment": 1}).json()["results"]
    assert [row["organisation"] for row in listed] == [NAME]
    detail = public.get(f"/api/v1/implementations/{implementation.pk}/").json()
    assert detail["status"] == Status.PLANNED
    assert [voice["organisation"] for voice in detail["stakeholder_reports"]] == [NAME]
    assert "coast@example.org" not in str(detail)
    assert public.get("/search/", {"q": "new law"}).context["groups"][-1]["group"].total == 1
    assert public.get(file_url).status_code == 200


def test_the_queue_lists_the_waiting_reports_a_page_at_a_time_oldest_first(client, editor):
    def waiting(count):
        rows = many_published(count, narrative="Waiting report {n}.")
        with setup_writes():
            StakeholderReport.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=ReportStatus.SUBMITTED, published_at=None
            )

    def read(page):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/staff/stakeholders/", {"page": page})
        assert response.status_code == 200
        return response, len(queries)

    client.force_login(editor)
    waiting(3)
    _, few = read(1)
    waiting(117)
    first, more = read(1)
    assert few == more
    reports = first.context["reports"]
    assert reports.paginator.count == 120 and len(reports) == 50 and "page=2" in first.text
    assert reports[0].narrative == "Waiting report 0." and "(120)" in first.text
    last, _ = read(3)
    assert len(last.context["reports"]) == 20
    # nothing waiting is public
    assert "Waiting report" not in Client().get("/states/FR/").text
