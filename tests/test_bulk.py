"""Bulk status change: every row through the same service and permission check; all or none."""

import pytest

from recommendations.choices import Status, Track
from recommendations.models import Evidence, Implementation, StatusUpdate
from recommendations.services.bulk import BulkEvidence, BulkRefused, implementations_bulk_set_status

pytestmark = pytest.mark.django_db


def test_editor_applies_one_status_with_evidence_to_many(editor, implementation_france, implementation_kenya):
    updates = implementations_bulk_set_status(
        implementations=[implementation_france, implementation_kenya],
        status=Status.IMPLEMENTED,
        actor=editor,
        comment="Regional review",
        rationale="Both laws are in force.",
        track=Track.ASSESSED,
        evidence=BulkEvidence(title="Regional review report", url="https://example.org/review"),
    )
    assert len(updates) == 2
    for implementation in (implementation_france, implementation_kenya):
        implementation.refresh_from_db()
        assert implementation.assessment == Status.IMPLEMENTED
        assert implementation.evidence.get().title == "Regional review report"


def test_focal_point_batch_touching_another_state_applies_nothing(
    focal_point_france, implementation_france, implementation_kenya
):
    with pytest.raises(BulkRefused) as refused:
        implementations_bulk_set_status(
            implementations=[implementation_france, implementation_kenya],
            status=Status.PLANNED,
            actor=focal_point_france,
            comment="plan",
        )
    assert refused.value.implementation == implementation_kenya
    assert not StatusUpdate.objects.filter(implementation__in=[implementation_france, implementation_kenya]).exists()
    assert Implementation.objects.get(pk=implementation_france.pk).status == Status.NO_INFORMATION


def test_implemented_without_evidence_is_refused_for_the_whole_batch(
    editor, implementation_france, implementation_kenya
):
    with pytest.raises(BulkRefused) as refused:
        implementations_bulk_set_status(
            implementations=[implementation_france, implementation_kenya],
            status=Status.IMPLEMENTED,
            actor=editor,
            comment="done",
            rationale="in force",
        )
    assert "evidence" in str(refused.value)
    assert not StatusUpdate.objects.filter(implementation__in=[implementation_france, implementation_kenya]).exists()
    assert not Evidence.objects.filter(implementation__in=[implementation_france, implementation_kenya]).exists()


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
