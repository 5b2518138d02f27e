"""Status over time, read from the history: how many implementations stood at each status at each
date (`status_series`), the periods a page's timeline shows, and a cycle's comparison window.

Query counts do not grow with the history: a timeline is one query however many periods it has.
Shared by the review pages and the public commitment and state pages.
"""

import bisect
import datetime
import functools
from collections import Counter

from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..choices import Status, Track
from ..models import ReviewCycle
from .asof import month_ends, with_status_as_of


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


@functools.lru_cache(maxsize=1024)
def _short_period(date: datetime.date, language: str) -> str:
    """A period's short label in the language (`language` keys the cache): a page asks for the
    same 24 month ends every time, and localized month names cost more than the rest of the chart."""
    return date_format(date, "M Y")


def chart_series(series: dict, dates: list[datetime.date]) -> dict:
    """The series as the chart draws it: short period labels that fit a phone (the table beside it
    names each period in full), and without "no information", which would dwarf every other status."""
    language = get_language() or ""
    return {
        "periods": [_short_period(date, language) for date in dates],
        "counts": [{k: n for k, n in counts.items() if k != Status.NO_INFORMATION} for counts in series["counts"]],
    }


def without_no_information(rows: list[dict]) -> list[dict]:
    return [{**row, "counts": {k: n for k, n in row["counts"].items() if k != Status.NO_INFORMATION}} for row in rows]


def current_counts(queryset, *, track: str = Track.REPORTED) -> dict:
    """How many of these implementations stand at each status today: their current statuses,
    which are their statuses as of today (a status change is never dated in the future, nor before
    the implementation's latest update)."""
    column = "status" if track == Track.REPORTED else "assessment"
    return {status: n for status, n in counted_by_status(queryset, column) if n}


def counted_by_status(queryset, column: str):
    """(status, how many) of these implementations on one track's `column`: one GROUP BY."""
    return queryset.order_by().values_list(column).annotate(n=Count("pk")).values_list(column, "n")


def review_cycles() -> list[ReviewCycle]:
    """The cycles a timeline is drawn by, in order (reference data)."""
    return list(ReviewCycle.objects.only("name", "slug", "closes_on").order_by("closes_on"))


def timeline(queryset, *, track: str = Track.REPORTED, keep=None, today=None, cycles=None) -> dict:
    """Progress over time for a page: by cycle where cycles exist, else by month (two queries).

    With `keep(dates, read)`, the periods before today come from wherever the page keeps them
    (the cache, under the `timeline` facet of its scope, which only a status change dated before
    today touches) or `read()` from the history, and today's column is the implementations'
    current statuses (`current_counts`, the same figures): a status change of today costs one
    small count, not a replay of the history: `today()` where the page gives it, else
    `current_counts`. `cycles`: `review_cycles()`, where the page already has them."""
    cycles = review_cycles() if cycles is None else cycles
    dates, labels, by = timeline_periods(cycles)
    if keep is None:  # every period from the history, today's included (two queries)
        counts = status_series(queryset, dates, labels, track=track)["counts"]
    else:
        past = dates[:-1]

        def read():
            return status_series(queryset, past, labels[:-1], track=track)["counts"]

        counts = [*(keep(past, read) if past else []), today() if today else current_counts(queryset, track=track)]
    series = {"periods": labels, "counts": counts}
    rows = [{"label": label, "url": None, "counts": counted} for label, counted in zip(labels, counts, strict=True)]
    return {"series": series, "chart": chart_series(series, dates), "rows": rows, "by": by, "cycles": cycles}


def comparison_window(cycle: ReviewCycle, since: ReviewCycle | None) -> tuple[datetime.date, str]:
    """Compare with the other cycle's close, or for the first cycle with the day before it opened."""
    if since is not None:
        return since.closes_on, since.name
    start = cycle.opens_on - datetime.timedelta(days=1)
    return start, _("before the cycle opened (%(date)s)") % {"date": start.isoformat()}
