"""Stakeholder reports on the public pages (issue 20): an approved report is the third voice on
/states/FR/ and /commitments/1/, by the organisation's name and never a person's, with a summary
when several organisations report on the same pair; an unapproved one (submitted, changes asked,
rejected, or of an organisation rejected later) reaches no page, cached page, file download or
as-of page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from recommendations import services
from recommendations.choices import Status
from recommendations.models import StakeholderEvidence
from tests import cache_backends
from tests.factories import minimal_pdf_bytes
from tests.test_stakeholders import _token

pytestmark = pytest.mark.django_db

PAGES = ("/states/FR/", "/commitments/1/")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shared_cache(db):
    switched = cache_backends.use(cache_backends.LOCAL_MEMORY)
    yield
    switched.disable()


def submitted(contributor, narrative="Only part of the law is in force."):
    upload = SimpleUploadedFile("findings.pdf", minimal_pdf_bytes(), content_type="application/pdf")
    return services.report_submit(
        actor=contributor,
        state="FR",
        commitment=1,
        assessment=Status.PARTIALLY_IMPLEMENTED,
        narrative=narrative,
        links=[services.Link(url="https://example.org/findings", title="Our findings")],
        files=[upload],
    )


def second_organisation(editor):
    other = services.organisation_register(
        name="Second Voice", kind="academic", username="second", email="second@example.org", password="long pass 1234!"
    )
    services.contributor_confirm_email(**_token(other.user))
    services.organisation_moderate(actor=editor, organisation=other.organisation, approve=True)
    return type(other.user).objects.get(pk=other.user.pk)


def file_url(report):
    return StakeholderEvidence.objects.get(report=report, url="").get_download_url()


@pytest.mark.parametrize("decision", [None, "changes", "reject"])
def test_an_unapproved_report_reaches_no_public_page_nor_its_file(client, contributor, editor, decision):
    report = submitted(contributor, narrative="Unpublished finding.")
    if decision:
        services.report_moderate(actor=editor, report=report, decision=decision, reason="Not yet.")
    for path in PAGES:
        page = client.get(path).text
        assert "Unpublished finding." not in page and "Observatory of Migrants" not in page
    assert client.get(file_url(report)).status_code == 404
    client.force_login(contributor)  # its own organisation may download it
    assert client.get(file_url(report)).status_code == 200


def test_an_approved_report_is_the_third_voice_by_the_organisations_name_only(client, contributor, editor):
    report = submitted(contributor)
    services.report_moderate(actor=editor, report=report, decision="approve")
    for path in PAGES:
        page = client.get(path).text
        assert "Only part of the law is in force." in page and "Observatory of Migrants" in page
        assert "Secretariat" in page and "Partially implemented" in page
        assert "contributor@example.org" not in page and ">contributor<" not in page
        assert "Our findings" in page and "(example.org)" in page and file_url(report) in page
    download = client.get(file_url(report))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_several_organisations_on_the_same_pair_get_a_summary(client, contributor, editor):
    services.report_moderate(actor=editor, report=submitted(contributor), decision="approve")
    other = second_organisation(editor)
    report = services.report_submit(
        actor=other, state="FR", commitment=1, assessment=Status.IN_PROGRESS, narrative="Work is under way."
    )
    services.report_moderate(actor=editor, report=report, decision="approve")
    page = client.get("/states/FR/").text
    assert "2 organisations report:" in page
    assert "Partially implemented (1)" in page and "In progress (1)" in page


def test_cached_pages_show_the_approval_and_drop_a_rejected_organisations_reports(
    client, shared_cache, contributor, editor
):
    report = submitted(contributor)
    for path in PAGES:
        assert "Only part of the law" not in client.get(path).text
        assert client.get(path)["X-Cache"] == "hit"
    services.report_moderate(actor=editor, report=report, decision="approve")
    for path in PAGES:
        assert "Only part of the law" in client.get(path).text
    services.organisation_moderate(actor=editor, organisation=report.organisation, approve=False, reason="Closed.")
    for path in PAGES:
        assert "Only part of the law" not in client.get(path).text
    assert client.get(file_url(report)).status_code == 404


def test_as_of_a_date_before_the_approval_the_report_is_not_shown(client, contributor, editor):
    report = submitted(contributor)
    services.report_moderate(actor=editor, report=report, decision="approve")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    today = timezone.localdate().isoformat()
    for path in PAGES:
        assert "Only part of the law" not in client.get(path, {"as_of": yesterday}).text
        assert "Only part of the law" in client.get(path, {"as_of": today}).text


def test_the_api_lists_only_published_reports_by_the_organisations_name(client, contributor, editor):
    waiting = submitted(contributor, narrative="Still waiting.")
    approved = submitted(contributor)
    services.report_moderate(actor=editor, report=approved, decision="approve")
    listing = client.get("/api/v1/stakeholder-reports/", {"state": "FR", "commitment": 1}).json()
    assert [row["id"] for row in listing["results"]] == [approved.pk]
    (row,) = listing["results"]
    assert row["organisation"] == "Observatory of Migrants' Rights" and row["assessment"] == "partially_implemented"
    assert row["state"] == "FR" and row["commitment"] == 1
    assert "contributor" not in str(row) and "submitted_by" not in row
    assert {item["title"] for item in row["evidence"]} == {"Our findings", "findings.pdf"}
    assert client.get(f"/api/v1/stakeholder-reports/{waiting.pk}/").status_code == 404
    assert client.get(f"/api/v1/stakeholder-reports/{approved.pk}/").status_code == 200


def test_the_disagreements_view_lists_a_published_report_that_differs_from_the_states(client, contributor, editor):
    from recommendations.models import Implementation

    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=1)
    services.implementation_set_status(
        implementation=implementation, status=Status.PLANNED, actor=editor, comment="A plan."
    )
    report = submitted(contributor)
    assert "Observatory of Migrants" not in client.get("/disagreements/").text
    services.report_moderate(actor=editor, report=report, decision="approve")
    page = client.get("/disagreements/").text
    assert "Observatory of Migrants" in page and "differs from the state" in page


def test_the_feeds_carry_a_published_report_and_never_an_unpublished_one(client, contributor, editor):
    waiting = submitted(contributor, narrative="Still waiting.")
    approved = submitted(contributor)
    services.report_moderate(actor=editor, report=approved, decision="approve")
    for path in ("/feeds/changes.atom", "/feeds/states/FR.atom", "/feeds/commitments/1.atom"):
        feed = client.get(path).text
        assert "Only part of the law is in force." in feed and "Observatory of Migrants" in feed
        assert f"/stakeholder-reports/{approved.pk}" in feed and "Still waiting." not in feed
        assert f"/stakeholder-reports/{waiting.pk}" not in feed and "contributor@example.org" not in feed
    assert "Only part of the law" not in client.get("/feeds/states/KE.atom").text


def test_the_downloads_list_published_reports_only(client, contributor, editor):
    submitted(contributor, narrative="Still waiting.")
    approved = submitted(contributor)
    services.report_moderate(actor=editor, report=approved, decision="approve")
    for path in ("/states/FR/", "/commitments/1/"):
        assert "list=stakeholders" in client.get(path).text
        csv = client.get(path, {"format": "csv", "list": "stakeholders"})
        assert csv.status_code == 200
        text = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
        assert "Observatory of Migrants' Rights" in text and "partially_implemented" in text
        assert "Still waiting." not in text and "contributor@example.org" not in text
        rows = client.get(path, {"format": "json", "list": "stakeholders"}).json()
        assert len(rows["results"] if isinstance(rows, dict) else rows) == 1
