"""Published stakeholder reports in the API (`/api/v1/stakeholder-reports/`), read-only: approved
reports of approved organisations, to everyone alike (a contributor follows their own
submissions on their page, the secretariat in its queue). The organisation is given by its name
and kind, never a contributor."""

from django.db.models import Prefetch
from rest_framework import viewsets

from ..filtersets import StakeholderReportFilterSet
from ..models import StakeholderEvidence, StakeholderReport
from ..serializers import StakeholderReportSerializer
from .common import ITEM_RELATIONS


class StakeholderReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Published stakeholder reports, by id; filter with `state=FR&commitment=3`."""

    serializer_class = StakeholderReportSerializer
    filterset_class = StakeholderReportFilterSet
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["published_at", "id"]

    def get_queryset(self):
        return (
            StakeholderReport.objects.public()
            .select_related("organisation", *ITEM_RELATIONS)
            .prefetch_related(Prefetch("evidence", queryset=StakeholderEvidence.objects.order_by("id")))
            .order_by("-published_at", "-id")
        )
