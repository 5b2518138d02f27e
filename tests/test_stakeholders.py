"""Stakeholder organisations, contributors and their reports (issue 20): registration with email
confirmation, an editor's approval of the organisation, submitting and editing a report with
links and files, moderation; every refusal writes nothing; change records are staff-only; an
approval retires the cached pages of the report's state and item."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gcmtracker import scopes
from recommendations import permissions, services
from recommendations.choices import OrganisationStatus, ReportStatus, Role, Status
from recommendations.models import (
    ChangeRecord,
    Contributor,
    Organisation,
    StakeholderEvidence,
    StakeholderReport,
)
from tests.factories import minimal_pdf_bytes

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase for tests"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def register(name="Civic Watch", username="watcher", email="watcher@example.org", **extra):
    return services.organisation_register(
        name=name, kind="civil_society", username=username, email=email, password=PASSWORD, **extra
    )


def confirmation_link(message) -> str:
    return re.search(r"http\S+/stakeholders/confirm/\S+/", message.body).group(0)


def pdf(name="report.pdf"):
    return SimpleUploadedFile(name, minimal_pdf_bytes(), content_type="application/pdf")


def counts():
    return (
        Organisation.objects.count(),
        Contributor.objects.count(),
        StakeholderReport.objects.count(),
        StakeholderEvidence.objects.count(),
    )


def submit(actor, **overrides):
    given = {"state": "FR", "commitment": 1, "assessment": Status.IN_PROGRESS, "narrative": "A law was drafted."}
    return services.report_submit(actor=actor, **{**given, **overrides})


# --- registration, confirmation, approval of the organisation ------------------------------------


def test_a_contributor_registers_confirms_by_email_and_is_approved(client, editor):
    contributor = register()
    user = contributor.user
    assert not user.is_active and contributor.organisation.status == OrganisationStatus.PENDING
    assert permissions.user_role(user) is None  # inactive until confirmed
    (message,) = mail.outbox
    assert message.to == ["watcher@example.org"]
    link = confirmation_link(message).split("8000", 1)[-1]

    assert client.get(link).status_code == 200  # a mail scanner opening it confirms nothing
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(link)
    assert response.status_code == 200 and "confirmed" in response.text
    user.refresh_from_db()
    assert user.is_active and permissions.is_contributor(user) and not permissions.is_staff_member(user)
    assert not permissions.can_submit_stakeholder_report(user)  # waiting for the editor

    services.organisation_moderate(actor=editor, organisation=contributor.organisation, approve=True)
    user = type(user).objects.get(pk=user.pk)
    assert permissions.can_submit_stakeholder_report(user)
    assert "approved" in mail.outbox[-1].subject
    assert not user.is_staff and not permissions.needs_second_factor(user)


def test_a_wrong_confirmation_link_is_refused_and_opens_nothing(client):
    user = register().user
    link = reverse("stakeholders:confirm", args=["MQ", "not-a-token"])
    response = client.post(link)
    assert response.status_code == 400 and "not valid" in response.text
    user.refresh_from_db()
    assert not user.is_active


def test_registration_refuses_bad_input_and_writes_nothing():
    register()
    before = counts()
    for kwargs, field in (
        ({"name": "civic watch", "username": "other", "email": "o@example.org"}, "name"),
        ({"name": "Other", "username": "WATCHER", "email": "o@example.org"}, "username"),
        ({"name": "Other", "username": "other", "email": "watcher@example.org"}, "email"),
        ({"name": "Other", "username": "other", "email": "o@example.org", "website": "http://127.0.0.1/"}, "website"),
        ({"name": "Bad\u202ename", "username": "other", "email": "o@example.org"}, "name"),
    ):
        with pytest.raises(ValidationError) as error:
            register(**kwargs)
        assert field in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.organisation_register(
            name="Other", kind="not-a-kind", username="other", email="o@example.org", password=PASSWORD
        )
    assert "kind" in error.value.message_dict
    assert counts() == before


def test_only_editors_moderate_organisations_and_a_rejection_needs_a_reason(editor, focal_point_france, contributor):
    organisation = register().organisation
    for actor in (focal_point_france, contributor, None):
        with pytest.raises(PermissionDenied):
            services.organisation_moderate(actor=actor, organisation=organisation, approve=True)
    with pytest.raises(ValidationError):
        services.organisation_moderate(actor=editor, organisation=organisation, approve=False)
    with pytest.raises(services.StaleModeration):
        services.organisation_moderate(actor=editor, organisation=organisation, approve=True, expected_version=7)
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING
    services.organisation_moderate(actor=editor, organisation=organisation, approve=False, reason="Not a stakeholder.")
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.REJECTED
    assert "Not a stakeholder." in mail.outbox[-1].body


# --- submitting and editing -----------------------------------------------------------------------


def test_a_contributor_submits_a_report_with_a_link_and_a_file(contributor):
    report = submit(
        contributor,
        links=[services.Link(url="https://example.org/findings", title="Our findings")],
        files=[pdf()],
    )
    assert report.status == ReportStatus.SUBMITTED and report.organisation.name == "Observatory of Migrants' Rights"
    assert report.implementation.state.iso2 == "FR" and report.implementation.commitment.number == 1
    link, file = report.evidence.order_by("id")
    assert link.url == "https://example.org/findings" and file.content_type == "application/pdf" and file.file
    assert not report.is_public
    records = ChangeRecord.objects.filter(content_type__model__in=["stakeholderreport", "stakeholderevidence"])
    assert records.count() == 3 and not records.filter(is_public=True).exists()
    assert records.first().actor_role == Role.CONTRIBUTOR


def test_a_report_on_a_tracked_recommendation(contributor):
    implementation = services.find_implementation(state="FR", commitment=2)
    assert implementation.commitment.number == 2
    with pytest.raises(ValidationError) as error:
        submit(contributor, commitment=None, recommendation="NOT-A-CODE")
    assert "recommendation" in error.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"state": "XX"}, "state"),
        ({"state": ""}, "state"),
        ({"commitment": 99}, "commitment"),
        ({"commitment": "one"}, "commitment"),
        ({"commitment": None}, "commitment"),
        ({"assessment": "excellent"}, "assessment"),
        ({"assessment": Status.NO_INFORMATION}, "assessment"),
        ({"narrative": "  "}, "narrative"),
        ({"narrative": "x" * 10001}, "narrative"),
        ({"links": ["http://10.0.0.1/inside"]}, "links"),
        ({"links": ["https://example.org/"] * 11}, "links"),
        ({"files": [SimpleUploadedFile("script.pdf", b"#!/bin/sh\nrm -rf /\n")]}, "files"),
        ({"files": [SimpleUploadedFile("empty.pdf", b"")]}, "files"),
        ({"files": [SimpleUploadedFile("re\u202eport.pdf", minimal_pdf_bytes())]}, "files"),
    ],
    ids=lambda value: str(value)[:30],
)
def test_a_bad_submission_is_refused_with_a_clear_message_and_nothing_written(contributor, overrides, field):
    before = counts()
    with pytest.raises(ValidationError) as error:
        submit(contributor, **overrides)
    assert field in error.value.message_dict and error.value.message_dict[field][0]
    assert counts() == before


def test_a_file_over_the_size_limit_is_refused(contributor, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    before = counts()
    with pytest.raises(ValidationError, match="too big"):
        submit(contributor, files=[pdf()])
    assert counts() == before


def test_only_contributors_of_an_approved_organisation_submit(contributor, editor, focal_point_france):
    pending = register().user
    for actor in (None, focal_point_france, editor, pending):
        with pytest.raises(PermissionDenied):
            submit(actor)
    services.organisation_moderate(
        actor=editor, organisation=contributor.contributor.organisation, approve=False, reason="Closed."
    )
    contributor = type(contributor).objects.get(pk=contributor.pk)
    with pytest.raises(PermissionDenied):
        submit(contributor)
    assert StakeholderReport.objects.count() == 0


def test_a_contributor_edits_only_their_own_organisations_reports_and_not_a_stale_version(contributor, editor):
    report = submit(contributor)
    other = register(name="Second Voice", username="second", email="second@example.org")
    services.contributor_confirm_email(**_token(other.user))
    services.organisation_moderate(actor=editor, organisation=other.organisation, approve=True)
    stranger = type(contributor).objects.get(pk=other.user.pk)
    edit = {"assessment": Status.PLANNED, "narrative": "Edited."}
    with pytest.raises(PermissionDenied):
        services.report_edit(actor=stranger, report=report, expected_version=1, **edit)
    with pytest.raises(services.StaleModeration):
        services.report_edit(actor=contributor, report=report, expected_version=5, **edit)
    report.refresh_from_db()
    assert report.narrative == "A law was drafted." and report.version == 1
    services.report_edit(actor=contributor, report=report, expected_version=1, **edit)
    report.refresh_from_db()
    assert report.narrative == "Edited." and report.version == 2


def _token(user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


# --- moderation -----------------------------------------------------------------------------------


def test_an_editor_asks_for_changes_then_approves_and_the_contributor_is_told(contributor, editor):
    report = submit(contributor)
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.report_moderate(actor=editor, report=report, decision="changes")  # no reason
    services.report_moderate(
        actor=editor, report=report, decision="changes", reason="Cite the law.", expected_version=1
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.CHANGES_REQUESTED and "Cite the law." in mail.outbox[-1].body
    services.report_edit(actor=contributor, report=report, expected_version=2, assessment="planned", narrative="Law 1.")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    services.report_moderate(actor=editor, report=report, decision="approve", expected_version=3)
    report.refresh_from_db()
    assert report.is_public and report.published_at and report.moderated_by == editor
    assert mail.outbox[-1].to == ["contributor@example.org"] and "published" in mail.outbox[-1].subject
    assert list(StakeholderReport.objects.public()) == [report]
    with pytest.raises(ValidationError):
        services.report_edit(actor=contributor, report=report, expected_version=4, assessment="planned", narrative="x")


def test_a_rejection_needs_a_reason_which_the_contributor_receives(contributor, editor):
    report = submit(contributor)
    services.report_moderate(actor=editor, report=report, decision="reject", reason="Off topic.")
    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED and report.reason == "Off topic."
    assert "Off topic." in mail.outbox[-1].body and not StakeholderReport.objects.public().exists()


def test_only_editors_moderate_reports_and_a_stale_decision_is_refused(contributor, editor, focal_point_france):
    report = submit(contributor)
    for actor in (None, focal_point_france, contributor):
        with pytest.raises(PermissionDenied):
            services.report_moderate(actor=actor, report=report, decision="approve")
    with pytest.raises(ValidationError):
        services.report_moderate(actor=editor, report=report, decision="publish-everything")
    with pytest.raises(services.StaleModeration):
        services.report_moderate(actor=editor, report=report, decision="approve", expected_version=2)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.version == 1


def test_approval_touches_the_state_and_item_scopes_and_submission_touches_nothing(
    contributor, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = submit(contributor)
    assert not scopes.pending() & {"state:FR", "commitment:1", scopes.AGGREGATES}
    scopes.forget_pending()
    with django_capture_on_commit_callbacks(execute=False):
        services.report_moderate(actor=editor, report=report, decision="approve")
    assert {"state:FR", "commitment:1", scopes.AGGREGATES} <= scopes.pending()


def test_a_report_of_an_organisation_rejected_later_leaves_the_public(contributor, editor):
    report = submit(contributor)
    services.report_moderate(actor=editor, report=report, decision="approve")
    services.organisation_moderate(actor=editor, organisation=report.organisation, approve=False, reason="Closed.")
    assert not StakeholderReport.objects.public().exists()


def test_my_submissions_shows_the_contributors_reports_and_their_status(client, contributor, editor):
    report = submit(contributor)
    services.report_moderate(actor=editor, report=report, decision="changes", reason="Cite the law.")
    client.force_login(contributor)
    response = client.get(reverse("stakeholders:mine"))
    assert response.status_code == 200
    assert "Changes requested" in response.text and "Cite the law." in response.text
    client.force_login(editor)
    assert client.get(reverse("stakeholders:mine")).status_code == 403
    client.logout()
    assert client.get(reverse("stakeholders:mine")).status_code == 302


def test_a_contributor_opens_no_staff_page_api_write_or_admin(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("staff:my-work")).status_code == 403
    assert client.get("/admin/").status_code == 302
    response = client.post("/api/v1/status-updates/", {}, content_type="application/json")
    assert response.status_code in (403, 405)


def test_a_contributor_imports_nothing_through_the_command_or_the_admin_import_page(client, contributor, tmp_path):
    from django.core.management import CommandError, call_command

    from recommendations.models import StatusUpdate

    rows = tmp_path / "rows.csv"
    rows.write_text("state,commitment,status,effective_date,comment\nFR,1,planned,2024-01-01,Contributor\n")
    before = StatusUpdate.objects.count()
    with pytest.raises((CommandError, PermissionDenied)):
        call_command("import_data", str(rows), "--kind", "status_updates", "--user", "contributor", "--apply")
    client.force_login(contributor)
    response = client.post(
        reverse("admin:recommendations_import"),
        {"kind": "status_updates", "file": SimpleUploadedFile("rows.csv", rows.read_bytes())},
    )
    assert response.status_code in (302, 403)
    assert StatusUpdate.objects.count() == before


def test_each_contributor_of_an_organisation_is_told_alone(editor, django_user_model):
    """An organisation's contributors get one message each: none sees another's address."""
    from tests.arrange import setup_writes

    first = register()
    with setup_writes():
        second = django_user_model.objects.create_user("colleague", "colleague@example.org", "a long passphrase")
        Contributor.objects.create(user=second, organisation=first.organisation)
    mail.outbox.clear()
    services.organisation_moderate(actor=editor, organisation=first.organisation, approve=True)
    assert sorted(message.to for message in mail.outbox) == [["colleague@example.org"], ["watcher@example.org"]]
    assert all(not message.cc and not message.bcc for message in mail.outbox)
