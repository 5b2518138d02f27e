"""Indicators of progress on the commitments: measurements per state against the target,
disaggregated by sex, age group and migratory status where given; public pages and downloads,
and staff entry through `services.measurement_save` (same scope as status).
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions, services
from .choices import Direction, MigratoryStatus, Sex
from .downloads import Column, download_response, requested_format
from .models import Indicator, Measurement, ReviewCycle, State


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
        .order_by("indicator__commitment__number", "indicator__code", "state__name", "-date", "sex", "age_group",
                  "migratory_status")
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


def indicator_detail(request, code):
    """One indicator: its definition, every measurement (all disaggregations) and each state's
    latest total against the target. `?format=csv|json` downloads the measurements."""
    try:
        indicator = Indicator.objects.select_related("commitment").get(code=code)
    except Indicator.DoesNotExist:
        raise Http404(_("No indicator %(code)s.") % {"code": code}) from None
    measurements = with_progress(public_measurements(indicator.measurements.all()))
    fmt = requested_format(request)
    if fmt:
        return download_response(
            request, fmt=fmt, filename=f"indicator-{indicator.code}", columns=MEASUREMENT_COLUMNS, objects=measurements
        )
    latest = latest_totals(measurements)
    context = {
        "indicator": indicator,
        "measurements": measurements,
        "latest": latest,
        "met": sum(1 for m in latest if m.progress["met"]),
        "can_enter": permissions.is_staff_member(request.user),
    }
    return render(request, "cycles/indicator_detail.html", context)


def commitment_indicators(commitment) -> list[dict]:
    """The commitment's indicators, each with every state's latest total against its target. One query."""
    indicators = list(commitment.indicators.all())
    if not indicators:
        return []
    measurements = with_progress(public_measurements(Measurement.objects.filter(indicator__in=indicators)))
    latest = latest_totals(measurements)
    return [
        {"indicator": i, "latest": [m for m in latest if m.indicator.code == i.code]} for i in indicators
    ]


# --- Staff: measurement entry


class MeasurementForm(forms.Form):
    indicator = forms.ModelChoiceField(label=gettext_lazy("Indicator"), queryset=Indicator.objects.none())
    state = forms.ModelChoiceField(label=gettext_lazy("State"), queryset=State.objects.none())
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=gettext_lazy("Value"), max_digits=14, decimal_places=3)
    review_cycle = forms.ModelChoiceField(
        label=gettext_lazy("Review cycle"), queryset=ReviewCycle.objects.none(), required=False
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices, initial=Sex.TOTAL)
    age_group = forms.CharField(
        label=gettext_lazy("Age group"), required=False, max_length=20,
        help_text=gettext_lazy('Blank for all ages; e.g. "0-17".'),
    )
    migratory_status = forms.ChoiceField(
        label=gettext_lazy("Migratory status"), choices=MigratoryStatus.choices, initial=MigratoryStatus.ALL
    )
    source = forms.CharField(label=gettext_lazy("Source"), required=False, max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.select_related("commitment").order_by(
            "commitment__number", "code"
        )
        self.fields["state"].queryset = permissions.editable_states(user).order_by("name")
        self.fields["review_cycle"].queryset = ReviewCycle.objects.order_by("closes_on")


@login_required
def measurement_new(request):
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied(_("Only staff may enter indicator measurements."))
    initial = {key: request.GET[key] for key in ("indicator", "state") if request.GET.get(key)}
    form = MeasurementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measurement, created = services.measurement_save(
                actor=request.user,
                indicator=data["indicator"],
                state=data["state"],
                date=data["date"],
                value=data["value"],
                sex=data["sex"],
                age_group=data["age_group"],
                migratory_status=data["migratory_status"],
                review_cycle=data["review_cycle"],
                source=data["source"],
            )
        except PermissionDenied as error:
            form.add_error("state", str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = _("Measurement recorded.") if created else _("Measurement corrected.")
            messages.success(request, text)
            return redirect(reverse("cycles:indicator-detail", args=[measurement.indicator.code]))
    recent = (
        permissions.restrict_to_scope(Measurement.objects.all(), request.user)
        .select_related("indicator", "state", "review_cycle")
        .order_by("-id")[:10]
    )
    return render(request, "cycles/measurement_form.html", {"form": form, "recent": recent})
