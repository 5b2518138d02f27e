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
