"""The public's reads of stakeholder reports, the third voice beside the state's report and the
secretariat's assessment (state and commitment pages): approved reports of approved
organisations only (`StakeholderReport.objects.public()`), by the organisation's name, never a
contributor's; "as of" a date, only those published by the end of it. Grouped by tracked item,
with a summary of the assessments when several organisations report on the same pair."""

import datetime
from collections import Counter
from itertools import groupby

from django.db.models import F, Prefetch

from .choices import Status
from .downloads import Column, download_response
from .models import StakeholderEvidence, StakeholderReport
from .selectors import published_by

# The most reports a page lists (newest first within each item); a download lists them all.
MOST_SHOWN = 100


def public_reports(*, state=None, commitment=None, as_of: datetime.date | None = None):
    reports = StakeholderReport.objects.public().filter(**published_by(as_of))
    if state is not None:
        reports = reports.filter(implementation__state=state)
    if commitment is not None:
        reports = reports.filter(implementation__commitment=commitment)
    return reports.select_related(
        "organisation", "implementation__state", "implementation__commitment", "implementation__recommendation"
    ).prefetch_related(Prefetch("evidence", queryset=StakeholderEvidence.objects.order_by("id")))


def voices(*, state=None, commitment=None, as_of: datetime.date | None = None) -> dict:
    """{"groups": [{"implementation", "reports", "summary", "organisations"}], "more"}: the public
    reports on one state's items or on one commitment across states, grouped by item."""
    reports = public_reports(state=state, commitment=commitment, as_of=as_of).order_by(
        "implementation__state__name",
        "implementation__commitment__number",
        "implementation__recommendation__code",
        "-published_at",
        "-id",
    )
    # One query (and one for their links and files when there are any): no separate count.
    shown = list(reports[: MOST_SHOWN + 1])
    more = len(shown) > MOST_SHOWN
    shown = shown[:MOST_SHOWN]
    labels = dict(Status.choices)
    groups = []
    for _key, items in groupby(shown, key=lambda report: report.implementation_id):
        items = list(items)
        organisations = {report.organisation_id for report in items}
        counts = Counter(report.assessment for report in items)
        summary = [(labels[value], counts[value]) for value in Status.values if counts.get(value)]
        groups.append(
            {
                "implementation": items[0].implementation,
                "reports": items,
                "summary": summary if len(organisations) > 1 else [],
                "organisations": len(organisations),
            }
        )
    return {"groups": groups, "more": more, "shown": len(shown)}


def disagreements(state=None):
    """Published reports whose assessment differs from what the state reports (when it reports
    anything), for the disagreements view: the MOST_SHOWN first by commitment, then state."""
    reports = (
        public_reports(state=state)
        .exclude(implementation__status=Status.NO_INFORMATION)
        .exclude(assessment=F("implementation__status"))
        .order_by("implementation__commitment__number", "implementation__state__name", "-published_at", "-id")
    )
    return list(reports[:MOST_SHOWN])


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


def download(request, fmt: str, filename: str, *, as_of=None, implementations_as_of=None, **filters):
    """The published reports a state or commitment page lists (`list=stakeholders`), every row.

    "As of" a date: the reports published by the end of it, beside the state's report and the
    secretariat's assessment as they stood then, read from `implementations_as_of` (the
    implementations annotated with `then_status` and `then_assessment`, review/asof.py)."""
    reports = public_reports(as_of=as_of, **filters).order_by(
        "implementation__state__name", "implementation__commitment__number", "id"
    )
    if as_of is not None and implementations_as_of is not None:
        # Prefetched, not joined: a joined implementation would be kept and the annotated one ignored.
        related = implementations_as_of.select_related("state", "commitment", "recommendation")
        reports = reports.select_related(None).select_related("organisation")
        reports = reports.prefetch_related(Prefetch("implementation", queryset=related))
    return download_response(request, fmt=fmt, filename=filename, columns=COLUMNS, objects=reports)
