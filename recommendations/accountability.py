"""What no other tracker shows: where a state's report and the secretariat's assessment disagree,
migration corridors side by side, and (for staff) where ownership and follow-up are missing.

Reads only; every page issues a fixed number of queries.
"""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions, selectors
from .choices import Status
from .downloads import Column, download_response, requested_format
from .filtersets import ImplementationFilterSet
from .models import Commitment, Corridor, CorridorState, Implementation
from .staff_views import staff_required
from .views import IMPLEMENTATION_COLUMNS, _mark_stale, any_labels

PAGE_SIZE = 50
DONE = (Status.IMPLEMENTED, Status.NOT_APPLICABLE)


def disagreement_list(request):
    """Every implementation where the state's report and the secretariat's assessment differ."""
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
    fmt = requested_format(request)
    if fmt:
        columns = [*IMPLEMENTATION_COLUMNS]
        columns.insert(2, Column("item", lambda i: str(i.commitment or i.recommendation.code)))
        return download_response(request, fmt=fmt, filename="disagreements", columns=columns, objects=_mark_stale(rows))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _mark_stale(page.object_list)
    return render(
        request,
        "accountability/disagreement_list.html",
        {"filter": filterset, "form": any_labels(filterset.form), "page": page},
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
        implementation.stale = selectors.is_stale(implementation)
    rows = [
        {"commitment": commitment, "cells": [cells.get((stop.state_id, commitment.pk)) for stop in stops]}
        for commitment in commitments
    ]
    return stops, rows


def corridor_detail(request, slug):
    corridor = get_object_or_404(Corridor, slug=slug)
    stops, rows = corridor_grid(corridor)
    return render(request, "accountability/corridor_detail.html", {"corridor": corridor, "stops": stops, "rows": rows})


@staff_required
def coverage(request):
    """For staff: pairs nobody owns, owners with overdue items, and what has gone untouched longest,
    each grouped by lead agency and limited to the user's scope."""
    today = timezone.localdate()
    scope = permissions.restrict_to_scope(Implementation.objects.all(), request.user)
    open_items = scope.exclude(status__in=DONE)
    unowned_by_agency = (
        open_items.filter(owner__isnull=True)
        .values("lead_agency")
        .annotate(n=Count("id"), states=Count("state", distinct=True))
        .order_by("-n", "lead_agency")
    )
    overdue_owners = (
        open_items.filter(owner__isnull=False, due_date__lt=today)
        .values("owner__username", "owner__first_name", "owner__last_name", "lead_agency")
        .annotate(n=Count("id"), oldest_due=Min("due_date"))
        .order_by("-n", "owner__username")
    )
    untouched = (
        open_items.annotate(touched=Coalesce("status_changed_at", "created_at"))
        .select_related("state", "commitment", "recommendation", "owner")
        .order_by("touched", "state__name")[:PAGE_SIZE]
    )
    stale_before = today - datetime.timedelta(days=settings.OWNER_STALE_AFTER_DAYS)
    return render(
        request,
        "accountability/coverage.html",
        {
            "unowned_by_agency": unowned_by_agency,
            "unowned_total": open_items.filter(owner__isnull=True).count(),
            "overdue_owners": overdue_owners,
            "untouched": untouched,
            "stale_before": stale_before,
            "today": today,
            "title": _("Coverage"),
        },
    )


app_name = "accountability"
urlpatterns = [
    path("disagreements/", disagreement_list, name="disagreement-list"),
    path("corridors/", corridor_list, name="corridor-list"),
    path("corridors/<slug:slug>/", corridor_detail, name="corridor-detail"),
    path("staff/coverage/", coverage, name="coverage"),
]
