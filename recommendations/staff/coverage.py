"""Coverage, for staff: pairs nobody owns, owners with overdue items, and what has gone untouched
longest, each grouped by lead agency and limited to the user's scope."""

import datetime

from django.conf import settings
from django.db.models import Count, Min
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import Status
from ..models import Implementation
from ..permissions import staff_required

DONE = (Status.IMPLEMENTED, Status.NOT_APPLICABLE)
PAGE_SIZE = 50


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
    untouched_before = today - datetime.timedelta(days=settings.OWNER_UNTOUCHED_AFTER_DAYS)
    return render(
        request,
        "accountability/coverage.html",
        {
            "unowned_by_agency": unowned_by_agency,
            "unowned_total": open_items.filter(owner__isnull=True).count(),
            "overdue_owners": overdue_owners,
            "untouched": untouched,
            "untouched_before": untouched_before,
            "today": today,
            "title": _("Coverage"),
        },
    )
