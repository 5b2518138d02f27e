"""Review and follow-up: review cycles, what changed between them, follow-up reports, indicators.

Everything a cycle reports is derived from the status history at the cycle's closing date
(`asof.py`), so a cycle page never disagrees with the history and needs no copy of the data.
Pages here are public except measurement entry, which asks `permissions.can_enter_measurement`
through `services.measurement_save`.

Query counts do not grow with the history: a comparison is three queries (`asof.compare`), a
timeline is one query however many periods it has (`status_series`).
"""

import datetime
from collections import Counter
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions, services
from .asof import compare, month_ends, with_status_as_of
from .choices import Direction, MigratoryStatus, Sex, Track
from .downloads import Column, download_response, requested_format
from .models import Commitment, Implementation, Indicator, Measurement, ReviewCycle, State

# ---------------------------------------------------------------------------------------------
# Selectors


def status_series(queryset, dates: list[datetime.date], labels: list[str], *, track: str = Track.REPORTED) -> dict:
    """How many of these implementations stood at each status at each date, as `{% status_timeline %}` wants.

    One query whatever the number of dates: each date is a correlated subquery on the
    (implementation, track, effective_date) index, and only the track asked for is selected.
    """
    column = "status" if track == Track.REPORTED else "assessment"
    queryset = queryset.order_by()
    names = []
    for index, date in enumerate(dates):
        queryset = with_status_as_of(queryset, date, prefix=f"p{index}")
        names.append(f"p{index}_{column}")
    counts = [Counter() for _ in dates]
    if names:
        for row in queryset.values_list(*names):
            for index, status in enumerate(row):
                counts[index][status] += 1
    return {"periods": labels, "counts": [dict(c) for c in counts]}


def timeline_periods(cycles, today: datetime.date | None = None) -> tuple[list[datetime.date], list[str], str]:
    """The closing dates of the cycles already closed, then today; with no cycle, the last 24 month ends."""
    today = today or timezone.localdate()
    closed = [cycle for cycle in cycles if cycle.closes_on < today]
    if closed:
        return [c.closes_on for c in closed] + [today], [c.name for c in closed] + [_("Today")], "cycle"
    start = (today.replace(day=1) - datetime.timedelta(days=700)).replace(day=1)
    dates = month_ends(start, today)[-24:]
    return dates, [d.strftime("%Y-%m") for d in dates], "month"


def timeline(queryset, *, track: str = Track.REPORTED) -> dict:
    """Progress over time for a page: by cycle where cycles exist, else by month (two queries)."""
    cycles = list(ReviewCycle.objects.only("name", "slug", "closes_on").order_by("closes_on"))
    dates, labels, by = timeline_periods(cycles)
    series = status_series(queryset, dates, labels, track=track)
    rows = [
        {"label": label, "url": None, "counts": counts}
        for label, counts in zip(labels, series["counts"], strict=True)
    ]
    return {"series": series, "rows": rows, "by": by, "cycles": cycles}


def previous_cycle(cycle: ReviewCycle) -> ReviewCycle | None:
    return ReviewCycle.objects.filter(closes_on__lt=cycle.closes_on).order_by("-closes_on").first()


def comparison_window(cycle: ReviewCycle, since: ReviewCycle | None) -> tuple[datetime.date, str]:
    """Compare with the other cycle's close, or for the first cycle with the day before it opened."""
    if since is not None:
        return since.closes_on, since.name
    start = cycle.opens_on - datetime.timedelta(days=1)
    return start, _("before the cycle opened (%(date)s)") % {"date": start.isoformat()}


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


def with_progress(measurements):
    measurements = list(measurements)
    for m in measurements:
        m.progress = target_progress(m.value, m.indicator)
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


