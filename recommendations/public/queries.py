"""Reads of the dashboard, a commitment's page and the recommendations browser (the shared reads
are `selectors.py`). Each function issues a fixed number of queries whatever the data size.

Everything here is public: evidence is always `Evidence.objects.public()`, and nothing reads
owners, internal notes or staff comments.
"""

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy

from events.models import Event

from ..choices import RegionalGroup, Status, Track
from ..models import (
    Commitment,
    CommitmentAction,
    Evidence,
    Implementation,
    Indicator,
    Recommendation,
    State,
    StateTally,
    Theme,
)
from ..models.tallies import EVIDENCED, commitment_measure, commitment_tallies
from ..review.asof import with_status_as_of
from ..selectors import (
    EVIDENCE_FIELDS,
    page_by_keys,
    public_history,
    public_implementations,
    published_by,
)

# ---------------------------------------------------------------------------------------------
# Commitments


def commitment_status_rows(
    *, track: str = Track.REPORTED, commitments=None, as_of: datetime.date | None = None
) -> list[dict]:
    """One row per commitment: how many states are at each status, and how many have published evidence.

    Rows suit `{% status_bars rows %}`: label, url and counts, plus the commitment itself and its
    evidence share for the table that goes with the chart. Today's counts are the tallies the
    writes keep (two queries, no aggregation). With `as_of`, the counts are of the statuses at that
    date, from the history, and the evidence is what had been published by then (three queries).
    """
    commitments = list(commitment_titles() if commitments is None else commitments)
    if as_of is None:
        counts, evidenced = _kept_counts(commitments, track)
    else:
        counts, evidenced = _counts_as_of(commitments, track, as_of)
    rows = []
    for commitment in commitments:
        by_status = counts[commitment.pk]
        total = sum(by_status.values())
        with_evidence = evidenced.get(commitment.pk, 0)
        known = total - by_status.get(Status.NO_INFORMATION, 0)
        rows.append(
            {
                "label": str(commitment),
                "url": commitment.get_absolute_url(),
                "counts": {status: by_status.get(status, 0) for status in Status.values},
                "commitment": commitment,
                "total": total,
                "states_with_evidence": with_evidence,
                "evidence_share": round(100 * with_evidence / total) if total else 0,
                "known": known,  # states with any information: reported or assessed, on this track
                "known_share": round(100 * known / total) if total else 0,
            }
        )
    return rows


def commitment_titles() -> list[Commitment]:
    """The commitments, with what a row of counts names them by."""
    return list(Commitment.objects.only("id", "number", "short_title"))


def _kept_counts(commitments, track: str) -> tuple[dict, dict]:
    """Today's counts, as the writes keep them (`models/tallies.py`): one query, whatever the data."""
    tallies = commitment_tallies([c.pk for c in commitments])
    counts = {
        pk: {
            status: found[commitment_measure(track, status)]
            for status in Status.values
            if found.get(commitment_measure(track, status))
        }
        for pk, found in tallies.items()
    }
    return counts, {pk: found.get(EVIDENCED, 0) for pk, found in tallies.items()}


def _counts_as_of(commitments, track: str, as_of: datetime.date) -> tuple[dict, dict]:
    """The counts at the end of `as_of`, from the history (two queries)."""
    field = "then_status" if track == Track.REPORTED else "then_assessment"
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in commitments}
    implementations = with_status_as_of(
        Implementation.objects.filter(commitment__in=[c.pk for c in commitments]), as_of
    )
    grouped = implementations.values("commitment_id", field).annotate(n=Count("id")).order_by()
    for row in grouped:
        counts[row["commitment_id"]][row[field]] = row["n"]
    evidenced = dict(
        Implementation.objects.filter(commitment__in=[c.pk for c in commitments])
        .filter(_has_public_evidence(as_of))
        .values("commitment_id")
        .annotate(states=Count("state_id", distinct=True))
        .order_by()
        .values_list("commitment_id", "states")
    )
    return counts, evidenced


def _has_public_evidence(as_of: datetime.date | None = None) -> Exists:
    """Implementation-first: a few thousand commitment rows probe the public-evidence index,
    instead of joining every evidence record to its implementation."""
    return Exists(Evidence.objects.public().filter(implementation=OuterRef("pk"), **published_by(as_of)))


