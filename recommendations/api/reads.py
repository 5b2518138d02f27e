"""The read-only viewsets of the tracker. `ImplementationViewSet` takes its writes from
`writes.ImplementationWritesMixin`."""

from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from gcmtracker.cache import RowsByKey, may_keep

from .. import permissions
from ..filtersets import (
    ChangeRecordFilterSet,
    CommitmentFilterSet,
    EvidenceFilterSet,
    ImplementationFilterSet,
    IndicatorFilterSet,
    MeasurementFilterSet,
    RecommendationFilterSet,
    ReviewCycleFilterSet,
    StateFilterSet,
    StatusUpdateFilterSet,
)
from ..models import (
    ChangeRecord,
    Commitment,
    CommitmentAction,
    Implementation,
    Indicator,
    Measurement,
    Recommendation,
    ReviewCycle,
    SDGTarget,
    State,
    StatusUpdate,
    Theme,
)
from ..serializers import (
    ChangeRecordSerializer,
    CommitmentSerializer,
    EvidenceSerializer,
    ImplementationDetailSerializer,
    ImplementationSerializer,
    IndicatorSerializer,
    MeasurementSerializer,
    RecommendationSerializer,
    ReviewCycleSerializer,
    StateSerializer,
    StatusUpdateSerializer,
    ThemeSerializer,
)
from .common import ETAG_HEADER, ITEM_RELATIONS, etag, evidence_ids_prefetch
from .stakeholders import with_stakeholder_voices
from .writes import ImplementationWritesMixin

# Readable identifiers in URLs. Tight patterns keep odd input (NUL bytes, huge numbers) out of the database.
SLUG = r"[-a-zA-Z0-9_]+"
NUMBER = r"[0-9]{1,5}"
ID = r"[0-9]{1,18}"


class StateViewSet(viewsets.ReadOnlyModelViewSet):
    """UN Member States and observer States, by ISO 3166 alpha-2 code (`/states/FR/`)."""

    queryset = State.objects.all()
    serializer_class = StateSerializer
    filterset_class = StateFilterSet
    lookup_field = "iso2"
    lookup_value_regex = "[A-Z]{2}"
    ordering_fields = ["name", "iso2", "iso3", "regional_group", "region"]


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    """Issue areas of Issue Brief #1 and GFMD policy areas, by slug."""

    serializer_class = ThemeSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    filterset_fields = ["kind"]
    ordering_fields = ["kind", "order", "name", "slug"]

    def get_queryset(self):
        return (
            Theme.objects.select_related("document")
            .prefetch_related(Prefetch("sdg_targets", queryset=SDGTarget.objects.only("id", "code")))
            .annotate(
                commitment_count=Count("commitments", distinct=True),
                recommendation_count=Count("recommendations", distinct=True),
            )
            .order_by("kind", "order", "pk")  # a GROUP BY drops Meta.ordering
        )


class CommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The ten commitments of Issue Brief #1, by number (`/commitments/3/`), with their actions."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilterSet
    lookup_field = "number"
    lookup_value_regex = NUMBER
    ordering_fields = ["number", "short_title"]

    def get_queryset(self):
        return (
            Commitment.objects.select_related("document")
            .prefetch_related(
                Prefetch("themes", queryset=Theme.objects.only("id", "slug")),
                Prefetch("sdg_targets", queryset=SDGTarget.objects.only("id", "code")),
                Prefetch("actions", queryset=CommitmentAction.objects.only("id", "commitment_id", "number", "text")),
            )
            .annotate(
                recommendation_count=Count("recommendations", distinct=True),
                indicator_count=Count("indicators", distinct=True),
            )
            .order_by("number")
        )


