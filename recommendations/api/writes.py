"""The writes of the API, all on implementations (assignment, status, evidence), as a mixin for
`ImplementationViewSet`. Each is handed to `services`, which asks `permissions` again.

A change names the version it started from (If-Match header or `version` field): a stale one is
refused with 412, a missing one with 428, and nothing is written.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from gcmtracker.limits import JSONParser

from .. import permissions, services
from ..models import Evidence, Implementation, StatusUpdate
from ..serializers import (
    AssignmentSerializer,
    EvidenceCreateSerializer,
    EvidenceLinkSerializer,
    EvidenceSerializer,
    ImplementationDetailSerializer,
    StatusChangeSerializer,
    StatusUpdateSerializer,
)
from .common import ETAG_HEADER, ITEM_RELATIONS, etag, evidence_ids_prefetch


class PreconditionFailed(APIException):
    status_code = http_status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The If-Match header does not name a version of this record.")
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = http_status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Say which version you are changing: send the ETag you read as If-Match, or a version field.")
    default_code = "precondition_required"


_ETAG = re.compile(r'^(?:W/)?"(\d{1,9})"$')


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


VERSION_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_('The ETag of the implementation you read, e.g. "3". Required unless the body gives `version`.'),
)
WRITE_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Field errors, by field name.")),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Not allowed for this state, or for this role.")),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description=_("No such implementation.")),
}
VERSIONED_WRITE_ERRORS = {
    **WRITE_ERRORS,
    412: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Someone changed the record since you read it.")),
    428: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Neither If-Match nor version was given.")),
}


class ImplementationWritesMixin:
    """PATCH (assignment), POST status/ and POST evidence/ of `ImplementationViewSet`, which supplies
    `get_object`, `get_queryset` and the serializers."""

    def get_parsers(self):
        """The writes read JSON (with the size and nesting limits of gcmtracker.limits); evidence,
        which may carry a file, also reads multipart/form-data. A form cannot say null or tell a
        number from text, so the other writes do not take one (415), and the schema says so."""
        if getattr(self, "action", None) in ("partial_update", "status"):
            return [JSONParser()]
        return super().get_parsers()

    def _editable(self) -> Implementation:
        """The implementation a write names, with what the permission check and the service read:
        not the read's queryset, whose evidence and stakeholder reports (three queries) a write's
        answer reads afresh after the change."""
        implementation = get_object_or_404(
            Implementation.objects.select_related("state", "commitment", "recommendation"),
            pk=self.kwargs[self.lookup_url_kwarg or self.lookup_field],
        )
        self.check_object_permissions(self.request, implementation)
        if not permissions.can_edit_implementation(self.request.user, implementation):
            raise PermissionDenied(_("You may not change %(item)s.") % {"item": implementation})
        return implementation

    def _implementation_response(self, pk, code=http_status.HTTP_200_OK) -> Response:
        implementation = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(implementation).data, status=code, headers={"ETag": etag(implementation)})

    @extend_schema(
        request=AssignmentSerializer,
        parameters=[VERSION_HEADER, ETAG_HEADER],
        responses={200: ImplementationDetailSerializer, **VERSIONED_WRITE_ERRORS},
        description=_(
            "Secretariat only: set the owner, lead agency, due date and the state's position. "
            "Fields left out keep their value."
        ),
    )
    def partial_update(self, request, *args, **kwargs):
        implementation = self._editable()
        if not permissions.can_assign(request.user, implementation):
            # Refused before the body is read: its validity is no business of a caller who may not assign.
            raise PermissionDenied(_("Only the secretariat assigns owners and due dates."))
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
        request={"application/json": EvidenceLinkSerializer, "multipart/form-data": EvidenceCreateSerializer},
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
