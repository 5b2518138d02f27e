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

from gcmtracker.validators import PlainTextValidator


class ErrorSerializer(serializers.Serializer):
    """DRF's error answer: one message."""

    detail = serializers.CharField()


def _error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    "400": OpenApiResponse(OpenApiTypes.OBJECT, description=_("The input does not validate: messages by field.")),
    "401": _error(
        _("No credentials where a write needs them, or a token that is not valid: WWW-Authenticate names the scheme.")
    ),
    "403": _error(_("Logged in but not allowed, or a session write without its CSRF token.")),
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


WWW_AUTHENTICATE = OpenApiParameter(
    "WWW-Authenticate",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=["401"],
    description=_('The scheme to authenticate with: "Token".'),
)


class AutoSchema(SpectacularAutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), RETRY_AFTER, WWW_AUTHENTICATE]

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

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A request's text as the serializers check it: no NUL (DRF refuses it), a required text
        with something besides spaces (DRF trims, then refuses a blank), and no control or bidi
        characters where `PlainTextValidator` refuses them."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or not isinstance(field, serializers.CharField) or schema.get("type") != "string":
            return schema
        if {"enum", "format", "pattern"} & set(schema) or isinstance(field, serializers.ChoiceField):
            return schema
        plain = next((v for v in field.validators if isinstance(v, PlainTextValidator)), None)
        refused = NUL if plain is None else (PLAIN_WITH_NEWLINES if plain.allow_newlines else PLAIN)
        # DRF trims spaces at either end before it checks, so they may hold anything it trims.
        core = f"[^{refused}]*[^\\s{refused}][^{refused}]*"
        if field.allow_blank:
            # drf-spectacular adds `maxLength: 0` as the other branch of a oneOf for the empty text.
            schema["pattern"] = f"^(\\s+|\\s*{core}\\s*)$"
        else:
            schema["pattern"] = f"^\\s*{core}\\s*$"
        return schema

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
# Characters the serializers refuse, as regular-expression class contents: NUL everywhere; where
# PlainTextValidator checks, every control character (Unicode Cc) and the bidi controls, newlines
# and tabs allowed or not (gcmtracker/validators.py).
NUL = "\\u0000"
_BIDI = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
PLAIN = "\\u0000-\\u001f\\u007f-\\u009f" + _BIDI
PLAIN_WITH_NEWLINES = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f" + _BIDI


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


def evidence_needs_a_link_or_a_file(result, generator, request, public):
    """Postprocessing hook: new evidence sent as a form gives a URL, a file, or both (the serializer
    refuses neither), and a date or no date, never null; as JSON it can only give a URL, which its
    own component requires."""
    component = result.get("components", {}).get("schemas", {}).get("EvidenceCreateRequest")
    if component is not None:
        # A form cannot say null: an empty date is refused (serializers.FormDateField), so leave it out.
        component.get("properties", {}).get("date", {}).pop("nullable", None)
        component["anyOf"] = [
            {"required": ["url"], "properties": {"url": {"minLength": 1}}},
            {"required": ["file"]},
        ]
    return result


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
