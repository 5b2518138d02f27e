"""What the public pages' views share: the length of a page of a list, the statuses of a page
"as of" a date, the progress over time of a state or a commitment, and the download of their
stakeholder reports."""

from gcmtracker import scopes
from gcmtracker.cache import Parts, may_keep

from ..choices import Track
from ..models import Implementation
from ..review.asof import with_status_as_of
from ..review.timeline import timeline
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


def kept_timeline(request, implementations, scope: str, *, track: str = Track.REPORTED) -> dict:
    """The progress over time of these implementations (a state's commitments, a commitment's
    states), the counts at the past periods' dates kept in the cache under the `timeline` facet of
    the page's scope (`scope`): a status change of today leaves them, and only today's column is
    counted again."""

    def keep(dates, read):
        vary = [track, *(date.isoformat() for date in dates)]
        return Parts(request, {"timeline": ([scopes.facet(scope, "timeline")], vary)}).render("timeline", read)

    # Where nothing may be kept (the cache off, staff), every period is read in one query as before.
    return timeline(implementations, track=track, keep=keep if may_keep(request) else None)
