"""API viewsets of the tracker under /api/v1/.

Reading is open to everyone; what a reader sees of evidence depends on who asks (`visible_evidence`).
The only writes are on implementations (status, evidence, assignment), and each one is handed to
`services`, which asks `permissions` again: the API decides nothing the pages would decide differently.

Each list runs a fixed number of queries whatever the data size: one count for the page, one for the
rows with their to-one relations joined, and one per prefetched to-many relation
(tests/test_api_queries.py holds the numbers).
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status as http_status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from . import permissions, services
from .filtersets import (
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
from .models import (
    Commitment,
    CommitmentAction,
    Evidence,
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
from .serializers import (
    AssignmentSerializer,
    CommitmentSerializer,
    EvidenceCreateSerializer,
    EvidenceSerializer,
    ImplementationSerializer,
    IndicatorSerializer,
    MeasurementSerializer,
    RecommendationSerializer,
    ReviewCycleSerializer,
    StateSerializer,
    StatusChangeSerializer,
    StatusUpdateSerializer,
    ThemeSerializer,
)

# Readable identifiers in URLs. Tight patterns keep odd input (NUL bytes, huge numbers) out of the database.
SLUG = r"[-a-zA-Z0-9_]+"
NUMBER = r"[0-9]{1,5}"
ID = r"[0-9]{1,18}"

# Columns of the related rows a list shows by their readable identifier.
ITEM_COLUMNS = (
    "implementation__id",
    "implementation__state__iso2",
    "implementation__commitment__number",
    "implementation__recommendation__code",
)
ITEM_RELATIONS = ("implementation__state", "implementation__commitment", "implementation__recommendation")


def visible_evidence(user):
    """Evidence a user may see: published evidence for everyone, plus, for staff, what their scope allows
    (every state for the secretariat, their own states for a focal point)."""
    public = Evidence.objects.public()
    if not permissions.is_staff_member(user):
        return public
    return public | permissions.restrict_to_scope(Evidence.objects.all(), user, "implementation__state")


def evidence_ids_prefetch(user):
    """Prefetch only the ids of visible evidence into `visible_evidence`, for nested lists of ids."""
    return Prefetch(
        "evidence", queryset=visible_evidence(user).only("id", "implementation_id"), to_attr="visible_evidence"
    )


class PreconditionFailed(APIException):
    status_code = http_status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The If-Match header does not name a version of this record.")
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = http_status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Say which version you are changing: send the ETag you read as If-Match, or a version field."
    )
    default_code = "precondition_required"


_ETAG = re.compile(r'^(?:W/)?"(\d{1,9})"$')


def etag(implementation) -> str:
    return f'"{implementation.version}"'


def expected_version(request, version: int | None) -> int:
    """The version a writer started from: the If-Match header, else the body's `version`. A write
    that names neither is refused (428), so nobody overwrites a change they never saw."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        match = _ETAG.match(header)
        if not match:
            raise PreconditionFailed
        return int(match.group(1))
    if version is None:
        raise PreconditionRequired
    return version


def _validation_error(error: DjangoValidationError) -> Response:
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=http_status.HTTP_400_BAD_REQUEST)
    return Response({"non_field_errors": error.messages}, status=http_status.HTTP_400_BAD_REQUEST)


def _stale(error: services.StaleEdit) -> Response:
    return Response(
        {"detail": str(error), "version": error.current.version},
        status=http_status.HTTP_412_PRECONDITION_FAILED,
        headers={"ETag": etag(error.current)},
    )


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


VERSION_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_('The ETag of the implementation you read, e.g. "3". Required unless the body gives `version`.'),
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201, 412],
    description=_("The implementation's current version; send it back as If-Match when you change it."),
)
WRITE_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Field errors, by field name.")),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Not logged in, or not allowed for this state.")),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description=_("No such implementation.")),
}
VERSIONED_WRITE_ERRORS = {
    **WRITE_ERRORS,
    412: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Someone changed the record since you read it.")),
    428: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Neither If-Match nor version was given.")),
}


