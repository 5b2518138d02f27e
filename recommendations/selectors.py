"""Longer than 400 lines: the shared public reads, each small, kept in one module because it is
the one place that applies what the public may read (the public fields, public evidence only):
the states' reads below use its private helpers (`_public_evidence_about_items`, `page_by_keys`,
`public_history`) and their query-plan comments. If it grows further, the "States" section is
the part to move out, whole, with those helpers made public.

Reads the public pages share: which fields a public page may read, published evidence,
freshness (out of date), statuses as of a date, sorting and paging, the states' pages and the
public history. What only the dashboard, a commitment's page and the recommendations browser read
is in `public/queries.py`. Each function issues a fixed number of queries whatever the data
size: related rows come through select_related/Prefetch, counts through annotations.

Everything here is public: evidence is always `Evidence.objects.public()`, and no selector
reads owners, internal notes or staff comments (`.only()` / explicit columns keep them out).
"""

import datetime
import functools

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from .choices import Status, Track, Visibility
from .models import (
    ChangeRecord,
    Evidence,
    Implementation,
    Measurement,
    State,
    StateTally,
    StatusUpdate,
)
from .models.tallies import EVIDENCE, EVIDENCED, state_measure
from .review.asof import with_status_as_of

# Fields of an implementation a public page may read: never owner, internal_note or version.
PUBLIC_IMPLEMENTATION_FIELDS = (
    "id",
    "state_id",
    "commitment_id",
    "recommendation_id",
    "status",
    "status_changed_at",
    "assessment",
    "assessment_changed_at",
    "position",
    "lead_agency",
    "due_date",
    "last_reviewed",
)

EVIDENCE_FIELDS = (
    "id",
    "implementation_id",
    "title",
    "kind",
    "date",
    "url",
    "file",
    "description",
    "published_at",
    "visibility",
    "verified",
)


def status_order(field: str = "status") -> Case:
    """Order statuses by progress, not alphabetically: not applicable, no information, not started …
    implemented. Descending order therefore puts the most advanced states first."""
    ladder = [Status.NOT_APPLICABLE, *(value for value in Status.values if value != Status.NOT_APPLICABLE)]
    return Case(
        *[When(**{field: value}, then=Value(rank)) for rank, value in enumerate(ladder)],
        default=Value(len(ladder)),
        output_field=IntegerField(),
    )


def published_by(as_of: datetime.date | None) -> dict:
    """Filter arguments for public evidence already published at the end of `as_of` (none for today).

    A bound on `published_at` rather than a `__date` lookup, so that the comparison needs no time
    zone conversion of every row.
    """
    if as_of is None:
        return {}
    next_day = datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    return {"published_at__lt": timezone.make_aware(next_day)}


def with_public_evidence(queryset, as_of: datetime.date | None = None):
    """Annotate implementations with their published evidence: how many, and the date of the most
    recent piece (`last_evidenced`).

    That date is the evidence's own (when the law was passed, the report issued), or the day it
    was published when it has none: a law of 2015 published on the tracker today is still 2015's
    evidence, and freshness (`is_out_of_date`) must see it as such. With `as_of`, only what had been
    published by that date counts.

    Correlated subqueries rather than joins: a join on evidence would multiply rows with any other
    to-many annotation, and each subquery uses the evidence(implementation) index.
    """
    public = (
        Evidence.objects.public()
        .filter(implementation=OuterRef("pk"), **published_by(as_of))
        .order_by()
        .values("implementation")
    )
    dated = Coalesce("date", TruncDate("published_at"))
    return queryset.annotate(
        evidence_count=Coalesce(Subquery(public.annotate(n=Count("pk")).values("n")), 0),
        last_evidenced=Subquery(public.annotate(latest=Max(dated)).values("latest")),
    )


def is_out_of_date(implementation, today: datetime.date | None = None) -> bool:
    """A claim of progress whose latest published evidence is older than OUT_OF_DATE_AFTER_DAYS
    (by the evidence's own date) goes out of date by itself; so does one with no evidence, that long
    after its last update. (The public's freshness; an owner's untouched item is
    `staff.notifications.untouched_q`.)"""
    if implementation.status in (Status.NO_INFORMATION, Status.NOT_APPLICABLE):
        return False
    today = today or timezone.localdate()
    latest = implementation.last_evidenced
    if latest is None:
        since = implementation.last_reviewed
        return since is not None and (today - since).days > settings.OUT_OF_DATE_AFTER_DAYS
    if isinstance(latest, datetime.datetime):
        latest = timezone.localdate(latest)
    return (today - latest).days > settings.OUT_OF_DATE_AFTER_DAYS


