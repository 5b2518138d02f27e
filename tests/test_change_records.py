"""Longer than 400 lines: one test per kind of write, read as one table of what each write records.

Every write of tracked data leaves a change record, written by the services in the same
transaction: who, role, door, which record, each changed field before and after. A refused write
(permission, validation, a stale version) leaves none, and no partial data.

One test per kind of write (issue 14): assignment (owner), lead agency, due date, position,
internal note, evidence added, verified, published, unpublished, measurement correction, review
cycle, indicator, corridor, scope, reference data; then what the public, the API, the feeds and
staff see of them.
"""

import datetime
import decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from recommendations import services
from recommendations.choices import ChangeAction, Door, Position, Visibility
from recommendations.models import (
    ChangeRecord,
    Commitment,
    Corridor,
    Evidence,
    Implementation,
    Indicator,
    ReviewCycle,
    StateScope,
    Theme,
)
from tests.factories import EvidenceFactory, UserFactory

pytestmark = pytest.mark.django_db


def records_of(instance):
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
    ).order_by("created_at", "id")


def only_record(instance, **filters):
    [record] = records_of(instance).filter(**filters)
    return record


def admin_implementation_form(implementation, **changes):
    data = {
        "expected_version": implementation.version,
        "owner": implementation.owner_id or "",
        "lead_agency": implementation.lead_agency,
        "due_date": implementation.due_date.isoformat() if implementation.due_date else "",
        "position": implementation.position,
        "internal_note": implementation.internal_note,
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


# --- the stale admin form (issue 14's scenario) ---------------------------------------------------


def test_a_stale_admin_save_is_refused_and_the_api_change_is_kept(client, editor, implementation_france):
    implementation_france.lead_agency = "Ministry of Interior"
    implementation_france.save()
    client.force_login(editor)
    url = reverse("admin:recommendations_implementation_change", args=[implementation_france.pk])
    loaded = client.get(url)
    assert loaded.status_code == 200
    loaded_version = loaded.context["adminform"].form.initial["expected_version"]
    stale_form = admin_implementation_form(Implementation.objects.get(pk=implementation_france.pk))
    assert stale_form["expected_version"] == loaded_version

    # Meanwhile someone changes the lead agency through the API.
    api = client.patch(
        f"/api/v1/implementations/{implementation_france.pk}/",
        {"lead_agency": "Ministry of Justice"},
        content_type="application/json",
        headers={"if-match": f'"{loaded_version}"'},
    )
    assert api.status_code == 200

    # The stale admin form, with only the due date changed, is refused.
    stale_form["due_date"] = "2031-01-31"
    response = client.post(url, stale_form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by someone else" in page
    assert "Ministry of Justice" in page  # the diff: what is saved now
    assert 'value="2031-01-31"' in page  # the user's input is kept
    saved = Implementation.objects.get(pk=implementation_france.pk)
    assert saved.lead_agency == "Ministry of Justice"
    assert saved.due_date is None
    assert not ChangeRecord.objects.filter(implementation=saved, door=Door.ADMIN).exists()


def test_an_admin_save_at_the_current_version_goes_through_the_service(client, editor, implementation_france):
    client.force_login(editor)
    url = reverse("admin:recommendations_implementation_change", args=[implementation_france.pk])
    response = client.post(url, admin_implementation_form(implementation_france, due_date="2031-01-31"))
    assert response.status_code == 302
    saved = Implementation.objects.get(pk=implementation_france.pk)
    assert (saved.due_date, saved.version) == (datetime.date(2031, 1, 31), implementation_france.version + 1)
    record = only_record(saved)
    assert (record.door, record.actor, record.actor_role, record.action) == (
        Door.ADMIN,
        editor,
        "editor",
        ChangeAction.CHANGED,
    )
    assert record.changes == {"due_date": {"before": None, "after": "2031-01-31"}}
    assert (record.state_id, record.commitment_id, record.is_public) == (
        saved.state_id,
        saved.commitment_id,
        True,
    )
    assert record.request_id


# --- one test per kind of write ----------------------------------------------------------------------


def test_an_owner_assignment_on_the_page_is_recorded_as_private(client, editor, implementation_france):
    owner = UserFactory(username="owner_fr", role="editor")
    client.force_login(editor)
    response = client.post(
        reverse("staff:implementation-assign", args=[implementation_france.pk]),
        {"version": implementation_france.version, "owner": owner.pk, "position": implementation_france.position},
    )
    assert response.status_code == 302
    record = only_record(implementation_france)
    assert record.door == Door.PAGE
    assert record.is_public is False
    assert record.changes["owner"]["before"] is None
    assert record.changes["owner"]["after"] == "owner_fr"
    assert record.changes["owner"]["after_id"] == owner.pk


def test_a_lead_agency_change_through_the_api_is_public(client, editor, implementation_france):
    client.force_login(editor)
    response = client.patch(
        f"/api/v1/implementations/{implementation_france.pk}/",
        {"version": implementation_france.version, "lead_agency": "Ministry of Justice"},
        content_type="application/json",
    )
    assert response.status_code == 200
    record = only_record(implementation_france)
    assert (record.door, record.is_public) == (Door.API, True)
    assert record.changes == {"lead_agency": {"before": "", "after": "Ministry of Justice"}}


def test_a_due_date_moved_on_the_page_is_recorded_as_public(client, editor, implementation_france):
    services.implementation_assign(
        implementation=implementation_france, actor=editor, due_date=datetime.date(2030, 6, 30), notify=False
    )
    implementation_france.refresh_from_db()
    client.force_login(editor)
    response = client.post(
        reverse("staff:implementation-assign", args=[implementation_france.pk]),
        {
            "version": implementation_france.version,
            "due_date": "2031-03-31",
            "position": implementation_france.position,
        },
    )
    assert response.status_code == 302
    record = records_of(implementation_france).last()
    assert (record.door, record.is_public) == (Door.PAGE, True)
    assert record.changes == {"due_date": {"before": "2030-06-30", "after": "2031-03-31"}}


def test_a_position_change_by_import_is_recorded(editor, implementation_france):
    from recommendations import imports as importer

    data = (
        "state,commitment,position\n"
        f"{implementation_france.state.iso2},{implementation_france.commitment.number},supported\n"
    ).encode()
    report = importer.run_import(kind="implementations", filename="rows.csv", data=data, user=editor, apply=True)
    assert report.ok, report.errors
    record = only_record(implementation_france)
    assert record.door == Door.IMPORT
    assert record.changes == {"position": {"before": Position.NO_RESPONSE, "after": Position.SUPPORTED}}


def test_a_mixed_assignment_writes_a_public_and_a_private_record(editor, implementation_france):
    owner = UserFactory(username="owner_mixed", role="editor")
    services.implementation_assign(
        implementation=implementation_france,
        actor=editor,
        owner=owner,
        lead_agency="Ministry of Health",
        internal_note="call them",
    )
    public = only_record(implementation_france, is_public=True)
    private = only_record(implementation_france, is_public=False)
    assert set(public.changes) == {"lead_agency"}
    assert set(private.changes) == {"owner", "internal_note"}
    assert public.request_id == private.request_id


def test_the_internal_note_in_the_admin_goes_through_the_service(client, editor, implementation_france):
    client.force_login(editor)
    url = reverse("admin:recommendations_implementation_change", args=[implementation_france.pk])
    client.post(url, admin_implementation_form(implementation_france, internal_note="Ask the ministry"))
    saved = Implementation.objects.get(pk=implementation_france.pk)
    assert saved.internal_note == "Ask the ministry"
    assert saved.version == implementation_france.version + 1
    record = only_record(saved)
    assert record.changes == {"internal_note": {"before": "", "after": "Ask the ministry"}}
    assert not record.is_public


def test_evidence_added_verified_published_and_unpublished_is_recorded(
    client, editor, focal_point_france, implementation_france
):
    client.force_login(focal_point_france)
    client.post(
        reverse("staff:evidence-add", args=[implementation_france.pk]),
        {"evidence-title": "Circular", "evidence-kind": "policy", "evidence-url": "https://example.org/c"},
    )
    evidence = implementation_france.evidence.get()
    added = only_record(evidence)
    assert (added.action, added.door, added.actor, added.is_public) == (
        ChangeAction.CREATED,
        Door.PAGE,
        focal_point_france,
        False,
    )
    assert added.changes["title"] == {"before": None, "after": "Circular"}
    assert added.implementation_id == implementation_france.pk

    client.force_login(editor)
    client.post(reverse("staff:evidence-verify", args=[evidence.pk]))
    verified = records_of(evidence).last()
    assert verified.changes["verified"] == {"before": False, "after": True}
    assert not verified.is_public

    client.post(reverse("staff:evidence-verify", args=[evidence.pk]), {"publish": "1"})
    evidence.refresh_from_db()
    published_at = evidence.published_at.isoformat()
    published = records_of(evidence).last()
    assert published.is_public
    assert published.changes["visibility"] == {"before": Visibility.STAFF, "after": Visibility.PUBLIC}
    assert published.changes["published_at"] == {"before": None, "after": published_at}

    client.post(reverse("staff:evidence-unpublish", args=[evidence.pk]))
    unpublished = records_of(evidence).last()
    assert unpublished.is_public
    # Nothing is lost on unpublish: the earlier publication stays in the record.
    assert unpublished.changes["published_at"] == {"before": published_at, "after": None}
    assert unpublished.changes["visibility"] == {"before": Visibility.PUBLIC, "after": Visibility.STAFF}


def test_evidence_published_with_an_admin_action_is_recorded(client, editor, implementation_france):
    evidence = EvidenceFactory(implementation=implementation_france)
    client.force_login(editor)
    client.post(
        reverse("admin:recommendations_evidence_changelist"),
        {"action": "verify_and_publish", "_selected_action": [evidence.pk]},
    )
    record = only_record(evidence, is_public=True)
    assert record.door == Door.ADMIN
    assert record.changes["visibility"]["after"] == Visibility.PUBLIC


def _indicator(editor):
    return services.record_save(
        actor=editor,
        instance=Indicator(
            commitment=Commitment.objects.get(number=1),
            code="legal-aid",
            name="Legal aid",
            unit="%",
            direction="higher",
        ),
    )


def test_a_measurement_correction_records_the_old_and_new_value(editor, france):
    indicator = _indicator(editor)
    date = datetime.date(2024, 1, 1)
    measurement, created = services.measurement_save(
        actor=editor, indicator=indicator, state=france, date=date, value=decimal.Decimal("10")
    )
    assert created
    services.measurement_save(actor=editor, indicator=indicator, state=france, date=date, value=decimal.Decimal("12.5"))
    first, correction = records_of(measurement).filter(is_public=True)
    assert first.action == ChangeAction.CREATED
    assert correction.changes == {"value": {"before": "10.000", "after": "12.500"}}
    assert (correction.is_public, correction.state_id, correction.commitment_id) == (
        True,
        france.pk,
        indicator.commitment_id,
    )


def test_the_measurement_admin_goes_through_the_measurement_service(client, editor, france):
    indicator = _indicator(editor)
    measurement, _created = services.measurement_save(
        actor=editor, indicator=indicator, state=france, date=datetime.date(2024, 1, 1), value=1
    )
    client.force_login(editor)
    response = client.post(
        reverse("admin:recommendations_measurement_change", args=[measurement.pk]),
        {
            "indicator": indicator.pk,
            "state": france.pk,
            "date": "2024-01-01",
            "value": "2",
            "sex": "total",
            "age_group": "",
            "migratory_status": "all",
            "source": "Census",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = records_of(measurement).last()
    assert record.door == Door.ADMIN
    assert record.changes["value"] == {"before": "1.000", "after": "2.000"}
    assert record.changes["source"] == {"before": "", "after": "Census"}


def test_a_review_cycle_added_in_the_admin_is_recorded(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:recommendations_reviewcycle_add"),
        {
            "slug": "review-2026",
            "name": "Review 2026",
            "kind": "regional_review",
            "opens_on": "2026-01-01",
            "closes_on": "2026-06-30",
            "description": "",
        },
    )
    assert response.status_code == 302
    cycle = ReviewCycle.objects.get(slug="review-2026")
    record = only_record(cycle)
    assert (record.action, record.door, record.is_public) == (ChangeAction.CREATED, Door.ADMIN, True)
    assert record.changes["closes_on"] == {"before": None, "after": "2026-06-30"}


def test_an_indicator_change_is_recorded(client, editor):
    indicator = _indicator(editor)
    client.force_login(editor)
    response = client.post(
        reverse("admin:recommendations_indicator_change", args=[indicator.pk]),
        {
            "commitment": indicator.commitment_id,
            "code": "legal-aid",
            "name": "Legal aid",
            "unit": "%",
            "direction": "higher",
            "baseline": "",
            "target": "80",
            "target_date": "",
            "description": "",
            "measurements-TOTAL_FORMS": "0",
            "measurements-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = records_of(indicator).last()
    assert record.changes == {"target": {"before": None, "after": "80.000"}}


def test_a_corridor_and_its_stops_are_recorded(client, administrator, france, kenya):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:recommendations_corridor_add"),
        {
            "slug": "ke-fr",
            "name": "Kenya to France",
            "description": "",
            "stops-TOTAL_FORMS": "2",
            "stops-INITIAL_FORMS": "0",
            "stops-0-state": kenya.pk,
            "stops-0-role": "origin",
            "stops-0-order": "1",
            "stops-1-state": france.pk,
            "stops-1-role": "destination",
            "stops-1-order": "2",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    corridor = Corridor.objects.get(slug="ke-fr")
    assert only_record(corridor).action == ChangeAction.CREATED
    stops = ChangeRecord.objects.filter(content_type__model="corridorstate", action=ChangeAction.CREATED)
    assert {record.state_id for record in stops} == {france.pk, kenya.pk}


def test_a_scope_granted_and_removed_in_the_admin_is_recorded_as_private(client, administrator, france):
    user = UserFactory(username="new_fp", role="focal_point")
    client.force_login(administrator)
    response = client.post(reverse("admin:recommendations_statescope_add"), {"user": user.pk, "state": france.pk})
    assert response.status_code == 302
    scope = StateScope.objects.get(user=user)
    granted = only_record(scope)
    assert (granted.action, granted.is_public, granted.state_id) == (ChangeAction.CREATED, False, france.pk)
    client.post(reverse("admin:recommendations_statescope_delete", args=[scope.pk]), {"post": "yes"})
    assert not StateScope.objects.filter(user=user).exists()
    removed = records_of(scope).last()
    assert removed.action == ChangeAction.DELETED
    assert removed.changes["user"]["before"] == "new_fp"


def test_a_reference_data_edit_in_the_admin_is_recorded(client, administrator):
    theme = Theme.objects.order_by("pk").first()
    client.force_login(administrator)
    url = reverse("admin:recommendations_theme_change", args=[theme.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["sdg_targets"] = [target.pk for target in theme.sdg_targets.all()]
    data["name"] = theme.name + " (edited)"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = only_record(theme)
    assert record.changes["name"] == {"before": theme.name, "after": theme.name + " (edited)"}
    assert record.is_public


def test_the_demo_command_writes_through_the_services(db, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo", verbosity=0)
    assert ChangeRecord.objects.filter(door=Door.DEMO, is_demo=True).exists()
    assert not ChangeRecord.objects.filter(is_demo=True).exclude(door=Door.DEMO).exists()


# --- refused writes leave nothing ---------------------------------------------------------------------


def test_a_refused_permission_writes_no_record_and_no_data(focal_point_france, implementation_france):
    before = ChangeRecord.objects.count()
    with pytest.raises(PermissionDenied):
        services.implementation_assign(
            implementation=implementation_france, actor=focal_point_france, lead_agency="Mine"
        )
    assert ChangeRecord.objects.count() == before
    assert Implementation.objects.get(pk=implementation_france.pk).lead_agency == ""


def test_a_refused_validation_writes_no_record_and_no_partial_data(editor, implementation_france, kenya):
    outsider = UserFactory(username="fp_out", role="focal_point", states=[kenya])
    before = ChangeRecord.objects.count()
    with pytest.raises(ValidationError):
        services.implementation_assign(
            implementation=implementation_france, actor=editor, owner=outsider, lead_agency="Ministry X"
        )
    assert ChangeRecord.objects.count() == before
    saved = Implementation.objects.get(pk=implementation_france.pk)
    assert (saved.lead_agency, saved.owner_id, saved.version) == ("", None, implementation_france.version)


def test_a_stale_write_writes_no_record(editor, implementation_france):
    before = ChangeRecord.objects.count()
    with pytest.raises(services.StaleEdit):
        services.implementation_assign(
            implementation=implementation_france,
            actor=editor,
            lead_agency="Late",
            expected_version=implementation_france.version - 1,
        )
    assert ChangeRecord.objects.count() == before


def test_change_records_are_append_only(editor, implementation_france):
    services.implementation_assign(implementation=implementation_france, actor=editor, lead_agency="X")
    record = only_record(implementation_france)
    for attempt in (
        record.save,
        record.delete,
        ChangeRecord.objects.all().delete,
        lambda: ChangeRecord.objects.update(is_public=False),
    ):
        with pytest.raises(ValidationError):
            attempt()


# --- what the public, the API, the feeds and staff see -----------------------------------------------


@pytest.fixture
def public_changes(editor, implementation_france):
    """A reassignment of the lead agency and an evidence publication, by a named editor."""
    editor.first_name, editor.last_name = "Edwina", "Staffname"
    editor.save()
    services.implementation_assign(
        implementation=implementation_france, actor=editor, lead_agency="Ministry of Interior", notify=False
    )
    implementation_france.refresh_from_db()
    owner = UserFactory(username="secret_owner", role="editor")
    services.implementation_assign(
        implementation=implementation_france,
        actor=editor,
        owner=owner,
        lead_agency="Ministry of Justice",
        internal_note="private words",
        notify=False,
    )
    evidence = EvidenceFactory(implementation=implementation_france, title="Decree 2024-12")
    services.evidence_verify(evidence=evidence, actor=editor, publish=True)
    return implementation_france


def test_the_public_state_page_shows_the_public_changes_in_plain_words(client, public_changes):
    page = client.get(reverse("recommendations:state-detail", args=["FR"])).content.decode()
    start = page.index('id="history-heading"')
    history = page[start : page.index("</section>", start)]  # in the history itself, not a list apart
    assert "Lead agency changed from Ministry of Interior to Ministry of Justice" in history
    assert "Evidence “Decree 2024-12” published" in history
    assert "Other changes" not in page
    for private in ("editor", "Edwina", "Staffname", "secret_owner", "private words", "Owner", "Internal note"):
        assert private not in page, private


def test_the_api_lists_the_public_changes_only(client, public_changes):
    response = client.get("/api/v1/changes/", {"state": "FR"})
    assert response.status_code == 200
    rows = response.json()["results"]
    summaries = [summary for row in rows for summary in row["summary"]]
    assert "Lead agency changed from Ministry of Interior to Ministry of Justice" in summaries
    assert "Evidence “Decree 2024-12” published" in summaries
    text = response.content.decode()
    for private in ("secret_owner", "private words", "owner", "Staffname"):
        assert private not in text, private


def test_the_feeds_carry_the_public_changes(client, public_changes):
    number = public_changes.commitment.number
    for url in ("/feeds/changes.atom", "/feeds/states/FR.atom", f"/feeds/commitments/{number}.atom"):
        feed = client.get(url).content.decode()
        assert "Lead agency changed from Ministry of Interior to Ministry of Justice" in feed, url
        assert "secret_owner" not in feed and "Staffname" not in feed


def test_staff_see_every_record_on_the_implementation_page_and_in_the_admin(client, editor, public_changes):
    client.force_login(editor)
    page = client.get(reverse("staff:implementation", args=[public_changes.pk])).content.decode()
    assert "Ministry of Justice" in page and "secret_owner" in page and "private words" in page
    history = client.get(reverse("admin:recommendations_implementation_history", args=[public_changes.pk]))
    assert history.status_code == 200
    text = history.content.decode()
    assert "Ministry of Justice" in text and "secret_owner" in text


def test_a_status_refused_after_its_new_evidence_was_stored_leaves_no_file_row_or_record(
    focal_point_france, implementation_france, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import minimal_pdf_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    file = SimpleUploadedFile("law.pdf", minimal_pdf_bytes())
    file.gcm_content_type = "application/pdf"
    before = ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.implementation_set_status(
            implementation=implementation_france,
            status="implemented",
            actor=focal_point_france,
            comment="In force",  # but no public rationale: refused after the evidence was stored
            new_evidence=services.NewEvidence(title="Law", kind="law", file=file),
        )
    assert "rationale" in refused.value.message_dict
    assert not Evidence.objects.filter(implementation=implementation_france).exists()
    assert [p for p in (tmp_path / "media").rglob("*") if p.is_file()] == []
    assert ChangeRecord.objects.count() == before


def test_the_state_history_says_where_its_change_records_download(client, public_changes):
    page = client.get(reverse("recommendations:state-detail", args=["FR"])).content.decode()
    assert 'href="/api/v1/changes/?state=FR"' in page
    rows = client.get("/api/v1/changes/", {"state": "FR"}).json()["results"]
    assert any(row["changes"].get("lead_agency") for row in rows)
