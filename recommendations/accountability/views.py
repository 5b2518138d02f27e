"""What no other tracker shows: where a state's report and the secretariat's assessment disagree,
migration corridors side by side, and (for staff, `staff/coverage.py`) where ownership and
follow-up are missing.

Reads only; every page issues a fixed number of queries.
"""

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, render

from .. import selectors
from ..choices import Status
from ..downloads import IMPLEMENTATION_COLUMNS, Column, download_response, requested_format
from ..filtersets import ImplementationFilterSet, any_labels
from ..models import Commitment, Corridor, CorridorState, Implementation
from ..voices import PAGE_PARAMETER as STAKEHOLDER_PAGE
from ..voices import disagreeing as stakeholders_disagreeing
from ..voices import disagreements as stakeholder_disagreements
from ..voices import download as stakeholder_download

PAGE_SIZE = 50


def disagreement_list(request):
    """Every implementation where the state's report and the secretariat's assessment differ,
    then (a page at a time, `?stakeholders=`) the published stakeholder reports that differ from
    the state's report; `?list=stakeholders` downloads those."""
    queryset = (
        selectors.public_implementations()
        .filter(~Q(status=Status.NO_INFORMATION), ~Q(assessment=Status.NO_INFORMATION), ~Q(status=F("assessment")))
        .select_related("state", "commitment", "recommendation")
        .order_by("commitment__number", "state__name")
    )
    filterset = ImplementationFilterSet(request.GET or None, queryset=queryset)
    for name in ("status", "assessment", "recommendation", "disagreement", "position"):
        filterset.form.fields.pop(name, None)
    rows = filterset.qs
    # The stakeholder reports listed below the table are filtered alike (state, regional group,
    # commitment), from the form the table's filters already cleaned: no lookup again.
    scope = None
    if any(request.GET.get(name) for name in filterset.form.fields):
        scope = (
            filterset.filter_queryset(Implementation.objects.all())
            if filterset.is_valid()
            else Implementation.objects.none()
        )
    fmt = requested_format(request)
    if fmt and request.GET.get("list") == "stakeholders":
        return stakeholder_download(request, fmt, "disagreements-stakeholders", reports=stakeholders_disagreeing(scope))
    if fmt:
        columns = [*IMPLEMENTATION_COLUMNS]
        columns.insert(
            2, Column("item", lambda i: i.commitment.stored_label if i.commitment_id else i.recommendation.code)
        )
        return download_response(
            request, fmt=fmt, filename="disagreements", columns=columns, objects=selectors.mark_out_of_date(rows)
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.mark_out_of_date(page.object_list)
    return render(
        request,
        "accountability/disagreement_list.html",
        {
            "filter": filterset,
            "form": any_labels(filterset.form),
            "page": page,
            "stakeholder_disagreements": stakeholder_disagreements(scope, page=request.GET.get(STAKEHOLDER_PAGE)),
        },
    )


def corridor_list(request):
    corridors = Corridor.objects.annotate(state_count=Count("stops")).order_by("name")
    return render(request, "accountability/corridor_list.html", {"corridors": corridors})


def corridor_grid(corridor: Corridor) -> tuple[list, list]:
    """The corridor's states in route order, and one row per commitment with each state's cell.

    Three queries: the stops, the commitments, and the implementations of those states.
    """
    stops = list(CorridorState.objects.filter(corridor=corridor).select_related("state").order_by("order"))
    commitments = list(Commitment.objects.only("id", "number", "short_title"))
    cells = {
        (i.state_id, i.commitment_id): i
        for i in selectors.public_implementations().filter(
            state__in=[stop.state_id for stop in stops], commitment__isnull=False
        )
    }
    for implementation in cells.values():
        implementation.out_of_date = selectors.is_out_of_date(implementation)
    rows = [
        {"commitment": commitment, "cells": [cells.get((stop.state_id, commitment.pk)) for stop in stops]}
        for commitment in commitments
    ]
    return stops, rows


def corridor_detail(request, slug):
    corridor = get_object_or_404(Corridor, slug=slug)
    stops, rows = corridor_grid(corridor)
    return render(request, "accountability/corridor_detail.html", {"corridor": corridor, "stops": stops, "rows": rows})