def mark_out_of_date(implementations) -> list:
    """The implementations as a list, each with `out_of_date` set (`is_out_of_date`), as the public tables show them."""
    implementations = list(implementations)
    for implementation in implementations:
        implementation.out_of_date = is_out_of_date(implementation)
    return implementations


def public_implementations(as_of: datetime.date | None = None):
    """Implementations with only their public fields, status ranks for sorting and evidence annotations.

    With `as_of`, also `then_status`/`then_assessment` from the history at that date, and the
    ranks sort by those (review and follow-up: pages "as of" a date).
    """
    if as_of is None:
        return _public_implementations_today().all()  # a clone: the shared one is never evaluated
    queryset = with_status_as_of(Implementation.objects.only(*PUBLIC_IMPLEMENTATION_FIELDS), as_of)
    return with_public_evidence(
        queryset.annotate(status_rank=status_order("then_status"), assessment_rank=status_order("then_assessment")),
        as_of=as_of,
    )


@functools.cache
def _public_implementations_today():
    """Built once a process, as a view's class-level `queryset` is, and cloned for each use:
    resolving its four annotations took 1.5 ms a page (a clone takes 0.06 ms)."""
    queryset = Implementation.objects.only(*PUBLIC_IMPLEMENTATION_FIELDS)
    return with_public_evidence(
        queryset.annotate(status_rank=status_order("status"), assessment_rank=status_order("assessment"))
    )


IMPLEMENTATION_SORTS = {
    "state": ("state__name",),
    "group": ("state__regional_group", "state__name"),
    "status": ("status_rank", "state__name"),
    "assessment": ("assessment_rank", "state__name"),
    "position": ("position", "state__name"),
    "lead_agency": ("lead_agency", "state__name"),
    "last_update": ("last_reviewed", "state__name"),
    "last_evidenced": ("last_evidenced", "state__name"),
    "evidence": ("evidence_count", "state__name"),
}


def sort_queryset(queryset, sort: str, sorts: dict, default: str):
    """Order by a whitelisted key ("state", "-status"); anything else falls back to the default."""
    key = sort.lstrip("-")
    if key not in sorts:
        sort, key = default, default.lstrip("-")
    fields = sorts[key]
    if sort.startswith("-"):
        # Only the first key flips: ties stay in alphabetical order of the state.
        fields = (f"-{fields[0]}", *fields[1:])
    return queryset.order_by(*fields), sort


# ---------------------------------------------------------------------------------------------
# States


def _tally(*measures):
    """A state's kept count (`models/tallies.py`) of these measures, summed: a correlated subquery
    on the (state, measure) index, a few rows a state, never the implementations or the evidence."""
    rows = StateTally.objects.filter(state=OuterRef("pk"), measure__in=measures).order_by().values("state")
    return Coalesce(Subquery(rows.annotate(value=Sum("n")).values("value")), 0)


def state_list(queryset=None, sort: str = "name") -> tuple[list, str]:
    """States with counts of what they have reported and what is published about them
    (`queryset`: `states_with_counts()`, filtered), sorted by a key of STATE_SORTS; returns
    (states, the sort applied).

    The counts are the tallies the writes keep (`models/tallies.py`): one query of 195 rows,
    whatever the number of implementations and evidence records (counting the public evidence
    state by state took 60-200 ms at 100,000 records).
    """
    states, applied = sort_queryset(
        queryset if queryset is not None else states_with_counts(), sort, STATE_SORTS, "name"
    )
    return list(states), applied


def states_with_counts():
    """Every state, annotated with the counts `state_list` sorts by: a clone of a queryset built
    once a process (resolving its six subqueries took 2 ms a request)."""
    return _states_with_counts().all()