@extend_schema_view(retrieve=extend_schema(parameters=[ETAG_HEADER]))
class ImplementationViewSet(viewsets.ReadOnlyModelViewSet):
    """One state's progress on one commitment or recommendation, by id; filter with `state=FR&commitment=3`.

    A record's `version` is also its ETag. Every change must name the version it started from
    (If-Match header or `version` field): a stale one is refused with 412 and nothing is written.
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
        if permissions.is_staff_member(user):
            return queryset.select_related("owner")
        return queryset.defer("internal_note")

    def retrieve(self, request, *args, **kwargs):
        implementation = self.get_object()
        return Response(self.get_serializer(implementation).data, headers={"ETag": etag(implementation)})

    def _editable(self) -> Implementation:
        implementation = self.get_object()
        if not permissions.can_edit_implementation(self.request.user, implementation):
            raise PermissionDenied(_("You may not change %(item)s.") % {"item": implementation})
        return implementation

    def _implementation_response(self, pk, code=http_status.HTTP_200_OK) -> Response:
        implementation = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(implementation).data, status=code, headers={"ETag": etag(implementation)})

    @extend_schema(
        request=AssignmentSerializer,
        parameters=[VERSION_HEADER, ETAG_HEADER],
        responses={200: ImplementationSerializer, **VERSIONED_WRITE_ERRORS},
        description=_(
            "Secretariat only: set the owner, lead agency, due date and the state's position. "
            "Fields left out keep their value."
        ),
    )
    def partial_update(self, request, *args, **kwargs):
        implementation = self._editable()
        serializer = AssignmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = expected_version(request, data.get("version"))
        try:
            services.implementation_assign(
                implementation=implementation,
                actor=request.user,
                owner=data.get("owner", implementation.owner),
                lead_agency=data.get("lead_agency", implementation.lead_agency),
                due_date=data.get("due_date", implementation.due_date),
                position=data.get("position"),
                expected_version=version,
            )
        except services.StaleEdit as error:
            return _stale(error)
        except DjangoValidationError as error:
            return _validation_error(error)
        return self._implementation_response(implementation.pk)

    @extend_schema(
        request=StatusChangeSerializer,
        parameters=[VERSION_HEADER, ETAG_HEADER],
        responses={201: StatusUpdateSerializer, **VERSIONED_WRITE_ERRORS},
        description=_(
            "Record a change of status on one track. Focal points report for their own states; only the "
            "secretariat sets the assessed track. A move to partially implemented or implemented needs "
            "evidence of this implementation and a public rationale."
        ),
        examples=[
            OpenApiExample(
                "Report progress",
                request_only=True,
                value={"track": "reported", "status": "in_progress", "comment": "Bill tabled in parliament."},
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def status(self, request, *args, **kwargs):
        implementation = self._editable()
        serializer = StatusChangeSerializer(data=request.data, implementation=implementation)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = expected_version(request, data.get("version"))
        try:
            update = services.implementation_set_status(
                implementation=implementation,
                actor=request.user,
                track=data["track"],
                status=data["status"],
                comment=data["comment"],
                rationale=data["rationale"],
                evidence=data.get("evidence", ()),
                effective_date=data.get("effective_date"),
                expected_version=version,
            )
        except services.StaleEdit as error:
            return _stale(error)
        except DjangoValidationError as error:
            return _validation_error(error)
        update = (
            StatusUpdate.objects.select_related(*ITEM_RELATIONS)
            .prefetch_related(evidence_ids_prefetch(request.user))
            .get(pk=update.pk)
        )
        return Response(
            StatusUpdateSerializer(update, context=self.get_serializer_context()).data,
            status=http_status.HTTP_201_CREATED,
            headers={"ETag": etag(implementation)},
        )

    @extend_schema(
        request=EvidenceCreateSerializer,
        responses={201: EvidenceSerializer, **WRITE_ERRORS},
        description=_(
            "Attach evidence (a URL, or a file sent as multipart/form-data) to an implementation of a state in "
            "your scope. New evidence is staff-only until the secretariat verifies and publishes it. Adding "
            "evidence does not change the version."
        ),
    )
    @action(detail=True, methods=["post"], url_path="evidence", parser_classes=[JSONParser, MultiPartParser])
    def add_evidence(self, request, *args, **kwargs):
        implementation = self._editable()
        serializer = EvidenceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            evidence = services.evidence_add(
                implementation=implementation, actor=request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            return _validation_error(error)
        evidence = Evidence.objects.select_related(*ITEM_RELATIONS).get(pk=evidence.pk)
        return Response(
            EvidenceSerializer(evidence, context=self.get_serializer_context()).data,
            status=http_status.HTTP_201_CREATED,
        )


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
        return visible_evidence(self.request.user).select_related(*ITEM_RELATIONS)


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

