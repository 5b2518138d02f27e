"""The shared cache of public pages, downloads and API reads.

Every anonymous GET answered with 200 on a public path is kept in the default cache (Redis when
REDIS_URL is set, so every app server shares it) for CACHE_SECONDS. The cache key holds a global
*data version*: any write to the public data replaces the version, which makes every cached
page unreachable at once. A status update is therefore visible on the next request, on every
server, without knowing which pages it touched. Old entries are never read again and expire.

Why a version and not `cache.delete_pattern`: a delete per page would need to know every URL a
change shows on (dashboard, commitment, state, lists with any filter, downloads, API, feeds);
one key replaced is O(1) and cannot miss a page.

Not cached: logged-in users and API clients with a token (their pages differ and must be
fresh), private paths (admin, staff, login, evidence files), responses that set cookies,
streaming responses and anything a view marks `Cache-Control: private/no-store`.
"""

import hashlib
import re
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.checks import Tags, Warning, register
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers

DATA_VERSION_KEY = "gcm:data-version"
# Apps whose rows appear on public pages. A write to any of their models changes the version.
PUBLIC_DATA_APPS = ("recommendations", "events")
# Paths never cached, with or without a language prefix: private or per-user pages, and
# /healthz and /readyz, which must reflect the live process (and answer while the cache is down).
PRIVATE_PATH_PREFIXES = (
    "/admin/",
    "/staff/",
    "/accounts/",
    "/evidence/",
    "/i18n/",
    "/api/docs/",
    "/healthz",
    "/readyz",
)


def data_version() -> str:
    """The current data version; set to a fresh random value if the cache lost it.

    A random token (not a counter) so a version lost to eviction or a Redis restart can never
    come back as an old value whose pages are still cached.
    """
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return version


def bump_data_version() -> None:
    """Make every cached public page stale. Call it after a write that sends no model signal
    (`bulk_create`, `QuerySet.update`, raw SQL, COPY)."""
    cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _data_changed(sender, **kwargs):
    # Twice on purpose. Now: a request in the same transaction (or a test, which never commits)
    # sees the change. After commit: a reader that cached the old rows between the first bump
    # and the commit put them under a version that the second bump retires.
    bump_data_version()
    transaction.on_commit(bump_data_version, using=kwargs.get("using"))


def connect_signals() -> None:
    """Called from the apps' ready(); idempotent thanks to dispatch_uid."""
    for app_label in PUBLIC_DATA_APPS:
        for model in apps.get_app_config(app_label).get_models():
            uid = f"gcm-cache-{model._meta.label_lower}"
            post_save.connect(_data_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_data_changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(_data_changed, sender=through, dispatch_uid=f"{uid}-{field.name}")


def _is_private_path(path: str) -> bool:
    language_codes = {code for code, _name in settings.LANGUAGES}
    first, _sep, rest = path.lstrip("/").partition("/")
    if first in language_codes:
        path = "/" + rest
    return path.startswith(PRIVATE_PATH_PREFIXES)


def _is_anonymous(request) -> bool:
    """Decided from the request alone, without loading the session (no query for the public)."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _cache_key(request, version: str) -> str:
    # The Accept header selects the API's renderer (JSON or the browsable page); the host and
    # scheme appear in absolute links (feeds, API pagination).
    varying = "\n".join(
        [request.scheme, request.get_host(), request.get_full_path(), request.META.get("HTTP_ACCEPT", "")]
    )
    digest = hashlib.sha256(varying.encode()).hexdigest()
    return f"gcm:page:{version}:{translation.get_language()}:{digest}"


def _is_cacheable_response(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


# A CSRF token belongs to one visitor's cookie. A page with a form (the language switcher is on
# every page) is cached with a placeholder in its place, and each visitor served from the cache
# gets a token of their own; CsrfViewMiddleware then sets their cookie as for a rendered page.
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
CSRF_PLACEHOLDER = b"gcm-csrf-token-placeholder"


def _cacheable_copy(request, response) -> tuple[bool, HttpResponse]:
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False, response
    copy = HttpResponse(
        CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content), status=response.status_code
    )
    for header, value in response.items():
        copy[header] = value
    return True, copy


def _from_cache(request, entry) -> HttpResponse:
    uses_csrf, response = entry
    if uses_csrf:
        response.content = response.content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response["X-Cache"] = "hit"
    return response


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the shared cache (see the module docstring).

    Goes after LocaleMiddleware (the language is part of the key) and the session, CSRF and
    message middleware (a response that set a cookie is left out; a CSRF token is replaced).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.CACHE_SECONDS
        if seconds <= 0 or request.method != "GET" or not _is_anonymous(request) or _is_private_path(request.path_info):
            return self.get_response(request)
        key = _cache_key(request, data_version())
        entry = cache.get(key)
        if entry is not None:
            return _from_cache(request, entry)
        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            # Logged-in users get other pages at the same address: shared HTTP caches must not mix them.
            patch_vary_headers(response, ("Cookie",))
            cache.set(key, _cacheable_copy(request, response), seconds)
            response["X-Cache"] = "miss"
        return response


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Several processes with a local-memory cache would each keep pages the others invalidated."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.CACHE_SECONDS > 0 and backend.endswith("LocMemCache"):
        return [
            Warning(
                "Public pages are cached in local memory: with several worker processes, a change shows "
                "only in the process that saved it until CACHE_SECONDS pass.",
                hint="Set REDIS_URL (a shared cache), or CACHE_SECONDS=0.",
                id="gcmtracker.W001",
            )
        ]
    return []
