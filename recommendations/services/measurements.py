"""Writes of indicator measurements: record a value, correct the one recorded for the same date
and disaggregation (same scope as status), or remove one; each with its change record."""

import datetime

from django.utils.translation import gettext as _

from .. import permissions
from ..choices import ChangeAction, MigratoryStatus, Sex
from ..models import Indicator, Measurement, ReviewCycle, State
from . import changes
from .context import service
from .logs import denied, logger


@service
def measurement_save(
    *,
    actor,
    indicator: Indicator,
    state: State,
    date: datetime.date,
    value,
    sex: str = Sex.TOTAL,
    age_group: str = "",
    migratory_status: str = MigratoryStatus.ALL,
    review_cycle: ReviewCycle | None = None,
    source: str = "",
    instance: Measurement | None = None,
    is_demo: bool = False,
) -> tuple[Measurement, bool]:
    """Record an indicator's value for a state, or correct the value already recorded for the same
    date and disaggregation; `instance` (the admin's edit of one row) is corrected in place, its
    date and disaggregation too. Returns the measurement and whether it was created."""
    if not permissions.can_enter_measurement(actor, state.pk):
        raise denied(_("You may not enter measurements for %(state)s.") % {"state": state})
    key = {
        "indicator": indicator,
        "state": state,
        "date": date,
        "sex": sex,
        "age_group": age_group.strip(),
        "migratory_status": migratory_status,
    }
    if instance is not None and instance.pk is not None:
        measurement = Measurement.objects.select_for_update().get(pk=instance.pk)
        if not permissions.can_enter_measurement(actor, measurement.state_id):
            raise denied(_("You may not enter measurements for %(state)s.") % {"state": measurement.state})
    else:
        measurement = Measurement.objects.select_for_update().filter(**key).first()
    created = measurement is None
    before = changes.snapshot(measurement)
    if created:
        measurement = Measurement(is_demo=is_demo)
    for name, given in key.items():
        setattr(measurement, name, given)
    measurement.value, measurement.review_cycle, measurement.source = value, review_cycle, source.strip()
    measurement.entered_by = actor
    measurement.full_clean(
        exclude=["indicator", "state", "review_cycle", "entered_by"], validate_unique=instance is not None
    )
    measurement.save()
    changes.record(actor=actor, instance=measurement, before=before)
    logger.info(
        "measurement saved",
        extra={"measurement": measurement.pk, "indicator": indicator.pk, "state": state.pk, "new": created},
    )
    if instance is not None:
        instance.pk = measurement.pk
    return measurement, created


@service
def measurement_delete(*, actor, measurement: Measurement) -> None:
    if not permissions.is_editor(actor):
        raise denied(_("Only the secretariat removes measurements."))
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    changes.record(
        actor=actor, instance=measurement, before=changes.snapshot(measurement), after={}, action=ChangeAction.DELETED
    )
    measurement.delete()
