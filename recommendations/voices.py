"""The public's reads of stakeholder reports, the third voice beside the state's report and the
secretariat's assessment (state and commitment pages): approved reports of approved
organisations only (`StakeholderReport.objects.public()`), by the organisation's name, never a
contributor's; "as of" a date, only those published by the end of it. Grouped by tracked item,
with a summary of the assessments when several organisations report on the same pair."""

import datetime
from collections import Counter, defaultdict
from itertools import groupby

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch

from .choices import Status
from .downloads import Column, download_response
from .models import StakeholderEvidence, StakeholderReport
from .selectors import published_by, rows_with_total

# The reports a state or commitment page lists a page at a time (newest first within each item;
# its own page parameter, `stakeholders`), and the disagreements view; a download lists them all.
PER_PAGE = 25
DISAGREEMENTS_PER_PAGE = 50
PAGE_PARAMETER = "stakeholders"


def public_reports(*, state=None, commitment=None, as_of: datetime.date | None = None):
    reports = StakeholderReport.objects.public().filter(**published_by(as_of))
    if state is not None:
        reports = reports.filter(implementation__state=state)
    if commitment is not None:
        reports = reports.filter(implementation__commitment=commitment)
    return reports.select_related(
        "organisation", "implementation__state", "implementation__commitment", "implementation__recommendation"
    ).prefetch_related(Prefetch("evidence", queryset=StakeholderEvidence.objects.order_by("id")))


def page_of(reports, number, *, per_page: int) -> Page:
    """Page `number` of `reports` (ordered) in one query, the total counted beside the LIMIT (a
    window count; there are few reports a page, so no narrow scan of keys first, as
    `selectors.page_by_keys` makes). Like `Paginator.get_page`, a number that is not one gives the
    first page, and one past the end the last page (two queries more: the count, that page)."""
    paginator = Paginator(reports, per_page)
    number, found = rows_with_total(reports, number, per_page=per_page)
    if found or number == 1:
        paginator.count = found[0].total if found else 0
        page = paginator.page(number)
    else:
        page = paginator.get_page(number)
        found = list(page.object_list)
    page.object_list = found
    return page


def _summaries(reports, implementation_ids) -> dict:
    """{implementation id: (organisations, Counter of assessments)} over every report of these
    items (not only those on the page): one query."""
    rows = (
        reports.filter(implementation_id__in=implementation_ids)
        .prefetch_related(None)
        .order_by()
        .values_list("implementation_id", "organisation_id", "assessment")
        .annotate(count=Count("pk"))
    )
    found = defaultdict(lambda: (set(), Counter()))
    for implementation_id, organisation_id, assessment, count in rows:
        organisations, counts = found[implementation_id]
        organisations.add(organisation_id)
        counts[assessment] += count
    return found


def voices(*, state=None, commitment=None, as_of: datetime.date | None = None, page=None) -> dict:
    """{"groups": [{"implementation", "reports", "summary", "organisations"}], "page"}: one page
    of the public reports on one state's items or on one commitment across states, grouped by
    item. One query (and one for their links and files when there are any); when the reports
    take more than one page, one more for the summaries of the page's items, which count the
    reports on the other pages too."""
    reports = public_reports(state=state, commitment=commitment, as_of=as_of)
    listed = page_of(
        reports.order_by(
            "implementation__state__name",
            # The commitments first, then the recommendations, on both databases (SQLite puts
            # nulls first, PostgreSQL last).
            F("implementation__commitment__number").asc(nulls_last=True),
            "implementation__recommendation__code",
            "-published_at",
            "-id",
        ),
        page,
        per_page=PER_PAGE,
    )
    shown = listed.object_list
    whole = {}
    if listed.paginator.num_pages > 1 and shown:
        whole = _summaries(reports, {report.implementation_id for report in shown})
    labels = dict(Status.choices)
    groups = []
    for implementation_id, items in groupby(shown, key=lambda report: report.implementation_id):
        items = list(items)
        organisations, counts = whole.get(implementation_id) or (
            {report.organisation_id for report in items},
            Counter(report.assessment for report in items),
        )
        summary = [(labels[value], counts[value]) for value in Status.values if counts.get(value)]
        groups.append(
            {
                "implementation": items[0].implementation,
                "reports": items,
                "summary": summary if len(organisations) > 1 else [],
                "organisations": len(organisations),
            }
        )
    return {"groups": groups, "page": listed, "shown": len(shown)}


def disagreeing(implementations=None):
    """The published reports whose assessment differs from what the state reports (when it
    reports anything), by commitment, then state: the disagreements view's and its download's;
    only those on `implementations` (a queryset, the view's filters) when given."""
    reports = (
        public_reports()
        .exclude(implementation__status=Status.NO_INFORMATION)
        .exclude(assessment=F("implementation__status"))
        .order_by(
            F("implementation__commitment__number").asc(nulls_last=True),
            "implementation__state__name",
            "-published_at",
            "-id",
        )
    )
    if implementations is not None:
        reports = reports.filter(implementation__in=implementations.values("pk"))
    return reports


def disagreements(implementations=None, page=None) -> Page:
    """One page of `disagreeing` for the disagreements view, which lists no links or files."""
    return page_of(disagreeing(implementations).prefetch_related(None), page, per_page=DISAGREEMENTS_PER_PAGE)


def _item(report) -> str:
    implementation = report.implementation
    return (
        f"commitment {implementation.commitment.number}"
        if implementation.commitment_id
        else implementation.recommendation.code
    )


def _then(implementation, field: str) -> str:
    """The implementation's status on a track as of the download's date when it was read so
    (`then_status`, `then_assessment`), else today's."""
    return getattr(implementation, f"then_{field}", getattr(implementation, field))


# The downloads' columns: the organisation by name and kind, never a person.
COLUMNS = [
    Column("state_iso2", lambda r: r.implementation.state.iso2),
    Column("item", _item),
    Column("organisation", lambda r: r.organisation.name),
    Column("organisation_kind", lambda r: r.organisation.kind),
    Column("assessment", lambda r: r.assessment),
    Column("state_reported", lambda r: _then(r.implementation, "status")),
    Column("secretariat_assessed", lambda r: _then(r.implementation, "assessment")),
    Column("narrative", lambda r: r.narrative),
    Column("links", lambda r: " ".join(e.url for e in r.evidence.all() if e.url)),
    Column("published_at", lambda r: r.published_at),
]


def download(request, fmt: str, filename: str, *, as_of=None, implementations_as_of=None, reports=None, **filters):
    """The published reports a state or commitment page lists (`list=stakeholders`), every row;
    or `reports`, when given (the disagreements view's).

    "As of" a date: the reports published by the end of it, beside the state's report and the
    secretariat's assessment as they stood then, read from `implementations_as_of` (the
    implementations annotated with `then_status` and `then_assessment`, review/asof.py)."""
    if reports is None:
        reports = public_reports(as_of=as_of, **filters).order_by(
            "implementation__state__name", "implementation__commitment__number", "id"
        )
    if as_of is not None and implementations_as_of is not None:
        # Prefetched, not joined: a joined implementation would be kept and the annotated one ignored.
        related = implementations_as_of.select_related("state", "commitment", "recommendation")
        reports = reports.select_related(None).select_related("organisation")
        reports = reports.prefetch_related(Prefetch("implementation", queryset=related))
    return download_response(request, fmt=fmt, filename=filename, columns=COLUMNS, objects=reports)
