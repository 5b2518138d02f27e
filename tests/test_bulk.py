"""The one status service in bulk: every change through the same rules and permission check; all
or none. The admin's bulk action applies one status (and a copy of one piece of evidence) to
many implementations through it; a single change is a bulk of one (tests/test_import.py holds
the two side by side)."""

import pytest

from recommendations import services
from recommendations.choices import Door, Status, Track
from recommendations.models import ChangeRecord, Evidence, Implementation, StatusUpdate

pytestmark = pytest.mark.django_db


def _changes(implementations, status, comment, rationale="", track=Track.REPORTED, evidence=None):
    return [
        services.StatusChange(
            implementation=implementation,
            status=status,
            comment=comment,
            rationale=rationale,
            track=track,
            new_evidence=evidence,
        )
        for implementation in implementations
    ]


def test_editor_applies_one_status_with_evidence_to_many(editor, implementation_france, implementation_kenya):
    evidence = services.NewEvidence(title="Regional review report", url="https://example.org/review")
    updates = services.implementation_set_status_bulk(
        changes=_changes(
            [implementation_france, implementation_kenya],
            Status.IMPLEMENTED,
            "Regional review",
            "Both laws are in force.",
            Track.ASSESSED,
            evidence,
        ),
        actor=editor,
    )
    assert len(updates) == 2
    for implementation in (implementation_france, implementation_kenya):
        implementation.refresh_from_db()
        assert implementation.assessment == Status.IMPLEMENTED
        added = implementation.evidence.get()
        assert added.title == "Regional review report"
        assert list(added.status_updates.all()) == [implementation.updates.get()]


def test_focal_point_batch_touching_another_state_applies_nothing(
    focal_point_france, implementation_france, implementation_kenya
):
    with pytest.raises(services.BulkStatusError) as refused:
        services.implementation_set_status_bulk(
            changes=_changes([implementation_france, implementation_kenya], Status.PLANNED, "plan"),
            actor=focal_point_france,
        )
    assert list(refused.value.errors) == [1]
    assert "permission" in refused.value.errors[1]
    assert not StatusUpdate.objects.filter(implementation__in=[implementation_france, implementation_kenya]).exists()
    assert Implementation.objects.get(pk=implementation_france.pk).status == Status.NO_INFORMATION


def test_implemented_without_evidence_is_refused_for_the_whole_batch(
    editor, implementation_france, implementation_kenya
):
    with pytest.raises(services.BulkStatusError) as refused:
        services.implementation_set_status_bulk(
            changes=_changes([implementation_france, implementation_kenya], Status.IMPLEMENTED, "done", "in force"),
            actor=editor,
        )
    assert set(refused.value.errors) == {0, 1}
    assert all("evidence" in errors for errors in refused.value.errors.values())
    assert not StatusUpdate.objects.filter(implementation__in=[implementation_france, implementation_kenya]).exists()
    assert not Evidence.objects.filter(implementation__in=[implementation_france, implementation_kenya]).exists()


def test_a_single_change_is_a_bulk_of_one_with_the_same_refusals(editor, implementation_france):
    from django.core.exceptions import ValidationError

    with pytest.raises(services.BulkStatusError) as bulk:
        services.implementation_set_status_bulk(
            changes=_changes([implementation_france], Status.IMPLEMENTED, ""), actor=editor
        )
    with pytest.raises(ValidationError) as single:
        services.implementation_set_status(
            implementation=implementation_france, status=Status.IMPLEMENTED, comment="", actor=editor
        )
    assert single.value.message_dict == {name: [message] for name, message in bulk.value.errors[0].items()}


def changelist(client, user):
    from django.urls import reverse

    client.force_login(user)
    return reverse("admin:recommendations_implementation_changelist")


def test_admin_bulk_action_asks_then_applies_to_all(client, editor, implementation_france, implementation_kenya):
    url = changelist(client, editor)
    ids = [implementation_france.pk, implementation_kenya.pk]
    form = client.post(url, {"action": "set_status", "_selected_action": ids})
    assert form.status_code == 200 and b"Apply to all" in form.content
    client.post(
        url,
        {
            "action": "set_status",
            "_selected_action": ids,
            "apply": "1",
            "track": "assessed",
            "status": Status.PLANNED,
            "comment": "cycle review",
        },
    )
    assert set(Implementation.objects.filter(pk__in=ids).values_list("assessment", flat=True)) == {Status.PLANNED}


def test_the_admin_bulk_action_with_evidence_records_it_as_a_bulk_change(
    client, editor, implementation_france, implementation_kenya
):
    url = changelist(client, editor)
    ids = [implementation_france.pk, implementation_kenya.pk]
    client.post(
        url,
        {
            "action": "set_status",
            "_selected_action": ids,
            "apply": "1",
            "track": "assessed",
            "status": Status.IMPLEMENTED,
            "comment": "cycle review",
            "rationale": "in force",
            "evidence_title": "Review report",
            "evidence_url": "https://example.org/review",
        },
    )
    assert set(Implementation.objects.filter(pk__in=ids).values_list("assessment", flat=True)) == {Status.IMPLEMENTED}
    records = ChangeRecord.objects.filter(implementation_id__in=ids, content_type__model="evidence")
    assert {(record.door, record.action) for record in records} == {(Door.BULK, "created")}
    assert records.count() == 2


def test_admin_bulk_action_refusal_applies_nothing(client, editor, implementation_france, implementation_kenya):
    url = changelist(client, editor)
    ids = [implementation_france.pk, implementation_kenya.pk]
    response = client.post(
        url,
        {
            "action": "set_status",
            "_selected_action": ids,
            "apply": "1",
            "track": "reported",
            "status": Status.IMPLEMENTED,
            "comment": "done",
            "rationale": "in force",
        },
        follow=True,
    )
    assert "evidence" in response.content.decode()
    assert not StatusUpdate.objects.filter(implementation__in=ids).exists()
