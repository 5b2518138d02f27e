"""What the public pages' views share: the length of a page of a list, the statuses of a page
"as of" a date, the progress over time of a state or a commitment, and the download of their
stakeholder reports."""

from gcmtracker import scopes
from gcmtracker.cache import Parts, may_keep, reference
from gcmtracker.compiled import CompiledQuery

from ..choices import Track
from ..models import Commitment, Implementation, State
from ..review.asof import with_status_as_of
from ..review.timeline import counted_by_status, review_cycles, timeline
from ..voices import download as stakeholder_download

PAGE_SIZE = 25


def as_of_statuses(implementations, as_of):
    """Show the statuses of `as_of` in place of today's (annotated by `selectors.public_implementations`)."""
    if as_of is None:
        return implementations
    for implementation in implementations:
        implementation.status, implementation.assessment = implementation.then_status, implementation.then_assessment
        implementation.out_of_date = False  # freshness is about today
    return implementations


def stakeholder_download_of(request, fmt, filename, as_of, **filters):
    """The published stakeholder reports of a state or a commitment; "as of" a date, those
    published by then, beside the statuses of then (as the as-of page shows them)."""
    implementations = with_status_as_of(Implementation.objects.all(), as_of) if as_of else None
    return stakeholder_download(request, fmt, filename, as_of=as_of, implementations_as_of=implementations, **filters)


def _counted_by(owner: str) -> CompiledQuery:
    """How many of a state's or a commitment's tracked commitments stand at each status on a
    track today (`timeline.current_counts` of them), compiled once (gcmtracker.compiled)."""

    def build(owner_id, column):
        return counted_by_status(Implementation.objects.filter(**{owner: owner_id}, commitment__isnull=False), column)

    return CompiledQuery(Implementation, build)


COUNTED_TODAY = {"state": _counted_by("state_id"), "commitment": _counted_by("commitment_id")}


def kept_timeline(request, owner: State | Commitment, scope: str, *, track: str = Track.REPORTED) -> dict:
    """The progress over time of a state's commitments or a commitment's states, the counts at the
    past periods' dates kept in the cache under the `timeline` facet of the page's scope (`scope`):
    a status change of today leaves them, and only today's column is counted again. The review
    cycles come with the reference data."""
    kind = "state" if isinstance(owner, State) else "commitment"
    implementations = Implementation.objects.filter(**{kind: owner}, commitment__isnull=False)
    if not may_keep(request):  # nothing may be kept (the cache off, staff): every period in one query
        return timeline(implementations, track=track)

    def keep(dates, read):
        vary = [track, *(date.isoformat() for date in dates)]
        return Parts(request, {"timeline": ([scopes.facet(scope, "timeline")], vary)}).render("timeline", read)

    def today():
        column = "status" if track == Track.REPORTED else "assessment"
        return {status: n for status, n in COUNTED_TODAY[kind].rows(owner.pk, shape=(column,)) if n}

    cycles = reference(request, "review-cycles", review_cycles)
    return timeline(implementations, track=track, keep=keep, today=today, cycles=cycles)
