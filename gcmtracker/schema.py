"""The OpenAPI schema's view of what every operation can answer besides its own results.

drf-spectacular documents what a view says it returns; DRF itself adds answers on every door: 401
for credentials that do not check out, 406 for an Accept it cannot serve, 429 when a throttle says
wait (with Retry-After), 404 for an address naming nothing or a page past the last, 400 for a filter
or body that does not validate, and on writes 403 and 415. This schema class adds those to each
operation, so a client (and schemathesis) finds every status code it can meet in the schema.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """DRF's error answer: one message."""

    detail = serializers.CharField()


def _error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    "400": OpenApiResponse(OpenApiTypes.OBJECT, description=_("The input does not validate: messages by field.")),
    "401": _error(_("The credentials sent (token or session) are not valid.")),
    "403": _error(_("Not logged in, or not allowed.")),
    "404": OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=_(
            "No such record or page of results, or a filter naming nothing: a message, or messages by field."
        ),
    ),
    "406": _error(_("The Accept header names no type the API can answer with.")),
    "415": _error(_("The request body's type is not one this operation reads.")),
    "429": _error(_("Too many requests: wait the number of seconds in Retry-After.")),
}

RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=["429"],
    description=_("Seconds to wait before asking again."),
)


class AutoSchema(SpectacularAutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), RETRY_AFTER]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = ["401", "406", "429"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ["400", "403", "404", "415"]
        if "{" in self.path:
            codes.append("404")
        if self.method == "GET" and self._is_list_view():
            codes += ["400", "404"]  # a filter that does not validate; a page past the last
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ERRORS[code], code, direction=direction)
        return responses

    def get_auth(self):
        """No security requirement on operations anyone may call: drf-spectacular lists the
        session and token schemes on them as optional (`{}` among them), which Swagger UI draws as
        a padlock on every public read. The schemes stay on the writes, which need them."""
        auths = super().get_auth()
        if {} in auths or (self.method in ("GET", "HEAD", "OPTIONS") and self._reads_are_public()):
            return []
        return auths

    def _reads_are_public(self) -> bool:
        """drf-spectacular only knows DRF's own open classes; ours (permissions.StaffOrReadOnly)
        says so with `reads_are_public`."""
        return all(getattr(permission, "reads_are_public", False) for permission in self.view.get_permissions())


# --- filters: what the schema says about each query parameter -------------------------------

NO_NUL = "^[^\\u0000]*$"


class FilterExtension(DjangoFilterExtension):
    """django-filter's parameters as drf-spectacular documents them, plus what the filters check:
    the bounds of number filters (`min_value`, `max_value`), and that free text holds no NUL
    (refused on every door, gcmtracker.middleware)."""

    target_class = "gcmtracker.api_filters.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            schema = parameter.get("schema", {})
            target = schema.get("items", schema) if schema.get("type") == "array" else schema
            if "min_value" in filter_field.extra:
                target["minimum"] = filter_field.extra["min_value"]
            if "max_value" in filter_field.extra:
                target["maximum"] = filter_field.extra["max_value"]
            if target.get("type") == "string":
                target.setdefault("minLength", 1)  # an empty value is refused (api_filters.FilterBackend)
                if not ({"enum", "format", "pattern"} & set(target)):
                    target["pattern"] = NO_NUL
        return parameters


def no_nul_in_query_text(result, generator, request, public):
    """Postprocessing hook: every free-text query parameter (`ordering`, `q`, ...) says it holds no
    NUL, which every door refuses (gcmtracker.middleware)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                free_text = schema.get("type") == "string" and not ({"enum", "format", "pattern"} & set(schema))
                if parameter.get("in") == "query" and free_text:
                    schema["pattern"] = NO_NUL
    return result
