"""Request guards that apply to every door before any view runs."""

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from gcmtracker import accounts


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
            message = _("The request holds a NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain")
        return self.get_response(request)


def _is_form(request) -> bool:
    # The API's serializers refuse NUL in their text fields themselves, field by field.
    return (
        request.method == "POST"
        and not request.path.startswith("/api/")
        and request.content_type
        in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
    )


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


_STAFF_PATH = re.compile(r"^/(?:[a-z]{2}/)?(?:staff|admin)/")
_ACCOUNT_PATH = re.compile(r"^/(?:[a-z]{2}/)?accounts/")


class SecondFactorMiddleware:
    """Until a staff account that needs a second factor (`accounts.two_factor_required`) has proved
    one in this session: the staff pages and the admin redirect to the two-factor page, and every
    other page and the API see the public (so no write door opens and no staff data shows). The
    account pages (login, logout, password, two-factor) work as usual. After OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a request with a session can be logged in; the others are left untouched (reading
        # the session would add Vary: Cookie to every public page).
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = request.user
            if accounts.two_factor_required(user) and not accounts.is_verified(user):
                if _STAFF_PATH.match(request.path_info):
                    return redirect_to_login(request.get_full_path(), reverse("two-factor"))
                if not _ACCOUNT_PATH.match(request.path_info):
                    request.user = AnonymousUser()
        return self.get_response(request)
