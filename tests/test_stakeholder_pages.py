"""The stakeholder pages (issue 20): registration, submission and edit forms, "my submissions",
and the editors' moderation queue under /staff/. Bad input answers a clear message and writes
nothing; past the throttle, 429 and nothing written; nobody but an editor moderates."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations import services
from recommendations.choices import OrganisationStatus, ReportStatus, Status
from recommendations.models import Organisation, StakeholderEvidence, StakeholderReport
from tests.factories import minimal_pdf_bytes

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "name": "Migrants' Voice",
    "kind": "migrant_organization",
    "country": "KE",
    "website": "https://example.org/",
    "username": "voice",
    "email": "voice@example.org",
    "password": "a long passphrase for tests",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def report_data(**overrides):
    data = {
        "state": "FR",
        "commitment": "1",
        "assessment": Status.PARTIALLY_IMPLEMENTED,
        "narrative": "The law covers part of it.",
        "links": "https://example.org/one\nhttps://example.org/two",
    }
    return {**data, **overrides}


def written():
    return (StakeholderReport.objects.count(), StakeholderEvidence.objects.count())


def test_registration_page_registers_and_sends_the_confirmation(client):
    assert client.get(reverse("stakeholders:register")).status_code == 200
    response = client.post(reverse("stakeholders:register"), REGISTRATION)
    assert response.status_code == 200 and "voice@example.org" in response.text
    organisation = Organisation.objects.get(name="Migrants' Voice")
    assert organisation.status == OrganisationStatus.PENDING and organisation.country.iso2 == "KE"
    assert "/stakeholders/confirm/" in mail.outbox[-1].body


def test_registration_page_refuses_a_taken_name_with_a_message(client):
    client.post(reverse("stakeholders:register"), REGISTRATION)
    response = client.post(reverse("stakeholders:register"), {**REGISTRATION, "username": "other", "email": "o@x.org"})
    assert response.status_code == 400 and "already registered" in response.text
    assert Organisation.objects.count() == 1


def test_registration_is_throttled_per_client(client, settings):
    settings.STAKEHOLDER_PER_CLIENT = 1
    client.post(reverse("stakeholders:register"), REGISTRATION)
    response = client.post(
        reverse("stakeholders:register"), {**REGISTRATION, "name": "Other", "username": "o", "email": "o@x.org"}
    )
    assert response.status_code == 429 and "Too many" in response.text
    assert Organisation.objects.count() == 1


def test_a_contributor_submits_through_the_page_with_links_and_a_file(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("stakeholders:submit")).status_code == 200
    upload = SimpleUploadedFile("findings.pdf", minimal_pdf_bytes(), content_type="application/pdf")
    response = client.post(reverse("stakeholders:submit"), report_data(files=[upload]))
    assert response.status_code == 302 and response.url == reverse("stakeholders:mine")
    report = StakeholderReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.evidence.count() == 3
    page = client.get(reverse("stakeholders:mine"))
    assert (
        "Submitted, waiting for moderation" in page.text and reverse("stakeholders:edit", args=[report.pk]) in page.text
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"state": "XX"}, "no state with the code"),
        ({"commitment": "99"}, "no commitment 99"),
        ({"commitment": "", "recommendation": "NOPE"}, "not tracked"),
        ({"assessment": "no_information"}, "Select a valid choice"),
        ({"narrative": ""}, "This field is required"),
        ({"links": "http://localhost/admin"}, "localhost"),
        ({"files": [SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf")]}, "does not match"),
    ],
    ids=["state", "commitment", "recommendation", "assessment", "narrative", "link", "file"],
)
def test_a_bad_submission_through_the_page_is_refused_with_a_message(client, contributor, overrides, message):
    client.force_login(contributor)
    response = client.post(reverse("stakeholders:submit"), report_data(**overrides))
    assert response.status_code == 400
    assert message.lower() in response.text.lower()
    assert written() == (0, 0)


def test_a_file_over_the_limit_is_refused_through_the_page(client, contributor, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 50
    client.force_login(contributor)
    upload = SimpleUploadedFile("big.pdf", minimal_pdf_bytes(), content_type="application/pdf")
    response = client.post(reverse("stakeholders:submit"), report_data(files=[upload]))
    assert response.status_code == 400 and "too big" in response.text
    assert written() == (0, 0)


def test_submissions_are_throttled_per_account(client, contributor, settings):
    settings.STAKEHOLDER_PER_ACCOUNT = 1
    client.force_login(contributor)
    client.post(reverse("stakeholders:submit"), report_data())
    response = client.post(reverse("stakeholders:submit"), report_data())
    assert response.status_code == 429 and StakeholderReport.objects.count() == 1


def test_a_contributor_of_a_rejected_organisation_submits_nothing(client, contributor, editor):
    services.organisation_moderate(
        actor=editor, organisation=contributor.contributor.organisation, approve=False, reason="Closed."
    )
    client.force_login(contributor)
    response = client.post(reverse("stakeholders:submit"), report_data())
    assert response.status_code == 403 and "not approved" in response.text
    assert written() == (0, 0)


def test_the_edit_page_refuses_another_organisation_and_a_stale_version(client, contributor, editor):
    report = services.report_submit(
        actor=contributor, state="FR", commitment=1, assessment=Status.PLANNED, narrative="First."
    )
    client.force_login(contributor)
    url = reverse("stakeholders:edit", args=[report.pk])
    assert client.get(url).status_code == 200
    stale = client.post(url, {"assessment": Status.IN_PROGRESS, "narrative": "Second.", "version": 9})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    ok = client.post(url, {"assessment": Status.IN_PROGRESS, "narrative": "Second.", "version": 1})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.narrative == "Second."

    other = services.organisation_register(
        name="Another", kind="ngo", username="another", email="another@example.org", password="a long passphrase!"
    )
    from tests.test_stakeholders import _token

    services.contributor_confirm_email(**_token(other.user))
    services.organisation_moderate(actor=editor, organisation=other.organisation, approve=True)
    client.force_login(other.user)
    assert client.post(url, {"assessment": Status.PLANNED, "narrative": "Hijack", "version": 2}).status_code == 404
    report.refresh_from_db()
    assert report.narrative == "Second."


def test_the_editor_moderates_from_the_queue(client, contributor, editor):
    pending = services.organisation_register(
        name="Waiting Org", kind="academic", username="w", email="w@example.org", password="a long passphrase!"
    )
    report = services.report_submit(
        actor=contributor, state="FR", commitment=1, assessment=Status.PLANNED, narrative="Seen."
    )
    client.force_login(editor)
    page = client.get(reverse("staff:stakeholder-queue"))
    assert page.status_code == 200 and "Waiting Org" in page.text and "Seen." in page.text
    url = reverse("staff:stakeholder-report", args=[report.pk])
    assert client.post(url, {"decision": "reject", "reason": "", "version": 1}).status_code == 400
    assert client.post(url, {"decision": "approve", "version": 7}).status_code == 409
    assert client.post(url, {"decision": "approve", "version": 1}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    org_url = reverse("staff:stakeholder-organisation", args=[pending.organisation.pk])
    assert client.post(org_url, {"decision": "reject", "reason": "Not known.", "version": 1}).status_code == 302
    pending.organisation.refresh_from_db()
    assert pending.organisation.status == OrganisationStatus.REJECTED


@pytest.mark.parametrize("persona", ["contributor", "focal_point_france"])
def test_only_editors_reach_the_queue(client, request, persona, contributor):
    report = services.report_submit(actor=contributor, state="FR", commitment=1, assessment="planned", narrative="x")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("staff:stakeholder-queue")).status_code == 403
    url = reverse("staff:stakeholder-report", args=[report.pk])
    assert client.post(url, {"decision": "approve", "version": 1}).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.logout()
    assert client.get(reverse("staff:stakeholder-queue")).status_code == 302


def test_a_contributor_logs_in_to_their_submissions(client, contributor):
    response = client.post(reverse("login"), {"username": "contributor", "password": "a long passphrase for tests"})
    assert response.status_code == 302 and response.url == reverse("stakeholders:mine")
    assert "My submissions" in client.get(reverse("stakeholders:mine")).text