class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Every recommendation in the sources, verbatim, by code."""

    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet
    lookup_field = "code"
    lookup_value_regex = SLUG
    ordering_fields = ["code", "order", "kind", "year_from", "document__date"]

    def get_queryset(self):
        return Recommendation.objects.select_related("document", "parent", "event").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("id", "slug")),
            Prefetch("commitments", queryset=Commitment.objects.only("id", "number")),
        )


@extend_schema_view(retrieve=extend_schema(parameters=[ETAG_HEADER]))
class ImplementationViewSet(ImplementationWritesMixin, viewsets.ReadOnlyModelViewSet):
    """One state's progress on one commitment or recommendation, by id; filter with `state=FR&commitment=3`.

    A record's `version` is also its ETag. Every change must name the version it started from
    (If-Match header or `version` field): a stale one is refused with 412 and nothing is written.

    One implementation (read, or as a write answers) also carries its published stakeholder
    reports, the third voice beside the state's report and the secretariat's assessment.
    """

    serializer_class = ImplementationSerializer
    filterset_class = ImplementationFilterSet
    lookup_value_regex = ID
    ordering_fields = ["id", "state__name", "commitment__number", "status", "assessment", "last_reviewed", "updated_at"]

    def get_queryset(self):
        user = self.request.user
        queryset = Implementation.objects.select_related("state", "commitment", "recommendation").prefetch_related(
            evidence_ids_prefetch(user)
        )
        if self.action != "list":
            queryset = with_stakeholder_voices(queryset)
        if permissions.is_staff_member(user):
            return queryset.select_related("owner")
        return queryset.defer("internal_note")

    def get_serializer_class(self):
        return ImplementationSerializer if self.action == "list" else ImplementationDetailSerializer

    def list(self, request, *args, **kwargs):
        """Where the answer may be kept, the page's keys (id, state, version) first, as the public
        tables do (`gcmtracker.cache.RowsByKey`): each item's JSON is kept under its state's `rows`
        facet and its version, and only the items the cache misses are read and serialized (a
        status write in France re-reads one of the page's 50)."""
        if not may_keep(request):
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        keys = self.paginate_queryset(queryset.values_list("pk", "state__iso2", "version"))
        rows = RowsByKey(keys, lambda pks: queryset.filter(pk__in=pks))
        return self.get_paginated_response(
            rows.render(request, ["api"], lambda item: dict(self.get_serializer(item).data))
        )

    def retrieve(self, request, *args, **kwargs):
        implementation = self.get_object()
        return Response(self.get_serializer(implementation).data, headers={"ETag": etag(implementation)})


class StatusUpdateViewSet(viewsets.ReadOnlyModelViewSet):
    """The public history of every implementation: each change of status, dated, with its public rationale.
    Authors appear by role only."""

    serializer_class = StatusUpdateSerializer
    filterset_class = StatusUpdateFilterSet
    lookup_value_regex = ID
    ordering_fields = ["effective_date", "created_at", "id"]

    def get_queryset(self):
        return StatusUpdate.objects.select_related(*ITEM_RELATIONS).prefetch_related(
            evidence_ids_prefetch(self.request.user)
        )


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Published evidence; logged-in staff also see the unpublished evidence of the states in their scope."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilterSet
    lookup_value_regex = ID
    ordering_fields = ["added_at", "published_at", "date", "title", "id"]

    def get_queryset(self):
        return permissions.visible_evidence(self.request.user).select_related(*ITEM_RELATIONS)


class ReviewCycleViewSet(viewsets.ReadOnlyModelViewSet):
    """Review windows (baseline, regional reviews, review forum), by slug."""

    queryset = ReviewCycle.objects.select_related("event")
    serializer_class = ReviewCycleSerializer
    filterset_class = ReviewCycleFilterSet
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["closes_on", "opens_on", "name"]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Measurable indicators per commitment, by code."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "code"
    lookup_value_regex = SLUG
    ordering_fields = ["code", "name", "commitment__number"]

    def get_queryset(self):
        return (
            Indicator.objects.select_related("commitment")
            .annotate(measurement_count=Count("measurements"))
            .order_by("commitment__number", "code")
        )


class MeasurementViewSet(viewsets.ReadOnlyModelViewSet):
    """Values of indicators per state and date, disaggregated where the sources ask for it."""

    queryset = Measurement.objects.select_related("indicator", "state", "review_cycle")
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    lookup_value_regex = ID
    ordering_fields = ["date", "value", "state__name", "indicator__code"]


class ChangeRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """The public change records: reassignments of the lead agency, due dates, positions, evidence
    published or unpublished, measurements, cycles, indicators, corridors and reference data, each
    with the values before and after. Staff-only changes (owners, internal notes) are not here;
    status changes are under `status-updates`."""

    serializer_class = ChangeRecordSerializer
    filterset_class = ChangeRecordFilterSet
    lookup_value_regex = ID
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return ChangeRecord.objects.public().select_related("content_type", "state", "commitment", "recommendation")
