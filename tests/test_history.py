import pytest
from django.core.exceptions import ValidationError

from recommendations import services
from recommendations.choices import Status
from recommendations.models import StatusUpdate


@pytest.fixture
def update(implementation_france, focal_point_france):
    return services.implementation_set_status(
        implementation=implementation_france, status=Status.PLANNED, actor=focal_point_france, comment="Plan adopted."
    )


def test_status_update_sets_current_status_in_the_same_write(update, implementation_france):
    implementation_france.refresh_from_db()
    assert implementation_france.status == Status.PLANNED
    assert update.previous_status == Status.NO_INFORMATION
    assert implementation_france.version == 2


def test_history_row_cannot_be_edited(update):
    update.comment = "rewritten"
    with pytest.raises(ValidationError):
        update.save()


def test_history_row_cannot_be_deleted(update):
    with pytest.raises(ValidationError):
        update.delete()
    assert StatusUpdate.objects.filter(pk=update.pk).exists()


def test_history_cannot_be_bulk_updated_or_deleted(update):
    with pytest.raises(ValidationError):
        StatusUpdate.objects.filter(pk=update.pk).update(comment="x")
    with pytest.raises(ValidationError):
        StatusUpdate.objects.filter(pk=update.pk).delete()
    update.refresh_from_db()
    assert update.comment == "Plan adopted."


def test_implementation_with_history_cannot_be_deleted(update, implementation_france):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        implementation_france.delete()


def test_every_update_carries_its_implementations_state_whichever_way_it_is_written(
    update, implementation_kenya, editor
):
    services.implementation_set_status_bulk(
        changes=[services.StatusChange(implementation=implementation_kenya, status=Status.PLANNED, comment="Bulk.")],
        actor=editor,
    )
    created = StatusUpdate(
        implementation=implementation_kenya, status=Status.IN_PROGRESS, previous_status=Status.PLANNED, comment="x"
    )
    created.save()
    rows = StatusUpdate.objects.values_list("state_id", "implementation__state_id")
    assert len(rows) == 3 and all(state == implementation_state for state, implementation_state in rows)
    assert StatusUpdate.objects.filter(state__iso2="KE").count() == 2


def test_a_states_public_history_in_the_api_is_the_states_alone(client, update, implementation_kenya, editor):
    services.implementation_set_status(
        implementation=implementation_kenya, status=Status.PLANNED, actor=editor, comment="Plan."
    )
    rows = client.get("/api/v1/status-updates/", {"state": "FR"}).json()["results"]
    assert [row["id"] for row in rows] == [update.pk]
