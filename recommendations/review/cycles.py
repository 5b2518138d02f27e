"""Review and follow-up: review cycles, what changed between them, follow-up reports, indicators.

Everything a cycle reports is derived from the status history at the cycle's closing date
(`asof.py`), so a cycle page never disagrees with the history and needs no copy of the data.
Pages here are public (cycles, follow-up reports, indicators); the timelines are `timeline.py`,
the indicators' progress `indicators.py`.

Query counts do not grow with the history: a comparison is three queries (`asof.compare`), a
timeline is one query however many periods it has (`status_series`).
"""

from collections import Counter

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, rounds, voices
from ..choices import Track
from ..downloads import Column, download_response, requested_format
from ..models import Commitment, Implementation, Indicator, Measurement, ReviewCycle, State, sorted_by_localized_name
from . import indicators
from .asof import compare
from .round_figures import counts, standing
from .timeline import chart_series, comparison_window, status_series, without_no_information


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


def _rounds_of(cycle: ReviewCycle, state: State | None = None) -> list[dict]:
    """The cycle's reporting rounds (those `state` is in, when given), each with its states' progress:
    once a round is closed, its frozen results (the cycle's snapshot of who reported); while it is
    open, the figures so far. One `progress` per round: a cycle has one or two."""
    listed = cycle.rounds.order_by("opens_on", "name")
    if state is not None:
        listed = listed.filter(states=state)
    found = []
    for reporting_round in listed:
        progresses = rounds.progress(reporting_round, states=[state] if state is not None else None)
        by_state = {p.state.pk: p for p in progresses}
        ordered = [by_state[s.pk] for s in sorted_by_localized_name(p.state for p in progresses)]
        found.append(
            {
                "round": reporting_round,
                "counts": counts(ordered),
                "rows": [(p, standing(p)) for p in ordered],
            }
        )
    return found


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
    Column(
        "item",
        lambda c: (
            c.implementation.commitment.number
            if c.implementation.commitment_id
            else c.implementation.recommendation.code
        ),
    ),
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
        rows.append(
            {"commitment": item, "moves": moves, "counts": at_close.get(item, {}), "label": str(item), "url": None}
        )
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
        "rounds": _rounds_of(cycle),
    }
    return render(request, "cycles/cycle_detail.html", context)


STATE_REPORT_COLUMNS = [
    # The stored English label, whatever the page's language (r["label"] is the page's).
    Column(
        "item",
        lambda r: (
            r["implementation"].commitment.stored_label
            if r["implementation"].commitment_id
            else r["implementation"].recommendation.code
        ),
    ),
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
    at this one, on both tracks, with the public rationale and evidence of each change, the
    state's indicator values in the cycle against their targets, and the stakeholder reports on
    the state published by the cycle's close."""
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
                "label": (
                    str(implementation.commitment)
                    if implementation.commitment_id
                    else implementation.recommendation.code
                ),
                "reported": change,
                "assessed": other,
                "updates": updates,
            }
        )
    rows.sort(
        key=lambda r: (
            r["implementation"].commitment_id is None,
            r["implementation"].commitment.number if r["implementation"].commitment_id else 0,
            r["label"],
        )
    )
    fmt = requested_format(request)
    if fmt:
        return download_response(
            request,
            fmt=fmt,
            filename=f"{state.iso2}-{cycle.slug}-follow-up",
            columns=STATE_REPORT_COLUMNS,
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
        "rounds": _rounds_of(cycle, state),
        # The third voice as the state page shows it as of the close: published by then, by
        # organisation name (voices.py), a page at a time.
        "stakeholder_voices": voices.voices(
            state=state, as_of=cycle.closes_on, page=request.GET.get(voices.PAGE_PARAMETER)
        ),
    }
    return render(request, "cycles/state_report.html", context)


def indicator_detail(request, code):
    """One indicator: its definition, every measurement (all disaggregations) and each state's
    latest total against the target. `?format=csv|json` downloads the measurements."""
    try:
        indicator = Indicator.objects.select_related("commitment").get(code=code)
    except Indicator.DoesNotExist:
        raise Http404(_("No indicator %(code)s.") % {"code": code}) from None
    measurements = indicators.with_progress(indicators.public_measurements(indicator.measurements.all()))
    fmt = requested_format(request)
    if fmt:
        return download_response(
            request,
            fmt=fmt,
            filename=f"indicator-{indicator.code}",
            columns=indicators.MEASUREMENT_COLUMNS,
            objects=measurements,
        )
    latest = indicators.latest_totals(measurements)
    context = {
        "indicator": indicator,
        "measurements": measurements,
        "latest": latest,
        "met": sum(1 for m in latest if m.progress["met"]),
        "can_enter": permissions.is_staff_member(request.user),
    }
    return render(request, "cycles/indicator_detail.html", context)