# ---------------------------------------------------------------------------------------------
# "As of" a date on the public pages


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("Show statuses as of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("A past date, as YYYY-MM-DD. Leave empty for today."),
        error_messages={"invalid": gettext_lazy("That is not a valid date (YYYY-MM-DD); showing today's statuses.")},
    )

    def clean_as_of(self):
        date = self.cleaned_data["as_of"]
        if date and date > timezone.localdate():
            raise ValidationError(_("The date is in the future; showing today's statuses."))
        return date


def as_of_date(request) -> tuple[AsOfForm, datetime.date | None]:
    """The page's `?as_of=` date if valid and past, else None: the page then shows today's statuses
    and the form says why."""
    form = AsOfForm(request.GET if request.GET.get("as_of") else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["as_of"]
    return form, None


# ---------------------------------------------------------------------------------------------
# Views


def _track(request) -> str:
    return Track.ASSESSED if request.GET.get("track") == Track.ASSESSED else Track.REPORTED


def _cycle(slug: str) -> ReviewCycle:
    try:
        return ReviewCycle.objects.select_related("event").get(slug=slug)
    except ReviewCycle.DoesNotExist:
        raise Http404(_("No review cycle %(slug)s.") % {"slug": slug}) from None


def _since(request, cycle: ReviewCycle, cycles: list[ReviewCycle]) -> ReviewCycle | None:
    """The cycle to compare with: ?since=<slug> if it closed earlier, else the one just before."""
    earlier = [c for c in cycles if c.closes_on < cycle.closes_on]
    wanted = request.GET.get("since")
    for other in earlier:
        if other.slug == wanted:
            return other
    return earlier[-1] if earlier else None


def cycle_list(request):
    cycles = list(ReviewCycle.objects.select_related("event").order_by("closes_on"))
    track = _track(request)
    today = timezone.localdate()
    dates = [c.closes_on for c in cycles]
    series = status_series(
        Implementation.objects.filter(commitment__isnull=False), dates, [c.name for c in cycles], track=track
    )
    rows = [{"label": c.name, "url": c.get_absolute_url(), "counts": n} for c, n in zip(cycles, series["counts"],
                                                                                       strict=True)]
    context = {"cycles": cycles, "series": series, "rows": rows, "track": track, "today": today}
    return render(request, "cycles/cycle_list.html", context)


CHANGE_COLUMNS = [
    Column("state_iso2", lambda c: c.implementation.state.iso2),
    Column("state", lambda c: c.implementation.state.name),
    Column("item", lambda c: c.implementation.commitment.number if c.implementation.commitment_id
           else c.implementation.recommendation.code),
    Column("before", lambda c: c.before),
    Column("after", lambda c: c.after),
    Column("direction", lambda c: c.direction),
    Column("rationale", lambda c: [u.rationale for u in c.updates if u.rationale]),
    Column("public_evidence", lambda c: [e.title for u in c.updates for e in u.evidence.all()]),
    Column("evidence_urls", lambda c: [e.url for u in c.updates for e in u.evidence.all() if e.url]),
]


def cycle_detail(request, slug):
    cycle = _cycle(slug)
    cycles = list(ReviewCycle.objects.order_by("closes_on"))
    since = _since(request, cycle, cycles)
    start, start_label = comparison_window(cycle, since)
    track = _track(request)
    commitment = None
    if request.GET.get("commitment", "").isdigit():
        commitment = Commitment.objects.filter(number=int(request.GET["commitment"])).first()
    comparison = compare(Implementation.objects.filter(commitment__isnull=False), start, cycle.closes_on, track=track)
    changes = [c for c in comparison.changes if c.direction != "same"]
    if commitment is not None:
        changes = [c for c in changes if c.implementation.commitment_id == commitment.pk]
    changes.sort(key=lambda c: (c.implementation.state.name, c.implementation.commitment.number))
    fmt = requested_format(request)
    if fmt:
        name = f"cycle-{cycle.slug}-changes" + (f"-commitment-{commitment.number}" if commitment else "")
        return download_response(request, fmt=fmt, filename=name, columns=CHANGE_COLUMNS, objects=changes)
    at_close = {}
    for change in comparison.changes:
        at_close.setdefault(change.implementation.commitment, Counter())[change.after] += 1
    rows = []
    for item, moves in sorted(comparison.per_commitment.items(), key=lambda pair: pair[0].number):
        rows.append({"commitment": item, "moves": moves, "counts": at_close.get(item, {}), "label": str(item),
                     "url": None})
    context = {
        "cycle": cycle,
        "cycles": cycles,
        "since": since,
        "start": start,
        "start_label": start_label,
        "track": track,
        "commitment": commitment,
        "rows": rows,
        "changes": changes,
        "states_moved": len({c.implementation.state_id for c in changes}),
        "up": sum(1 for c in changes if c.direction == "up"),
        "down": sum(1 for c in changes if c.direction == "down"),
    }
    return render(request, "cycles/cycle_detail.html", context)


STATE_REPORT_COLUMNS = [
    Column("item", lambda r: r["label"]),
    Column("reported_before", lambda r: r["reported"].before),
    Column("reported_at_close", lambda r: r["reported"].after),
    Column("reported_direction", lambda r: r["reported"].direction),
    Column("assessed_before", lambda r: r["assessed"].before),
    Column("assessed_at_close", lambda r: r["assessed"].after),
    Column("assessed_direction", lambda r: r["assessed"].direction),
    Column("rationale", lambda r: [u.rationale for u in r["updates"] if u.rationale]),
    Column("public_evidence", lambda r: [e.title for u in r["updates"] for e in u.evidence.all()]),
    Column("evidence_urls", lambda r: [e.url for u in r["updates"] for e in u.evidence.all() if e.url]),
]


def state_report(request, slug, iso2):
    """The follow-up report of one state for one cycle: every item's status at the previous close and
    at this one, on both tracks, with the public rationale and evidence of each change, and the
    state's indicator values in the cycle against their targets."""
    cycle = _cycle(slug)
    try:
        state = State.objects.get(iso2=iso2.upper())
    except State.DoesNotExist:
        raise Http404(_("No state with the code %(code)s.") % {"code": iso2}) from None
    cycles = list(ReviewCycle.objects.order_by("closes_on"))
    since = _since(request, cycle, cycles)
    start, start_label = comparison_window(cycle, since)
    items = Implementation.objects.filter(state=state)
    reported = compare(items, start, cycle.closes_on, track=Track.REPORTED)
    assessed = {c.implementation.pk: c for c in compare(items, start, cycle.closes_on, track=Track.ASSESSED).changes}
    rows = []
    for change in reported.changes:
        implementation = change.implementation
        other = assessed[implementation.pk]
        updates = sorted([*change.updates, *other.updates], key=lambda u: (u.effective_date, u.created_at, u.pk))
        rows.append(
            {
                "implementation": implementation,
                "label": (str(implementation.commitment) if implementation.commitment_id
                          else implementation.recommendation.code),
                "reported": change,
                "assessed": other,
                "updates": updates,
            }
        )
    rows.sort(key=lambda r: (r["implementation"].commitment_id is None,
                             r["implementation"].commitment.number if r["implementation"].commitment_id else 0,
                             r["label"]))
    fmt = requested_format(request)
    if fmt:
        return download_response(
            request, fmt=fmt, filename=f"{state.iso2}-{cycle.slug}-follow-up", columns=STATE_REPORT_COLUMNS,
            objects=rows,
        )
    measurements = with_progress(public_measurements(Measurement.objects.filter(state=state, review_cycle=cycle)))
    moves = Counter(r["reported"].direction for r in rows)
    context = {
        "cycle": cycle,
        "cycles": cycles,
        "since": since,
        "start": start,
        "start_label": start_label,
        "state": state,
        "rows": rows,
        "moves": moves,
        "measurements": measurements,
    }
    return render(request, "cycles/state_report.html", context)


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


# ---------------------------------------------------------------------------------------------
# Staff: measurement entry


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

