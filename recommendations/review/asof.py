"""Status as of any date, derived from the append-only history.

The current status on Implementation is a cache of the latest update; everything about the
past (review cycles, "as of" pages, progress over time) is computed here from StatusUpdate, so
it can never disagree with the history. Each function issues a fixed number of queries
whatever the amount of history: the latest update per implementation is a correlated subquery
served by the (implementation, track, effective_date) index.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ..choices import STATUS_RANK, Status, Track
from ..models import Evidence, Implementation, StatusUpdate


def _latest(track: str, date: datetime.date, column: str = "status"):
    return Subquery(
        StatusUpdate.objects.filter(implementation=OuterRef("pk"), track=track, effective_date__lte=date)
        .order_by("-effective_date", "-created_at", "-id")
        .values(column)[:1]
    )


def with_status_as_of(queryset: QuerySet, date: datetime.date, *, prefix: str = "then") -> QuerySet:
    """Annotate implementations with `<prefix>_status` and `<prefix>_assessment` as they stood at
    the end of `date` (no information when there was no update yet)."""
    return queryset.annotate(
        **{
            f"{prefix}_status": Coalesce(_latest(Track.REPORTED, date), Value(Status.NO_INFORMATION)),
            f"{prefix}_assessment": Coalesce(_latest(Track.ASSESSED, date), Value(Status.NO_INFORMATION)),
        }
    )


def status_counts_as_of(queryset: QuerySet, date: datetime.date, *, track: str = Track.REPORTED) -> Counter:
    """How many of these implementations were at each status on `date`. One query."""
    column = "then_status" if track == Track.REPORTED else "then_assessment"
    values = with_status_as_of(queryset, date).values_list(column, flat=True)
    return Counter(values)


def movement(before: str, after: str) -> str:
    """up, down, same or changed (to or from a status outside the ladder, e.g. not applicable)."""
    if before == after:
        return "same"
    if before in STATUS_RANK and after in STATUS_RANK:
        return "up" if STATUS_RANK[after] > STATUS_RANK[before] else "down"
    if before == Status.NO_INFORMATION and after in STATUS_RANK:
        return "up"
    return "changed"


@dataclass
class Change:
    implementation: Implementation
    before: str
    after: str
    direction: str
    updates: list = field(default_factory=list)


@dataclass
class Comparison:
    """What changed between two dates, per commitment and per state."""

    start: datetime.date
    end: datetime.date
    changes: list[Change]
    per_commitment: dict = field(default_factory=dict)
    per_state: dict = field(default_factory=dict)


def compare(queryset: QuerySet, start: datetime.date, end: datetime.date, *, track: str = Track.REPORTED) -> Comparison:
    """Compare every implementation's status at `start` and at `end`, with the updates (and their
    public evidence) that moved it in between. Three queries, whatever the history size."""
    column = "status" if track == Track.REPORTED else "assessment"
    rows = list(
        with_status_as_of(with_status_as_of(queryset, start, prefix="before"), end, prefix="after").select_related(
            "state", "commitment", "recommendation"
        )
    )
    changed_ids = [row.pk for row in rows if getattr(row, f"before_{column}") != getattr(row, f"after_{column}")]
    updates = defaultdict(list)
    if changed_ids:
        for update in (
            StatusUpdate.objects.filter(
                implementation_id__in=changed_ids, track=track, effective_date__gt=start, effective_date__lte=end
            )
            .order_by("effective_date", "created_at", "id")
            .prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.public().only("id", "title", "url", "kind"))
            )
        ):
            updates[update.implementation_id].append(update)
    changes, per_commitment, per_state = [], defaultdict(Counter), defaultdict(list)
    for row in rows:
        before, after = getattr(row, f"before_{column}"), getattr(row, f"after_{column}")
        change = Change(row, before, after, movement(before, after), updates.get(row.pk, []))
        changes.append(change)
        if row.commitment_id:
            per_commitment[row.commitment][change.direction] += 1
        if change.direction != "same":
            per_state[row.state].append(change)
    return Comparison(start, end, changes, dict(per_commitment), dict(per_state))


def month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The last day of every month from start's month to end's month."""
    dates, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        next_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
        dates.append(min(next_first - datetime.timedelta(days=1), end))
        year, month = next_first.year, next_first.month
    return dates


def progress_over_time(queryset: QuerySet, dates: list[datetime.date], *, track: str = Track.REPORTED) -> list[Counter]:
    """Status counts at each date: one query per date, none per row."""
    return [status_counts_as_of(queryset, date, track=track) for date in dates]