@functools.cache
def _states_with_counts():
    known = [status for status in Status.values if status != Status.NO_INFORMATION]
    return State.objects.annotate(
        commitments_reported=_tally(*(state_measure("commitments", Track.REPORTED, s) for s in known)),
        commitments_assessed=_tally(*(state_measure("commitments", Track.ASSESSED, s) for s in known)),
        commitments_implemented=_tally(
            *(
                state_measure("commitments", Track.REPORTED, s)
                for s in (Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED)
            )
        ),
        public_evidence=_tally(EVIDENCE),
        commitments_evidenced=_tally(EVIDENCED),
        last_update=Subquery(
            Implementation.objects.filter(state=OuterRef("pk"), last_reviewed__isnull=False)
            .order_by("-last_reviewed")
            .values("last_reviewed")[:1]
        ),
    )


STATE_SORTS = {
    "name": ("name",),
    "group": ("regional_group", "name"),
    "reported": ("commitments_reported", "name"),
    "implemented": ("commitments_implemented", "name"),
    "evidence": ("public_evidence", "name"),
    "last_update": ("last_update", "name"),
}


def state_items(state, as_of: datetime.date | None = None):
    """The state's implementations (commitments and tracked recommendations) with evidence annotations,
    for `state_implementations` and `state_rows` to share: the queryset is built once a page."""
    return public_implementations(as_of).filter(state=state).select_related("commitment", "recommendation__document")


def state_implementations(items) -> tuple:
    """The state's commitments and its tracked recommendations (`items`: `state_items`): two querysets.

    Commitments by number; recommendations in the order of their source documents, the id last so
    that pages of them never overlap. The page shows the ten commitments whole and the
    recommendations (up to ~1,000 a state) a page at a time; the downloads read both whole.
    """
    return (
        items.filter(commitment__isnull=False).order_by("commitment__number"),
        items.filter(recommendation__isnull=False).order_by(
            "recommendation__document__title", "recommendation__order", "id"
        ),
    )


def state_rows(items, ids, commitment_ids=None) -> tuple[list, list]:
    """The state page's rows: its commitments (by number; only `commitment_ids` when given) and the
    implementations `ids` (a page of its recommendations, in that order), marked out of date
    (`mark_out_of_date`), from `items` (`state_items`). One query where `state_implementations`'
    two querysets took two: its SQL (the evidence subqueries, the joins) compiled and run once a render."""
    chosen = Q(commitment__isnull=False) if commitment_ids is None else Q(pk__in=commitment_ids)
    if commitment_ids is not None and not commitment_ids and not ids:
        return [], []
    rows = mark_out_of_date(items.filter(chosen | Q(pk__in=ids)).order_by())
    commitments = sorted((i for i in rows if i.commitment_id), key=lambda i: i.commitment.number)
    by_pk = {i.pk: i for i in rows if not i.commitment_id}
    return commitments, [by_pk[pk] for pk in ids if pk in by_pk]


def state_commitment_keys(state) -> list[tuple[int, int]]:
    """(id, version) of the state's commitments, by number: what their rows' markup is kept under
    (`gcmtracker.cache.RowsByKey`)."""
    return list(
        Implementation.objects.filter(state=state, commitment__isnull=False)
        .order_by("commitment__number")
        .values_list("pk", "version")
    )


def state_item_ids(state) -> list[int]:
    """The ids of the state's implementations (up to ~1,000).

    The state's evidence is filtered on `implementation_id IN (these ids)` rather than joined to
    the state: PostgreSQL then probes the evidence index for these items only, where the join made
    it scan every public evidence record (a hash join).
    """
    return list(Implementation.objects.filter(state=state).order_by().values_list("id", flat=True))


def _public_evidence_about_items():
    """Published evidence with the item (commitment or recommendation) it is about, most recent
    first; the id breaks ties, so that pages never overlap."""
    return (
        Evidence.objects.public()
        .select_related("implementation__commitment", "implementation__recommendation")
        .only(
            *EVIDENCE_FIELDS,
            "implementation__commitment__number",
            "implementation__commitment__short_title",
            "implementation__recommendation__code",
            "implementation__recommendation__text",
        )
        .order_by("-date", "-published_at", "-id")
    )


def state_public_evidence(item_ids: list[int]):
    """Published evidence on these implementations (a state's: `state_item_ids`), most recent first."""
    return _public_evidence_about_items().filter(implementation_id__any_of=item_ids)


def state_public_evidence_page(item_ids: list[int], number, *, per_page: int = 20) -> Page:
    """One page of `state_public_evidence`: two queries (`page_by_keys`)."""
    return page_by_keys(state_public_evidence(item_ids), number, per_page=per_page)


