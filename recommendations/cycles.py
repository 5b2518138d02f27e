"""Review and follow-up: review cycles, what changed between them, follow-up reports, indicators.

Everything a cycle reports is derived from the status history at the cycle's closing date
(`asof.py`), so a cycle page never disagrees with the history and needs no copy of the data.
Pages here are public; indicators and measurement entry are in `indicators.py`.

Query counts do not grow with the history: a comparison is three queries (`asof.compare`), a
timeline is one query however many periods it has (`status_series`).
"""

import bisect
import datetime
from collections import Counter

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import FilteredRelation, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import indicators
from .asof import compare, month_ends, with_status_as_of
from .choices import Status, Track
from .downloads import Column, download_response, requested_format
from .models import Commitment, Implementation, Measurement, ReviewCycle, State

# ---------------------------------------------------------------------------------------------
# Selectors


def status_series(queryset, dates: list[datetime.date], labels: list[str], *, track: str = Track.REPORTED) -> dict:
    """How many of these implementations stood at each status at each date, as `{% status_timeline %}` wants.

    One query whatever the number of dates: each implementation's status at the first date (a
    correlated subquery on the (implementation, track, effective_date) index), joined to the
    updates between the first date and the last, which are then replayed in order. The rows read
    are the implementations and the changes the chart shows, not the older history; a subquery
    per implementation per date cost ten times more at 195 implementations and 24 months.
    """
    if not dates:
        return {"periods": labels, "counts": []}
    column = "status" if track == Track.REPORTED else "assessment"
    first, last = dates[0], dates[-1]
    rows = (
        with_status_as_of(queryset, first)
        .annotate(
            moves=FilteredRelation(
                "updates",
                condition=Q(updates__track=track, updates__effective_date__gt=first, updates__effective_date__lte=last),
            )
        )
        .order_by("moves__effective_date", "moves__created_at", "moves__id")
        .values_list("pk", f"then_{column}", "moves__effective_date", "moves__status")
    )
    start, current = {}, {}
    changes = [Counter() for _ in dates]  # per date: how each status's count moved since the date before
    for pk, status, day, moved_to in rows:
        start.setdefault(pk, status)
        if day is None:
            continue
        change = changes[bisect.bisect_left(dates, day)]
        change[current.get(pk, status)] -= 1
        change[moved_to] += 1
        current[pk] = moved_to
    counts, running = [], Counter(start.values())
    for change in changes:
        running.update(change)
        counts.append({status: n for status, n in running.items() if n})
    return {"periods": labels, "counts": counts}


def timeline_periods(cycles, today: datetime.date | None = None) -> tuple[list[datetime.date], list[str], str]:
    """The closing dates of the cycles already closed, then today; with no cycle, the last 24 month ends."""
    today = today or timezone.localdate()
    closed = [cycle for cycle in cycles if cycle.closes_on < today]
    if closed:
        return [c.closes_on for c in closed] + [today], [c.name for c in closed] + [_("Today")], "cycle"
    start = (today.replace(day=1) - datetime.timedelta(days=700)).replace(day=1)
    dates = month_ends(start, today)[-24:]
    return dates, [d.strftime("%Y-%m") for d in dates], "month"


def chart_series(series: dict, dates: list[datetime.date]) -> dict:
    """The series as the chart draws it: short period labels that fit a phone (the table beside it
    names each period in full), and without "no information", which would dwarf every other status."""
    return {
        "periods": [date_format(date, "M Y") for date in dates],
        "counts": [{k: n for k, n in counts.items() if k != Status.NO_INFORMATION} for counts in series["counts"]],
    }


def without_no_information(rows: list[dict]) -> list[dict]:
    return [{**row, "counts": {k: n for k, n in row["counts"].items() if k != Status.NO_INFORMATION}} for row in rows]


def timeline(queryset, *, track: str = Track.REPORTED) -> dict:
    """Progress over time for a page: by cycle where cycles exist, else by month (two queries)."""
    cycles = list(ReviewCycle.objects.only("name", "slug", "closes_on").order_by("closes_on"))
    dates, labels, by = timeline_periods(cycles)
    series = status_series(queryset, dates, labels, track=track)
    rows = [
        {"label": label, "url": None, "counts": counts}
        for label, counts in zip(labels, series["counts"], strict=True)
    ]
    return {"series": series, "chart": chart_series(series, dates), "rows": rows, "by": by, "cycles": cycles}


def comparison_window(cycle: ReviewCycle, since: ReviewCycle | None) -> tuple[datetime.date, str]:
    """Compare with the other cycle's close, or for the first cycle with the day before it opened."""
    if since is not None:
        return since.closes_on, since.name
    start = cycle.opens_on - datetime.timedelta(days=1)
    return start, _("before the cycle opened (%(date)s)") % {"date": start.isoformat()}


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
    rows = [
        {"label": c.name, "url": c.get_absolute_url(), "counts": n}
        for c, n in zip(cycles, series["counts"], strict=True)
    ]
    context = {"cycles": cycles, "chart": chart_series(series, dates), "rows": rows, "track": track, "today": today}
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
        "bar_rows": without_no_information(rows),
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
    measurements = indicators.with_progress(
        indicators.public_measurements(Measurement.objects.filter(state=state, review_cycle=cycle))
    )
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