def evidence_share(as_of: datetime.date | None = None, *, states: int | None = None) -> dict:
    """Share of states with at least one piece of published evidence on any commitment (published
    by the end of `as_of`, when given); `states`: how many there are, where the page knows it."""
    states = State.objects.count() if states is None else states
    if as_of is None:  # as the writes keep it (models/tallies.py)
        evidenced = StateTally.objects.filter(measure=EVIDENCED, n__gt=0).count()
    else:
        evidenced = (
            Implementation.objects.filter(commitment__isnull=False)
            .filter(_has_public_evidence(as_of))
            .values("state_id")
            .distinct()
            .count()
        )
    return {"states": states, "evidenced": evidenced, "percent": round(100 * evidenced / states) if states else 0}


def commitment_detail(number: int) -> Commitment:
    """A commitment with its indicators and source document; its actions, themes and SDG targets
    are read by `with_reference_lists` (only when the page's reference part is not in the cache)."""
    return (
        Commitment.objects.select_related("document")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("code")))
        .get(number=number)
    )


def with_reference_lists(commitment: Commitment) -> Commitment:
    """The commitment with its actions, themes and SDG targets read (three queries)."""
    prefetch_related_objects(
        [commitment],
        Prefetch("actions", queryset=CommitmentAction.objects.order_by("number")),
        Prefetch("themes", queryset=Theme.objects.order_by("kind", "order")),
        "sdg_targets",
    )
    return commitment


def lazy_reference(commitment: Commitment, page, per_page: int):
    """The commitment with its reference lists (`with_reference_lists`) and page `page` of its
    related recommendations, each read when first used: only where the page's reference parts
    are not in the cache (`{% reference_part %}`)."""
    recommendations = commitment_recommendations(commitment)
    return (
        SimpleLazyObject(lambda: with_reference_lists(commitment)),
        SimpleLazyObject(lambda: Paginator(recommendations, per_page).get_page(page)),
    )


def commitment_recommendations(commitment):
    return (
        Recommendation.objects.filter(commitments=commitment)
        .select_related("document", "event")
        .only(
            "code",
            "text",
            "kind",
            "place",
            "year_text",
            "document__slug",
            "document__title",
            "event__slug",
            "event__title",
        )
        .order_by("document__date", "document__title", "order")
    )


def commitment_implementations(commitment, as_of: datetime.date | None = None):
    """Every state's implementation of a commitment, with its evidence annotations (one query)."""
    return public_implementations(as_of).filter(commitment=commitment).select_related("state")


def commitment_public_evidence(commitment, *, implementations=None, state=None, as_of=None):
    """Published evidence on a commitment, by state (the download).

    `implementations`: only the evidence of these (the table's rows, as filtered), given as a
    queryset, which becomes a subquery; `state`: only that state's; `as_of`: only what had been
    published by that date. The page's list and its download read the same rows.
    """
    rows = (
        Evidence.objects.public()
        .filter(implementation__commitment=commitment, **published_by(as_of))
        .select_related("implementation__state")
        .only(*EVIDENCE_FIELDS, "implementation__state__iso2", "implementation__state__name")
        .order_by("implementation__state__name", "-date", "-published_at")
    )
    if implementations is not None:
        rows = rows.filter(implementation__in=implementations.order_by().values("pk"))
    if state is not None:
        rows = rows.filter(implementation__state=state)
    return rows


def commitment_public_evidence_page(commitment, number, *, per_page: int, **scope) -> Page:
    """One page of the published evidence on a commitment, most recent first, scoped as
    `commitment_public_evidence` (the table's evidence counts link to one state's): two queries
    (`page_by_keys`)."""
    rows = commitment_public_evidence(commitment, **scope).order_by("-date", "-published_at", "-id")
    return page_by_keys(rows, number, per_page=per_page)


# ---------------------------------------------------------------------------------------------
# Recommendations