def state_history_page(state, number, *, per_page: int = 50) -> Page:
    """One page of a state's public history, newest first: three queries (the two of
    `page_by_keys` and the page's evidence), each a range of the statusupdate_state_newest index,
    whatever the size of the whole history."""
    return page_by_keys(public_history().filter(state=state), number, per_page=per_page)


def rows_with_total(rows, number, *, per_page: int, fields=()) -> tuple[int, list]:
    """The page number asked (1 for one that is not a number) and that page of `rows` (ordered),
    each row beside the total of them all (`total`, a window count, so one query): [] past the
    end, and past where SQL's OFFSET may overflow. `fields`: read those values alone."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    if start >= 2**31:
        return number, []
    counted = rows.annotate(total=Window(Count("pk")))
    if fields:
        counted = counted.values_list(*fields)
    return number, list(counted[start : start + per_page])


def page_by_keys(rows, number, *, per_page: int) -> Page:
    """Page `number` of `rows` (an ordered queryset), chosen on its keys.

    Two queries, where a Paginator over `rows` would scan the rows twice (COUNT, then the page)
    and sort them with all their joins and annotations: the page's ids and the total come from
    one narrow scan (`values_list` of the primary key: no select_related, no wide columns, no
    annotations but what the order needs; a window count beside the LIMIT), then `rows` reads
    those ids alone. Like `Paginator.get_page`, a number that is not one gives the first page,
    and one past the end the last page (which costs two queries more: the count, then that
    page's ids).
    """
    paginator = Paginator(rows.values_list("pk", flat=True), per_page)
    number, found = rows_with_total(rows, number, per_page=per_page, fields=("pk", "total"))
    if found or number == 1:
        paginator.count = found[0][1] if found else 0
        page = paginator.page(number)
        ids = [pk for pk, _ in found]
    else:
        page = paginator.get_page(number)
        ids = list(page.object_list)
    page.object_list = rows.filter(pk__in=ids)
    page.keys = ids  # for a caller that reads the rows itself (`state_rows`)
    return page


def public_changes(queryset=None):
    """Change records as the public sees them: the public ones only (no staff-only field is in
    them, services/changes.py), never who made them, newest first."""
    queryset = queryset if queryset is not None else ChangeRecord.objects.all()
    # What was said of evidence that is no longer public is no longer shown, but that it was
    # unpublished (without its title).
    public_evidence = Evidence.objects.public().annotate(key=Cast("id", CharField())).values("key")
    hidden = Q(content_type__app_label="recommendations", content_type__model="evidence") & ~Q(
        object_id__in=public_evidence
    )
    unpublished = Q(changes__visibility__before=Visibility.PUBLIC, changes__visibility__after=Visibility.STAFF)
    return (
        queryset.filter(is_public=True)
        .exclude(hidden & ~unpublished)
        .select_related("content_type", "implementation__commitment", "implementation__recommendation")
        .defer("actor", "actor_role", "request_id")
        .order_by("-created_at", "-id")
    )


def public_history(queryset=None):
    """Status updates as the public sees them: no author identity, no staff comment, public evidence only."""
    queryset = queryset if queryset is not None else StatusUpdate.objects.all()
    return (
        queryset.select_related("implementation__state", "implementation__commitment", "implementation__recommendation")
        .only(
            "id",
            "track",
            "status",
            "previous_status",
            "effective_date",
            "rationale",
            "author_role",
            "created_at",
            "implementation__id",
            "implementation__state__iso2",
            "implementation__state__name",
            "implementation__commitment__number",
            "implementation__commitment__short_title",
            "implementation__recommendation__code",
            "implementation__recommendation__text",
        )
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.public().only(*EVIDENCE_FIELDS), to_attr="public_evidence")
        )
        .order_by("-effective_date", "-created_at", "-id")
    )


def state_measurements(state):
    return (
        Measurement.objects.filter(state=state)
        .select_related("indicator__commitment", "review_cycle")
        .only(
            "id",
            "date",
            "value",
            "sex",
            "age_group",
            "migratory_status",
            "source",
            "indicator__code",
            "indicator__name",
            "indicator__unit",
            "indicator__direction",
            "indicator__baseline",
            "indicator__target",
            "indicator__commitment__number",
            "review_cycle__name",
        )
        .order_by("indicator__commitment__number", "indicator__code", "-date", "sex", "age_group")
    )
