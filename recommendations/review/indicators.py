"""Indicators of progress on the commitments: measurements per state against the target,
disaggregated by sex, age group and migratory status where given, and the latest totals a page
compares with the target. Read by the review pages (the indicator page is in `cycles.py`) and the
public commitment and state pages; never who entered a measurement. Staff enter measurements at
/staff/measurements/new/ (`staff/measurements.py`, through `services.measurement_save`).
"""

from decimal import Decimal

from ..choices import Direction, MigratoryStatus, Sex
from ..downloads import Column
from ..models import Indicator, Measurement


def target_progress(value: Decimal, indicator: Indicator) -> dict:
    """How far a value has gone from the indicator's baseline towards its target, and whether it meets it."""
    target, baseline = indicator.target, indicator.baseline
    if target is None:
        return {"met": None, "percent": None}
    met = value >= target if indicator.direction == Direction.HIGHER else value <= target
    percent = None
    if baseline is not None and baseline != target:
        percent = round(100 * (value - baseline) / (target - baseline))
    return {"met": met, "percent": percent}


def plain_number(value: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 63.8 rather than 63.800, 80 rather than 8E+1."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def with_progress(measurements):
    measurements = list(measurements)
    for m in measurements:
        m.progress = target_progress(m.value, m.indicator)
        m.value_text = plain_number(m.value)
    return measurements


MEASUREMENT_FIELDS = (
    "id",
    "date",
    "value",
    "sex",
    "age_group",
    "migratory_status",
    "source",
    "state__iso2",
    "state__name",
    "indicator__code",
    "indicator__name",
    "indicator__unit",
    "indicator__direction",
    "indicator__baseline",
    "indicator__target",
    "indicator__target_date",
    "indicator__commitment__number",
    "review_cycle__name",
    "review_cycle__slug",
)


def public_measurements(queryset=None):
    """Measurements with what a page shows of them (never who entered them). One query."""
    queryset = queryset if queryset is not None else Measurement.objects.all()
    return (
        queryset.select_related("state", "indicator__commitment", "review_cycle")
        .only(*MEASUREMENT_FIELDS)
        .order_by(
            "indicator__commitment__number",
            "indicator__code",
            "state__name",
            "-date",
            "sex",
            "age_group",
            "migratory_status",
        )
    )


def latest_totals(measurements) -> list:
    """Per indicator and state, the latest measurement that is not disaggregated: the one compared with the target."""
    seen, latest = set(), []
    for m in measurements:  # ordered by indicator, state, newest first
        key = (m.indicator.code, m.state.iso2)
        if m.sex == Sex.TOTAL and not m.age_group and m.migratory_status == MigratoryStatus.ALL and key not in seen:
            seen.add(key)
            latest.append(m)
    return latest


MEASUREMENT_COLUMNS = [
    Column("indicator", lambda m: m.indicator.code),
    Column("commitment", lambda m: m.indicator.commitment.number),
    Column("state_iso2", lambda m: m.state.iso2),
    Column("state", lambda m: m.state.name),
    Column("date", lambda m: m.date),
    Column("review_cycle", lambda m: m.review_cycle.slug if m.review_cycle_id else ""),
    Column("sex", lambda m: m.sex),
    Column("age_group", lambda m: m.age_group),
    Column("migratory_status", lambda m: m.migratory_status),
    Column("value", lambda m: m.value),
    Column("unit", lambda m: m.indicator.unit),
    Column("direction", lambda m: m.indicator.direction),
    Column("baseline", lambda m: m.indicator.baseline),
    Column("target", lambda m: m.indicator.target),
    Column("target_met", lambda m: target_progress(m.value, m.indicator)["met"]),
    Column("source", lambda m: m.source),
]


def commitment_indicators(commitment) -> list[dict]:
    """The commitment's indicators, each with every state's latest total against its target. One query."""
    indicators = list(commitment.indicators.all())
    if not indicators:
        return []
    measurements = with_progress(public_measurements(Measurement.objects.filter(indicator__in=indicators)))
    latest = latest_totals(measurements)
    return [{"indicator": i, "latest": [m for m in latest if m.indicator.code == i.code]} for i in indicators]
