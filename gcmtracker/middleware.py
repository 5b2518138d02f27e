"""Request guards that apply to every door before any view runs."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RefuseNulBytesMiddleware:
    """Answer 400 to a NUL character in the path, the query string or a form field.

    No address or form value of the tracker holds one, and PostgreSQL refuses it in any text
    parameter (DataError, a 500) while SQLite takes it: refusing it here keeps every lookup,
    filter and form on both databases from seeing it. Uploaded files' bytes are not fields and
    are not looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (_is_form(request) and _has_nul(request.POST)):
            return HttpResponseBadRequest(_("The request holds a NUL character."), content_type="text/plain")
        return self.get_response(request)


def _is_form(request) -> bool:
    return request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    )


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
