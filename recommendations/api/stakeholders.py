"""Published stakeholder reports in the API (`/api/v1/stakeholder-reports/`), read-only: approved
reports of approved organisations, to everyone alike (a contributor follows their own
submissions on their page, the secretariat in its queue). The organisation is given by its name
and kind, never a contributor.

An implementation read one at a time (`/api/v1/implementations/<id>/`) carries its published
reports too, the third voice beside the state's report and the secretariat's assessment:
`with_stakeholder_voices` adds them to its queryset."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from rest_framework import viewsets

from ..filtersets import StakeholderReportFilterSet
from ..models import StakeholderEvidence, StakeholderReport
from ..serializers import StakeholderReportSerializer
from .common import ITEM_RELATIONS

# The newest reports an implementation carries; its `stakeholder_reports_url` pages through all.
SHOWN_ON_AN_IMPLEMENTATION = 100


def _evidence():
    return Prefetch("evidence", queryset=StakeholderEvidence.objects.order_by("id"))


def with_stakeholder_voices(implementations):
    """Implementations with `public_stakeholder_reports` (the newest SHOWN_ON_AN_IMPLEMENTATION
    published ones) and `stakeholder_report_count` (all published ones): two queries more, the
    reports and their links and files, whatever their number (the count is a subquery)."""
    public = StakeholderReport.objects.public()
    count = (
        public.filter(implementation=OuterRef("pk"))
        .order_by()
        .values("implementation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    newest = (public.select_related("organisation").prefetch_related(_evidence()).order_by("-published_at", "-id"))[
        :SHOWN_ON_AN_IMPLEMENTATION
    ]
    return implementations.annotate(
        stakeholder_report_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
    ).prefetch_related(Prefetch("stakeholder_reports", queryset=newest, to_attr="public_stakeholder_reports"))


class StakeholderReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Published stakeholder reports, by id; filter with `state=FR&commitment=3` or `implementation=<id>`."""

    serializer_class = StakeholderReportSerializer
    filterset_class = StakeholderReportFilterSet
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["published_at", "id"]

    def get_queryset(self):
        return (
            StakeholderReport.objects.public()
            .select_related("organisation", *ITEM_RELATIONS)
            .prefetch_related(_evidence())
            .order_by("-published_at", "-id")
        )
