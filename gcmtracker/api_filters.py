"""The API's filter backend, pagination and 404 answer: what DRF and django-filter do, with
answers that match the OpenAPI schema (gcmtracker/schema.py documents them)."""

from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend for the API. A value naming nothing that exists (`?theme=no-such-
    theme`, `?commitment=0`) is a 404 with the field's message: the request is well formed, the
    thing it names is not there. A parameter given with no value is a 400: the schema asks for one.
    Other invalid values stay a 400 with messages by field."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        empty = sorted(
            name for name in filterset.filters if name in request.query_params and not request.query_params[name]
        )
        if empty:
            raise ValidationError({name: [_("Give a value, or leave the parameter out.")] for name in empty})
        # django-filter reads "null", "unknown" or "yes" as "no filter"; the schema says true or false.
        loose = sorted(
            name
            for name, field in filterset.filters.items()
            if isinstance(field, BooleanFilter) and request.query_params.get(name, "true") not in ("true", "false")
        )
        if loose:
            raise ValidationError({name: [_("Give true or false.")] for name in loose})
        if not filterset.is_valid():
            errors = filterset.form.errors.as_data()
            codes = {error.code for field_errors in errors.values() for error in field_errors}
            if codes <= {"invalid_choice", "invalid_pk_value"}:
                raise NotFound({name: [str(message) for message in filterset.form.errors[name]] for name in errors})
            raise ValidationError(filterset.errors)
        return filterset.qs


class Pagination(PageNumberPagination):
    """DRF's page numbers; `?page=` with no number is a 400 rather than silently page 1."""

    def paginate_queryset(self, queryset, request, view=None):
        if self.page_query_param in request.query_params and not request.query_params[self.page_query_param]:
            raise ValidationError({self.page_query_param: [_("Give a page number, or leave the parameter out.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


def api_not_found(request, exception=None):
    """Django's 404 page, or for an address under /api/ (one whose identifier does not even match
    its pattern) the API's JSON answer, as the schema documents."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)
