"""Public pages: dashboard, commitments, states and recommendations. Read-only, no login.

Each view fetches through `selectors`, filters through the shared FilterSets, and answers
`?format=csv|json` with the same rows it shows (all pages of them).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gcmtracker import cache as page_cache
from gcmtracker import scopes
from gcmtracker.cache import Parts, RowsByKey, may_keep
from gcmtracker.compiled import CompiledQuery

from .. import selectors
from ..choices import Position, Status, Track
from ..downloads import IMPLEMENTATION_COLUMNS, Column, download_response, requested_format
from ..filtersets import (
    CommitmentFilterSet,
    ImplementationFilterSet,
    RecommendationFilterSet,
    StateFilterSet,
    any_labels,
)
from ..models import Commitment, Implementation, Recommendation, State, sorted_by_localized_name
from ..review.asof import with_status_as_of
from ..review.forms import as_of_date
from ..review.indicators import commitment_indicators
from ..voices import PAGE_PARAMETER as STAKEHOLDER_PAGE
from ..voices import voices
from . import queries
from .columns import EVIDENCE_COLUMNS, RECOMMENDATION_COLUMNS, STATE_COLUMNS
from .common import PAGE_SIZE, as_of_statuses, kept_timeline, stakeholder_download_of


def chart_rows(rows):
    """The chart's rows without links: an SVG image may not hold links (axe: nested-interactive),
    and the table beside the chart links each commitment already."""
    return [{"label": row["label"], "url": None, "counts": row["counts"]} for row in rows]


def _track(request) -> str:
    return Track.ASSESSED if request.GET.get("track") == Track.ASSESSED else Track.REPORTED


# Review and follow-up (issue 6): pages "as of" a past date show the statuses from the history.
# Filters on status would read today's statuses, so they are not offered on those pages.
AS_OF_HIDDEN_FILTERS = ("status", "assessment", "disagreement")


def dashboard(request):
    if requested_format(request):
        # The dashboard's table is the commitment list's: one download for both.
        return commitment_list(request)
    track = _track(request)
    as_of_form, as_of = as_of_date(request)
    # The commitments and the number of states are reference data, kept under the reference version.
    commitments = page_cache.reference(request, "commitment-titles", queries.commitment_titles)
    rows = queries.commitment_status_rows(track=track, commitments=commitments, as_of=as_of)
    states = page_cache.reference(request, "state-count", State.objects.count)
    # Reference data only, kept in the shared cache under the reference scope (`{% reference_part %}`):
    # read only when that part is missed.
    events = SimpleLazyObject(
        lambda: dict(zip(("upcoming", "recent"), queries.upcoming_and_recent_events(), strict=True))
    )
    context = {
        "track": track,
        "as_of_form": as_of_form,
        "as_of": as_of,
        "rows": rows,
        "chart_rows": chart_rows(rows),
        "share": queries.evidence_share(as_of, states=states),
        "changes": queries.latest_changes(as_of=as_of),
        "events": events,
        "statuses": Status,
    }
    return render(request, "recommendations/dashboard.html", context)


def commitment_list(request):
    track = _track(request)
    filterset = CommitmentFilterSet(request.GET or None, queryset=Commitment.objects.order_by("number"))
    any_labels(filterset.form)
    commitments = filterset.qs.only("id", "number", "short_title", "text", "translations")
    rows = queries.commitment_status_rows(track=track, commitments=commitments, as_of=as_of_date(request)[1])
    fmt = requested_format(request)
    if fmt:
        columns = [
            Column("number", lambda r: r["commitment"].number),
            Column("short_title", lambda r: r["commitment"].short_title),
            Column("track", lambda r: track),
            *[Column(status, lambda r, s=status: r["counts"][s]) for status in Status.values],
            Column("states_with_public_evidence", lambda r: r["states_with_evidence"]),
        ]
        return download_response(request, fmt=fmt, filename="commitments", columns=columns, objects=rows)
    context = {
        "filterset": filterset,
        "rows": rows,
        "chart_rows": chart_rows(rows),
        "track": track,
        "statuses": Status,
    }
    return render(request, "recommendations/commitment_list.html", context)


# Every state's statuses and position on a commitment, for its map (compiled once: gcmtracker.compiled).
ON_MAP = CompiledQuery(
    Implementation,
    lambda commitment_id: Implementation.objects.filter(commitment_id=commitment_id).values_list(
        "state__iso2", "state__name", "status", "assessment", "position"
    ),
)

COMMITMENT_STATES_PAGE_SIZE = 50  # states a page in a commitment's table; the map shows all 195


def _nothing_known(reported: str = "status", assessed: str = "assessment") -> Q:
    """A state with neither a report nor an assessment nor a stated position (on `reported` and
    `assessed`: today's statuses, or those of a date)."""
    return Q(**{reported: Status.NO_INFORMATION, assessed: Status.NO_INFORMATION, "position": Position.NO_RESPONSE})


def _commitment_keys(commitment_id, sort: str, start: int):
    """(id, state, version) of one page of a commitment's states with information, unfiltered, in
    the order `sort` (a key of IMPLEMENTATION_SORTS, applied): what the table's rows are kept under."""
    rows = selectors.public_implementations().filter(commitment_id=commitment_id).exclude(_nothing_known())
    rows, _sort = selectors.sort_queryset(rows, sort, selectors.IMPLEMENTATION_SORTS, "state")
    return rows.values_list("pk", "state__iso2", "version")[start : start + COMMITMENT_STATES_PAGE_SIZE]


# Compiled once a sort and a page (gcmtracker.compiled): 9 sorts both ways, four pages of 50.
COMMITMENT_KEYS = CompiledQuery(Implementation, _commitment_keys, kept=4 * 2 * len(selectors.IMPLEMENTATION_SORTS))


class _KeysOf:
    """What the paginator of an unfiltered commitment table slices: the page's keys, read by
    `COMMITMENT_KEYS` (the count is given beforehand, from the map's rows)."""

    ordered = True

    def __init__(self, commitment_id, sort: str):
        self.commitment_id, self.sort = commitment_id, sort

    def __getitem__(self, window: slice) -> list:
        rows = COMMITMENT_KEYS.rows(self.commitment_id, shape=(self.sort, window.start))
        return rows[: window.stop - window.start]


def commitment_detail(request, number):
    try:
        commitment = page_cache.reference(request, f"commitment:{number}", lambda: queries.commitment_detail(number))
    except Commitment.DoesNotExist:
        raise Http404(_("No commitment %(number)s.") % {"number": number}) from None
    as_of_form, as_of = as_of_date(request)
    data = request.GET.copy()
    for name in AS_OF_HIDDEN_FILTERS if as_of else ():
        data.pop(name, None)
    filterset = ImplementationFilterSet(
        data or None, queryset=queries.commitment_implementations(commitment, as_of=as_of)
    )
    implementations, sort = selectors.sort_queryset(
        filterset.qs, request.GET.get("sort", "state"), selectors.IMPLEMENTATION_SORTS, "state"
    )
    fmt = requested_format(request)
    # The evidence listed (and downloaded) is that of the states the table keeps, or of the one
    # state whose evidence count was followed.
    evidence_of = request.GET.get("evidence_of")
    evidence_of = State.objects.filter(iso2=evidence_of.upper()).first() if evidence_of else None
    evidence_scope = {
        "implementations": filterset.qs if filterset.is_bound else None,
        "state": evidence_of,
        "as_of": as_of,
    }
    if fmt and request.GET.get("list") == "stakeholders":
        return stakeholder_download_of(
            request, fmt, f"commitment-{commitment.number}-stakeholders", as_of, commitment=commitment
        )
    if fmt and request.GET.get("list") == "evidence":
        return download_response(
            request,
            fmt=fmt,
            filename=f"commitment-{commitment.number}-evidence",
            columns=[Column("state_iso2", lambda e: e.implementation.state.iso2), *EVIDENCE_COLUMNS[1:]],
            objects=queries.commitment_public_evidence(commitment, **evidence_scope),
        )
    if fmt:
        return download_response(
            request,
            fmt=fmt,
            filename=f"commitment-{commitment.number}-states",
            columns=[Column("commitment", lambda i: commitment.number), *IMPLEMENTATION_COLUMNS],
            objects=as_of_statuses(selectors.mark_out_of_date(implementations), as_of),
        )
    # At 195 states, a page of the table, of the evidence and of the recommendations at a time,
    # each list with its own page parameter (as on the state page); the map shows every state.
    # What is known first: unless the reader filters on a status, the table lists the states with
    # any information (reported, assessed or a stated position) and the others are named,
    # collapsed, below it.
    # The map shows every state, whatever the table's filter, so it keeps its own (unfiltered) colours.
    reported, assessed = ("then_status", "then_assessment") if as_of else ("status", "assessment")
    if as_of:
        on_map = with_status_as_of(commitment.implementations.all(), as_of)
        mapped = list(on_map.values_list("state__iso2", "state__name", reported, assessed, "position"))
    else:
        mapped = ON_MAP.rows(commitment.pk)
    by_assessment = _track(request) == Track.ASSESSED  # the map colours the track the page shows
    colours = {iso2: assessment if by_assessment else status for iso2, _name, status, assessment, _position in mapped}
    nothing_known = None
    shown = None  # how many states the table lists, when the map's rows tell it (no filter)
    if not (data.get("status") or data.get("assessment")):
        unknown = _nothing_known(reported, assessed)
        # The states only (their names link to their pages): none of the rows' annotations. In the
        # alphabetical order of their names in the page's language, as on the state list.
        if any(data.get(name) for name in filterset.filters):
            unknown_states = State.objects.filter(pk__in=implementations.filter(unknown).values("state_id"))
        else:  # unfiltered, the map's rows tell them (an ISO code and a name are all their links need)
            nothing = (Status.NO_INFORMATION, Status.NO_INFORMATION, Position.NO_RESPONSE)
            unknown_states = [State(iso2=iso2, name=name) for iso2, name, *known in mapped if tuple(known) == nothing]
            shown = len(mapped) - len(unknown_states)
        nothing_known = sorted_by_localized_name(unknown_states)
        implementations = implementations.exclude(unknown)
    keep = may_keep(request, keep=not as_of)
    # Where rows may come from the cache, the page's keys first: the rows are read only where the
    # cache misses their markup (a write in one state changes one row of the 50).
    if keep and shown is not None:  # unfiltered (and today's): the keys by a compiled query
        keys = _KeysOf(commitment.pk, sort)
    else:
        keys = implementations.values_list("pk", "state__iso2", "version") if keep else implementations
    paginator = Paginator(keys, COMMITMENT_STATES_PAGE_SIZE)
    if shown is not None:
        paginator.count = shown  # not counted again: the map's query has read every state's statuses
    states = paginator.get_page(request.GET.get("page"))
    if not keep:  # no row's markup comes from the cache
        states.object_list = as_of_statuses(selectors.mark_out_of_date(states.object_list), as_of)
    else:
        states.object_list = RowsByKey(
            states.object_list, lambda pks: selectors.mark_out_of_date(implementations.filter(pk__in=pks))
        )
    # The evidence (and an empty list of stakeholder reports), kept under their facets of the
    # commitment's scope while no status filter (which a status write changes) chooses the states:
    # read only when the cache misses them.
    parts = Parts(
        request,
        {
            name: ([scopes.facet(scopes.commitment(commitment.number), name)], [request.get_full_path()])
            for name in ("evidence", "voices")
        },
        keep=not (as_of or filterset.is_bound),
    )
    evidence = None
    if "evidence" not in parts:
        evidence = queries.commitment_public_evidence_page(
            commitment, request.GET.get("evidence"), per_page=PAGE_SIZE, **evidence_scope
        )
    reference, recommendations = queries.lazy_reference(commitment, request.GET.get("recommendations"), PAGE_SIZE)
    context = {
        "commitment": commitment,
        "filterset": filterset,
        "implementations": states,
        "nothing_known": nothing_known,
        "sort": sort,
        "parts": parts,
        "evidence": evidence,
        "evidence_of": evidence_of,
        "reference": reference,
        "recommendations": recommendations,
        "colours": colours,
        "track": _track(request),
        # Kept under the reference scope with the query string (`{% reference_part %}`): built on a miss.
        "filter_fields": SimpleLazyObject(
            lambda: [
                any_labels(filterset.form)[name]
                for name in ("regional_group", "status", "assessment", "position", "disagreement")
                if not (as_of and name in AS_OF_HIDDEN_FILTERS)
            ]
        ),
        "keep": {
            "sort": sort,
            **({"track": Track.ASSESSED} if _track(request) == Track.ASSESSED else {}),
            **({"as_of": as_of.isoformat()} if as_of else {}),
        },
        "as_of_form": as_of_form,
        "as_of": as_of,
        "timeline": kept_timeline(request, commitment, scopes.commitment(commitment.number), track=_track(request)),
        "indicators": commitment_indicators(commitment),
    }
    if "voices" not in parts:
        context["stakeholder_voices"] = shown = voices(
            commitment=commitment, as_of=as_of, page=request.GET.get(STAKEHOLDER_PAGE)
        )
        if shown["groups"]:
            parts.forget("voices")  # each state's current status shows beside its reports
    return render(request, "recommendations/commitment_detail.html", context)


def state_list(request):
    filterset = StateFilterSet(request.GET or None, queryset=selectors.states_with_counts())
    states, sort = selectors.state_list(filterset.qs, request.GET.get("sort", "name"))
    fmt = requested_format(request)
    if fmt:
        return download_response(request, fmt=fmt, filename="states", columns=STATE_COLUMNS, objects=states)
    if sort.lstrip("-") == "name" and get_language() != "en":
        states = sorted_by_localized_name(states, reverse=sort.startswith("-"))
    # What is known first (issue 19): unless the reader filters or asks for all, the table lists the
    # states with a report, an assessment or published evidence, and names the others below it.
    show_all = filterset.is_bound and any(filterset.form.data.get(name) for name in filterset.form.fields)
    show_all = show_all or request.GET.get("all") == "1"
    nothing_known = None if show_all else sorted_by_localized_name(s for s in states if not queries.knows_something(s))
    measure = queries.state_map_measure(request.GET.get("map"))
    context = {
        "filterset": filterset,
        # Its choices are reference data: the template keeps the form under the reference scope.
        "form": SimpleLazyObject(lambda: any_labels(filterset.form)),
        "states": states,
        "table_states": states if show_all else [s for s in states if queries.knows_something(s)],
        "nothing_known": nothing_known,
        "sort": sort,
        "keep": {"sort": sort, **({"map": measure} if measure != "reported" else {})},
        "measure": measure,
        "measures": queries.STATE_MAP_LABELS,
        "summary": queries.regional_summary(states),
        "total_commitments": page_cache.reference(request, "commitment-count", Commitment.objects.count),
    }
    return render(request, "recommendations/state_list.html", context)


def recommendation_list(request):
    filterset = RecommendationFilterSet(request.GET or None, queryset=Recommendation.objects.all())
    fmt = requested_format(request)
    if fmt:
        return download_response(
            request,
            fmt=fmt,
            filename="recommendations",
            columns=RECOMMENDATION_COLUMNS,
            objects=queries.recommendation_list(filterset.qs),
        )
    # Reference data only (texts, themes, commitments, documents, events): the template keeps the
    # list and its form in the shared cache under the reference scope (`{% reference_part %}`),
    # where a write of statuses or evidence, which retires this page, leaves them; the form is
    # built and the list read only when the part is missed.
    page = SimpleLazyObject(
        lambda: Paginator(queries.recommendation_page(filterset.qs), PAGE_SIZE).get_page(request.GET.get("page"))
    )
    context = {"filterset": filterset, "form": SimpleLazyObject(lambda: any_labels(filterset.form)), "page": page}
    return render(request, "recommendations/recommendation_list.html", context)


def recommendation_detail(request, code):
    try:
        recommendation = queries.recommendation_detail(code)
    except Recommendation.DoesNotExist:
        raise Http404(_("No recommendation %(code)s.") % {"code": code}) from None
    implementations = selectors.mark_out_of_date(
        queries.recommendation_implementations(recommendation).order_by("state__name")
    )
    fmt = requested_format(request)
    if fmt:
        return download_response(
            request,
            fmt=fmt,
            filename=f"recommendation-{recommendation.code}-states",
            columns=[Column("recommendation", lambda i: recommendation.code), *IMPLEMENTATION_COLUMNS],
            objects=implementations,
        )
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {"recommendation": recommendation, "implementations": implementations},
    )


def about(request):
    """What the tracker shows, its method, how to cite it and reuse it (issue 19)."""
    context = {
        "out_of_date_days": settings.OUT_OF_DATE_AFTER_DAYS,
        "data_licence": settings.DATA_LICENCE,
        "data_licence_url": settings.DATA_LICENCE_URL,
        "site_url": settings.SITE_URL,
    }
    return render(request, "recommendations/about.html", context)
