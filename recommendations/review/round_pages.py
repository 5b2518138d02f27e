"""The public pages of reporting rounds (issue 20, item 3): every round, and one round's progress
state by state: a map, a table per UN regional group (the map's text alternative), a summary,
the approved stakeholder reports received in the round, and a download of the per-state progress.

What a state has reported in a round is `rounds.progress`: computed from the status history and
the round's confirmations while the round is open, read from the frozen `RoundStateResult` rows
once it is closed. These pages only read; they show the aggregates scope (gcmtracker/cache.py),
which every status update, confirmation, close and approval touches.
"""

from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rounds, voices
from ..downloads import Column, download_response, requested_format
from ..models import ReportingRound, sorted_by_localized_name
from .round_figures import counts, standing

PROGRESS_COLUMNS = [
    Column("state_iso2", lambda p: p.state.iso2),
    Column("state", lambda p: p.state.name),
    Column("regional_group", lambda p: p.state.regional_group),
    Column("items", lambda p: p.items),
    Column("reported", lambda p: p.reported),
    Column("confirmed_unchanged", lambda p: p.confirmed),
    Column("percent", lambda p: p.percent),
    Column("standing", standing),
    Column("completed_at", lambda p: p.completed_at),
    Column("last_reported_at", lambda p: p.last_reported_at),
    Column("late", lambda p: p.late),
]


def _round(slug: str) -> ReportingRound:
    try:
        return ReportingRound.objects.select_related("cycle").get(slug=slug)
    except ReportingRound.DoesNotExist:
        raise Http404(_("No reporting round %(slug)s.") % {"slug": slug}) from None


def round_list(request):
    """Every round, the open ones first, then the most recently closed, each with how many of its
    states have reported.

    The progress of every round in a constant number of queries (`rounds.progress_of_rounds`)."""
    listed = list(
        ReportingRound.objects.select_related("cycle").order_by(
            F("closed_at").desc(nulls_first=True), "-deadline", "name"
        )
    )
    progresses = rounds.progress_of_rounds(listed)
    rows = [{"round": r, "counts": counts(progresses[r.pk])} for r in listed]
    context = {"rows": rows, "today": timezone.localdate()}
    return render(request, "cycles/round_list.html", context)


def round_detail(request, slug):
    """One round: its message, deadline and items, and how far each of its states got.
    `?format=csv|json` downloads the per-state progress."""
    reporting_round = _round(slug)
    progresses = rounds.progress(reporting_round)
    fmt = requested_format(request)
    if fmt:
        ordered = sorted(progresses, key=lambda p: p.state.name)
        return download_response(
            request, fmt=fmt, filename=f"round-{reporting_round.slug}", columns=PROGRESS_COLUMNS, objects=ordered
        )
    groups = []
    for label, members in rounds.by_regional_group(progresses):
        by_state = {p.state.pk: p for p in members}
        ordered = [by_state[s.pk] for s in sorted_by_localized_name(p.state for p in members)]
        groups.append(
            {
                "label": label,
                "caption_id": f"group-{ordered[0].state.regional_group}-caption" if ordered else "",
                "rows": [(p, standing(p)) for p in ordered],
                "counts": counts(ordered),
            }
        )
    reports = (
        rounds.stakeholder_reports_in_round(reporting_round)
        .select_related(
            "organisation", "implementation__state", "implementation__commitment", "implementation__recommendation"
        )
        .order_by("implementation__state__name", "organisation__name", "submitted_at")
    )
    context = {
        "round": reporting_round,
        "commitments": list(reporting_round.commitments.order_by("number")),
        "recommendations": list(reporting_round.recommendations.only("code").order_by("code")),
        "progresses": progresses,
        "counts": counts(progresses),
        "groups": groups,
        "reports": voices.page_of(reports, request.GET.get("stakeholders"), per_page=voices.PER_PAGE),
        "past_deadline": reporting_round.is_past_deadline(),
        "not_yet_open": reporting_round.opens_on > timezone.localdate(),
    }
    return render(request, "cycles/round_detail.html", context)