def recommendation_list(queryset=None):
    queryset = queryset if queryset is not None else Recommendation.objects.all()
    return (
        queryset.select_related("document", "event")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("id", "slug", "code", "name", "kind", "order")),
            Prefetch("commitments", queryset=Commitment.objects.only("id", "number", "short_title")),
        )
        .order_by("document__date", "document__title", "order")
    )


def recommendation_page(queryset):
    """`recommendation_list` as the browser's page shows it (`markup._recommendation_item`): only
    the fields its items show, and their themes and commitments as lists (`listed_themes`,
    `listed_commitments`) rather than through a related manager built for each row."""
    return (
        queryset.select_related("document", "event")
        .only(
            "code",
            "order",
            "text",
            "translations",
            "kind",
            "year_text",
            "origin_text",
            "place",
            "section",
            "document__slug",
            "document__title",
            "event__slug",
            "event__title",
        )
        .prefetch_related(
            Prefetch(
                "themes",
                queryset=Theme.objects.only("id", "slug", "code", "name", "kind", "order"),
                to_attr="listed_themes",
            ),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.only("id", "number", "short_title"),
                to_attr="listed_commitments",
            ),
        )
        .order_by("document__date", "document__title", "order")
    )


def recommendation_detail(code: str) -> Recommendation:
    return (
        Recommendation.objects.select_related("document__event", "event", "parent")
        .prefetch_related(
            "themes",
            "commitments",
            Prefetch("children", queryset=Recommendation.objects.order_by("order")),
        )
        .get(code=code)
    )


def recommendation_implementations(recommendation):
    return public_implementations().filter(recommendation=recommendation).select_related("state")


# ---------------------------------------------------------------------------------------------
# Dashboard


def latest_changes(limit: int = 10, as_of: datetime.date | None = None):
    """The latest changes of status (reviews that left it unchanged are not changes)."""
    history = public_history().changes()
    return (history.filter(effective_date__lte=as_of) if as_of else history)[:limit]


def upcoming_and_recent_events(limit: int = 5, today: datetime.date | None = None):
    """Events still to come (by earliest start) and those just past (latest first).

    An event whose honest bounds straddle today counts as upcoming; an event the sources do not
    date at all is in neither list.
    """
    today = today or timezone.localdate()
    base = Event.objects.select_related("phase").only(
        "slug",
        "title",
        "kind",
        "place",
        "date_text",
        "date_precision",
        "tentative",
        "start_date",
        "end_date",
        "phase__name",
    )
    upcoming = list(base.filter(end_date__gte=today).order_by("start_date", "title")[:limit])
    recent = list(base.filter(end_date__lt=today).order_by("-end_date", "-start_date", "title")[:limit])
    return upcoming, recent


# The state list's overview (issue 19): what its map colours each state by, the number of
# commitments (state_list's annotations) on which...
STATE_MAP_MEASURES = {
    "reported": ("commitments_reported", gettext_lazy("the state has reported")),
    "assessed": ("commitments_assessed", gettext_lazy("the secretariat has assessed the state")),
    "evidence": ("commitments_evidenced", gettext_lazy("evidence has been published")),
}
STATE_MAP_LABELS = {
    "reported": gettext_lazy("Reported by the state"),
    "assessed": gettext_lazy("Assessed by the secretariat"),
    "evidence": gettext_lazy("Published evidence"),
}


def state_map_measure(value) -> str:
    return value if value in STATE_MAP_MEASURES else "reported"


def knows_something(state) -> bool:
    """A state with a report, an assessment or published evidence on any commitment."""
    return bool(state.commitments_reported or state.commitments_assessed or state.public_evidence)


def regional_summary(states) -> list[dict]:
    """Per UN regional group, in the vocabulary's order: how many of `states` it has, and how many
    of them have reported, been assessed or have published evidence on at least one commitment."""
    rows = {
        key: {"key": key, "group": label, "states": 0, "reported": 0, "assessed": 0, "evidence": 0}
        for key, label in RegionalGroup.choices
    }
    for state in states:
        row = rows[state.regional_group]
        row["states"] += 1
        row["reported"] += state.commitments_reported > 0
        row["assessed"] += state.commitments_assessed > 0
        row["evidence"] += state.commitments_evidenced > 0
    return [row for row in rows.values() if row["states"]]
