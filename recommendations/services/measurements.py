"""Writes of indicator measurements: record a value, or correct the one recorded for the same
date and disaggregation (same scope as status)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import MigratoryStatus, Sex
from ..models import Indicator, Measurement, ReviewCycle, State
from .logs import denied, logger


@transaction.atomic
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
) -> tuple[Measurement, bool]:
    """Record an indicator's value for a state, or correct the value already recorded for the same
    date and disaggregation. Returns the measurement and whether it was created."""
    if not permissions.can_enter_measurement(actor, state.pk):
        raise denied(_("You may not enter measurements for %(state)s.") % {"state": state})
    measurement = (
        Measurement.objects.select_for_update()
        .filter(
            indicator=indicator,
            state=state,
            date=date,
            sex=sex,
            age_group=age_group.strip(),
            migratory_status=migratory_status,
        )
        .first()
    )
    created = measurement is None
    if created:
        measurement = Measurement(
            indicator=indicator,
            state=state,
            date=date,
            sex=sex,
            age_group=age_group.strip(),
            migratory_status=migratory_status,
        )
    measurement.value, measurement.review_cycle, measurement.source = value, review_cycle, source.strip()
    measurement.entered_by = actor
    measurement.full_clean(exclude=["indicator", "state", "review_cycle", "entered_by"], validate_unique=False)
    measurement.save()
    logger.info(
        "measurement saved",
        extra={"measurement": measurement.pk, "indicator": indicator.pk, "state": state.pk, "new": created},
    )
    return measurement, created
