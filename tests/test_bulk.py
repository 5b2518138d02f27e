"""Bulk status change: every row through the same service and permission check; all or none."""

import pytest

from recommendations.bulk import BulkEvidence, BulkRefused, implementations_bulk_set_status
from recommendations.choices import Status, Track
from recommendations.models import Evidence, Implementation, StatusUpdate

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
