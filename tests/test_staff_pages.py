"""Staff pages: my work, the implementation page (status with evidence in one write, assignment,
history), evidence moderation, stale-edit conflicts, and query counts that do not grow with data."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.choices import Role, Status, Track, Visibility
from recommendations.models import Evidence, Implementation, StatusUpdate
from tests.factories import (
    CommitmentFactory,
    EvidenceFactory,
    ImplementationFactory,
    UserFactory,
    minimal_pdf_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def page_url(implementation):
    return reverse("staff:implementation", args=[implementation.pk])


def status_data(implementation, **overrides):
    data = {
        "version": implementation.version,
        "track": Track.REPORTED,
        "status": Status.IN_PROGRESS,
        "effective_date": timezone.localdate().isoformat(),
        "comment": "The bill is in parliament.",
        "rationale": "",
    }
    data.update(overrides)
    return data


# --- my work ---------------------------------------------------------------------------------------


def test_my_work_shows_overdue_due_soon_untouched_and_recent_items_of_the_owner(client, focal_point_france, france):
    today = timezone.localdate()
    old = today - datetime.timedelta(days=400)
    overdue = ImplementationFactory(state=france, owner=focal_point_france, due_date=today - datetime.timedelta(days=3))
    due_soon = ImplementationFactory(
        state=france, owner=focal_point_france, due_date=today + datetime.timedelta(days=7)
    )
    untouched = ImplementationFactory(state=france, owner=focal_point_france, last_reviewed=old)
    recent = ImplementationFactory(state=france, owner=focal_point_france, last_reviewed=today)
    services.implementation_set_status(
        implementation=recent, status=Status.PLANNED, actor=focal_point_france, comment="Plan adopted."
    )
    somebody_elses = ImplementationFactory(state=france, due_date=today - datetime.timedelta(days=3))

    client.force_login(focal_point_france)
    response = client.get(reverse("staff:my-work"))

    assert response.status_code == 200
    assert list(response.context["overdue"]) == [overdue]
    assert list(response.context["due_soon"]) == [due_soon]
    assert untouched in response.context["untouched"] and recent not in response.context["untouched"]
    assert [u.implementation for u in response.context["recent"]] == [recent]
    assert somebody_elses.get_absolute_url() not in response.content.decode()


def test_an_implemented_item_is_neither_overdue_nor_untouched(client, focal_point_france, france):
    done = ImplementationFactory(
        state=france,
        owner=focal_point_france,
        status=Status.IMPLEMENTED,
        due_date=timezone.localdate() - datetime.timedelta(days=30),
        last_reviewed=datetime.date(2019, 1, 1),
    )
    client.force_login(focal_point_france)
    response = client.get(reverse("staff:my-work"))
    assert done not in response.context["overdue"] and done not in response.context["untouched"]


def test_focal_point_list_shows_only_their_states(
    client, focal_point_france, implementation_france, implementation_kenya
):
    client.force_login(focal_point_france)
    response = client.get(reverse("staff:implementation-list"))
    rows = list(response.context["page"].object_list)
    assert implementation_france in rows
    assert all(row.state_id == implementation_france.state_id for row in rows)
    response = client.get(reverse("staff:implementation-list"), {"state": "KE"})
    assert list(response.context["page"].object_list) == []


# --- status with evidence ------------------------------------------------------------------------


def test_focal_point_records_in_progress_with_a_comment_and_a_pdf(client, focal_point_france, implementation_france):
    client.force_login(focal_point_france)
    pdf = SimpleUploadedFile("draft-bill.pdf", minimal_pdf_bytes(), content_type="application/pdf")
    data = status_data(implementation_france, **{"new-title": "Draft bill", "new-kind": "law", "new-file": pdf})

    response = client.post(page_url(implementation_france), data)

    assert response.status_code == 302
    implementation_france.refresh_from_db()
    assert implementation_france.status == Status.IN_PROGRESS
    update = implementation_france.updates.get()
    assert (update.comment, update.author, update.author_role) == (
        "The bill is in parliament.",
        focal_point_france,
        Role.FOCAL_POINT,
    )
    evidence = update.evidence.get()
    assert (evidence.title, evidence.verified, evidence.visibility) == ("Draft bill", False, Visibility.STAFF)
    assert evidence.file.read() == minimal_pdf_bytes()


def test_a_comment_is_required(client, focal_point_france, implementation_france):
    client.force_login(focal_point_france)
    response = client.post(page_url(implementation_france), status_data(implementation_france, comment="  "))
    assert response.status_code == 400
    assert not implementation_france.updates.exists()


def test_implemented_needs_evidence_and_a_public_rationale(client, focal_point_france, implementation_france):
    client.force_login(focal_point_france)
    response = client.post(
        page_url(implementation_france), status_data(implementation_france, status=Status.IMPLEMENTED)
    )
    assert response.status_code == 400
    errors = response.context["status_form"].errors
    assert "evidence" in errors and "rationale" in errors
    assert not implementation_france.updates.exists()


def test_existing_evidence_can_back_a_status_update(client, focal_point_france, implementation_france):
    evidence = EvidenceFactory(implementation=implementation_france)
    client.force_login(focal_point_france)
    data = status_data(
        implementation_france, status=Status.IMPLEMENTED, rationale="The law is in force.", evidence=[evidence.pk]
    )
    response = client.post(page_url(implementation_france), data)
    assert response.status_code == 302
    assert list(implementation_france.updates.get().evidence.all()) == [evidence]


def test_evidence_can_be_added_without_changing_the_status(client, focal_point_france, implementation_france):
    client.force_login(focal_point_france)
    response = client.post(
        reverse("staff:evidence-add", args=[implementation_france.pk]),
        {"evidence-title": "Ministerial circular", "evidence-kind": "policy", "evidence-url": "https://example.org/c"},
    )
    assert response.status_code == 302
    assert implementation_france.evidence.get().url == "https://example.org/c"
    assert not implementation_france.updates.exists()


def test_editor_may_set_the_assessed_track(client, editor, implementation_france):
    client.force_login(editor)
    response = client.post(
        page_url(implementation_france), status_data(implementation_france, track=Track.ASSESSED, status=Status.PLANNED)
    )
    assert response.status_code == 302
    implementation_france.refresh_from_db()
    assert (implementation_france.assessment, implementation_france.status) == (Status.PLANNED, Status.NO_INFORMATION)


def test_the_page_shows_the_full_history_with_staff_comments(client, focal_point_france, editor, implementation_france):
    services.implementation_set_status(
        implementation=implementation_france, status=Status.PLANNED, actor=focal_point_france, comment="Internal: plan"
    )
    services.implementation_set_status(
        implementation=implementation_france,
        status=Status.NOT_STARTED,
        track=Track.ASSESSED,
        actor=editor,
        comment="Internal: not yet",
    )
    client.force_login(focal_point_france)
    content = client.get(page_url(implementation_france)).content.decode()
    assert "Internal: plan" in content and "Internal: not yet" in content
    assert "Secretariat editor" in content


# --- stale edits ---------------------------------------------------------------------------------------


def test_a_stale_status_save_is_refused_and_shows_what_changed(
    client, focal_point_france, editor, implementation_france
):
    client.force_login(focal_point_france)
    form = client.get(page_url(implementation_france)).context["status_form"]
    loaded = {name: form[name].value() for name in ("version", "loaded_at")}
    services.implementation_set_status(
        implementation=implementation_france, status=Status.PLANNED, actor=editor, comment="Editor got there first"
    )

    response = client.post(page_url(implementation_france), status_data(implementation_france, **loaded))

    assert response.status_code == 409
    content = response.content.decode()
    assert "changed by someone else" in content
    assert "Editor got there first" in content and "Secretariat editor" in content
    implementation_france.refresh_from_db()
    assert implementation_france.status == Status.PLANNED
    assert implementation_france.updates.count() == 1
    # What the person typed is kept, now with the current version, so a deliberate retry works.
    retry_form = response.context["status_form"]
    assert retry_form["comment"].value() == "The bill is in parliament."
    assert retry_form["version"].value() == implementation_france.version


def test_a_stale_assignment_is_refused_and_shows_both_values(client, editor, administrator, implementation_france):
    client.force_login(editor)
    loaded_version = implementation_france.version
    services.implementation_assign(implementation=implementation_france, actor=administrator, lead_agency="Ministry A")

    response = client.post(
        reverse("staff:implementation-assign", args=[implementation_france.pk]),
        {"version": loaded_version, "lead_agency": "Ministry B", "position": "supported"},
    )

    assert response.status_code == 409
    assignment = response.context["conflict"]["assignment"]
    assert {"label": "Lead agency", "saved": "Ministry A", "mine": "Ministry B"} in assignment
    implementation_france.refresh_from_db()
    assert implementation_france.lead_agency == "Ministry A"


def test_a_stale_save_with_a_new_file_leaves_neither_row_nor_file(
    client, focal_point_france, editor, implementation_france, media_root
):
    client.force_login(focal_point_france)
    stale_version = implementation_france.version
    services.implementation_set_status(
        implementation=implementation_france, status=Status.PLANNED, actor=editor, comment="first"
    )
    pdf = SimpleUploadedFile("bill.pdf", minimal_pdf_bytes())
    data = status_data(
        implementation_france, version=stale_version, **{"new-title": "Bill", "new-kind": "law", "new-file": pdf}
    )
    response = client.post(page_url(implementation_france), data)
    assert response.status_code == 409
    assert b"attach it again" in response.content
    assert not Evidence.objects.filter(implementation=implementation_france).exists()
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


# --- assignment and moderation -----------------------------------------------------------------------


def test_editor_assigns_an_owner_who_is_emailed_once_the_write_commits(
    client, editor, focal_point_france, implementation_france, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:implementation-assign", args=[implementation_france.pk]),
            {
                "version": implementation_france.version,
                "owner": focal_point_france.pk,
                "lead_agency": "Ministry of the Interior",
                "due_date": "2030-06-30",
                "position": "supported",
            },
        )
    assert response.status_code == 302
    implementation_france.refresh_from_db()
    assert (implementation_france.owner, implementation_france.lead_agency, implementation_france.due_date) == (
        focal_point_france,
        "Ministry of the Interior",
        datetime.date(2030, 6, 30),
    )
    assert [m.to for m in mail.outbox] == [[focal_point_france.email]]
    assert implementation_france.get_absolute_url() in mail.outbox[0].body


def test_the_owner_list_offers_only_people_who_may_edit_the_state(
    client, editor, focal_point_france, focal_point_kenya, implementation_france
):
    client.force_login(editor)
    owners = client.get(page_url(implementation_france)).context["assign_form"].fields["owner"].queryset
    assert focal_point_france in owners and editor in owners
    assert focal_point_kenya not in owners


def test_editor_verifies_and_publishes_evidence_from_the_review_page(client, editor, implementation_france):
    evidence = EvidenceFactory(implementation=implementation_france)
    client.force_login(editor)
    review = client.get(reverse("staff:evidence-review"))
    assert evidence in review.context["page"].object_list

    response = client.post(reverse("staff:evidence-verify", args=[evidence.pk]), {"publish": "1"})

    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.verified, evidence.verified_by, evidence.visibility) == (True, editor, Visibility.PUBLIC)
    assert evidence in Evidence.objects.public()


def test_verify_without_publish_keeps_evidence_staff_only(client, editor, implementation_france):
    evidence = EvidenceFactory(implementation=implementation_france)
    client.force_login(editor)
    client.post(reverse("staff:evidence-verify", args=[evidence.pk]))
    evidence.refresh_from_db()
    assert (evidence.verified, evidence.visibility) == (True, Visibility.STAFF)


def test_the_review_page_redirects_only_to_local_addresses(client, editor, implementation_france):
    evidence = EvidenceFactory(implementation=implementation_france)
    client.force_login(editor)
    response = client.post(reverse("staff:evidence-verify", args=[evidence.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("staff:evidence-review")


# --- query counts ---------------------------------------------------------------------------------------


def grow(n, state, owner, actor):
    for _ in range(n):
        implementation = ImplementationFactory(
            state=state, commitment=CommitmentFactory(), owner=owner, due_date=timezone.localdate()
        )
        evidence = EvidenceFactory(implementation=implementation)
        services.implementation_set_status(
            implementation=implementation, status=Status.IN_PROGRESS, actor=actor, comment="c", evidence=[evidence]
        )


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url_name", ["staff:my-work", "staff:implementation-list", "staff:evidence-review"])
def test_list_pages_run_the_same_number_of_queries_at_two_data_sizes(
    client, editor, france, url_name, django_assert_max_num_queries
):
    client.force_login(editor)
    grow(2, france, editor, editor)
    small = count_queries(client, reverse(url_name), django_assert_max_num_queries, 20)
    grow(15, france, editor, editor)
    large = count_queries(client, reverse(url_name), django_assert_max_num_queries, 20)
    assert large == small


def test_implementation_page_runs_the_same_number_of_queries_as_history_grows(
    client, editor, implementation_france, django_assert_max_num_queries
):
    client.force_login(editor)

    def add_history(n):
        for i in range(n):
            evidence = EvidenceFactory(implementation=implementation_france)
            services.implementation_set_status(
                implementation=implementation_france,
                status=[Status.PLANNED, Status.IN_PROGRESS][i % 2],
                actor=editor,
                comment=f"step {i}",
                evidence=[evidence],
            )

    add_history(2)
    small = count_queries(client, page_url(implementation_france), django_assert_max_num_queries, 20)
    add_history(12)
    large = count_queries(client, page_url(implementation_france), django_assert_max_num_queries, 20)
    assert large == small


def test_staff_pages_are_not_public(client, implementation_france):
    for url in (reverse("staff:my-work"), page_url(implementation_france), reverse("staff:evidence-review")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_refused(client, implementation_france):
    client.force_login(UserFactory(username="no-role"))
    assert client.get(reverse("staff:my-work")).status_code == 403


def test_history_rows_written_by_the_page_cannot_be_changed(client, focal_point_france, implementation_france):
    client.force_login(focal_point_france)
    client.post(page_url(implementation_france), status_data(implementation_france))
    update = StatusUpdate.objects.get(implementation=implementation_france)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        StatusUpdate.objects.filter(pk=update.pk).update(comment="rewritten")
    assert Implementation.objects.get(pk=implementation_france.pk).version == 2
