"""An id no row can have (a number past 64 bits, as a crafted form may send) is refused as "not a
valid choice" by the staff forms, never a server error: SQLite raised OverflowError on it inside
Django's ModelMultipleChoiceField (staff/forms.py IdChoiceField, IdMultipleChoiceField)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import ReportingRound

pytestmark = pytest.mark.django_db

HUGE = str(2**64)


def test_the_status_forms_evidence(client, editor, implementation_france):
    client.force_login(editor)
    response = client.post(
        reverse("staff:implementation", args=[implementation_france.pk]),
        {
            "version": implementation_france.version,
            "track": "reported",
            "status": "in_progress",
            "effective_date": timezone.localdate().isoformat(),
            "comment": "c",
            "evidence": [HUGE],
        },
    )
    assert response.status_code == 400 and "evidence" in response.context["status_form"].errors
    assert not implementation_france.updates.exists()


def test_the_assignments_owner(client, editor, implementation_france):
    client.force_login(editor)
    response = client.post(
        reverse("staff:implementation-assign", args=[implementation_france.pk]),
        {"version": implementation_france.version, "owner": HUGE, "position": "supported"},
    )
    assert response.status_code == 400 and "owner" in response.context["assign_form"].errors


@pytest.mark.parametrize("field", ["cycle", "commitments", "recommendations", "states"])
def test_the_round_forms_choices(client, editor, field):
    client.force_login(editor)
    data = {"name": "R", "opens_on": "2026-01-01", "deadline": "2026-02-01", "commitments": ["1"], "states": ["1"]}
    data[field] = [HUGE]
    response = client.post(reverse("staff:round-new"), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not ReportingRound.objects.exists()
