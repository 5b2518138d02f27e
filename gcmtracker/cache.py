"""The shared cache of public pages, downloads, feeds and API reads, and their HTTP caching.

Every anonymous GET answered with 200 on a public path is kept in the default cache (Redis when
REDIS_URL is set, so every app server shares it) for CACHE_SECONDS. Its key folds in the
versions of the *scopes* the page shows (`gcmtracker/scopes.py`): `PAGE_SCOPES` maps a URL name
and its resolved arguments to them (a state page shows its state, a commitment page its
commitment, a feed its state or commitment); any other public page shows the aggregates. Every
page also shows the reference data. A write retires only the pages of the scopes it touched:
a status change in France leaves Kenya's page, and every other commitment's, in the cache.

The same versions give each public response an ETag and a Last-Modified, and `Cache-Control:
public` with a short max-age and stale-while-revalidate, so a reverse proxy or a CDN can keep
and revalidate pages too (README: Deploying). A request whose If-None-Match (or, without one,
If-Modified-Since) still matches is answered 304 before the view runs.

Not cached: logged-in users and API clients with a token (their pages differ and must be
fresh), private paths (admin, staff, login, evidence files), responses that set cookies (or a
CSRF token) and anything a view marks `Cache-Control: private/no-store`. A streaming response
(a long download) is not kept here, but carries the same validators and Cache-Control.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.checks import Tags, Warning, register
from django.http import HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from . import scopes
from .remembered import REMEMBERED

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

# URL name -> the scopes its page shows, from the URL's arguments. Any other public URL shows
# the aggregates (every public write touches them).
PAGE_SCOPES = {
    "recommendations:state-detail": lambda kw: [scopes.state(kw["iso2"])],
    "recommendations:commitment-detail": lambda kw: [scopes.commitment(kw["number"])],
    "recommendations:recommendation-detail": lambda kw: [scopes.recommendation(kw["code"])],
    "cycles:state-report": lambda kw: [scopes.state(kw["iso2"])],
    "feeds:state": lambda kw: [scopes.state(kw["iso2"])],
    "feeds:commitment": lambda kw: [scopes.commitment(kw["number"])],
}


def page_scopes(view_name: str, kwargs: dict) -> list[str]:
    """The scopes of the page at this URL name with these arguments, the reference data first."""
    shown = PAGE_SCOPES.get(view_name)
    try:
        found = shown(kwargs) if shown else [scopes.AGGREGATES]
    except (KeyError, TypeError, ValueError):
        found = [scopes.AGGREGATES]
    return [scopes.REFERENCE, *found]


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


def _is_cacheable_response(request, response, *, streaming=False) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and response.streaming == streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


class Page:
    """What the cache knows of one public URL before its view runs: the key of its cached copy,
    its ETag and its Last-Modified (None while its latest write is in the current second)."""

    def __init__(self, request, shown: list[str]):
        # With the facets of its scopes, which its parts ask for next: one round trip for all.
        found = scopes.versions(scopes.expand(shown))
        current = {scope: found[scope] for scope in shown}
        # The Accept header selects the API's renderer (JSON or the browsable page); the host and
        # scheme appear in absolute links (feeds, API pagination); the date, in "out of date" marks.
        varying = "\n".join(
            [
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                request.META.get("HTTP_ACCEPT", ""),
                translation.get_language() or "",
                timezone.localdate().isoformat(),
                *(f"{scope}={version}" for scope, version in current.items()),
            ]
        )
        digest = hashlib.sha256(varying.encode()).hexdigest()
        self.key = f"gcm:page:{digest}"
        self.etag = f'W/"{digest[:32]}"'
        latest = int(max((scopes.changed_at(version) for version in current.values()), default=0))
        # A second that has not ended could still hold another write, which the same
        # Last-Modified would then hide from an If-Modified-Since.
        self.last_modified = latest if latest and time.time() >= latest + 1 else None

    def not_modified(self, request) -> bool:
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            ours = self.etag.removeprefix("W/")
            return any(tag == "*" or tag.removeprefix("W/") == ours for tag in parse_etags(if_none_match))
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and self.last_modified is not None and self.last_modified <= since

    def mark(self, response, state: str):
        """The headers of a public response: its validators, how long others may keep it, X-Cache."""
        if not response.has_header("ETag"):  # the API's detail views give their version as ETag
            response["ETag"] = self.etag
            if self.last_modified is not None:
                response["Last-Modified"] = http_date(self.last_modified)
        response["Cache-Control"] = (
            f"public, max-age={settings.CACHE_HTTP_MAX_AGE}, stale-while-revalidate={settings.CACHE_HTTP_STALE_SECONDS}"
        )
        # Logged-in users get other pages at the same address: shared HTTP caches must not mix them.
        patch_vary_headers(response, ("Cookie",))
        response["X-Cache"] = state
        return response


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the shared cache (see the module docstring).

    Goes after LocaleMiddleware (the language is part of the key) and the session, CSRF and
    message middleware (a response that set a cookie or used a CSRF token is left out). The
    cache is looked up in `process_view`, once the URL is resolved: its name and arguments say
    which scopes the page shows.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if scopes.no_transaction_open():
            scopes.forget_pending()  # left by a write that rolled back
        request.gcm_page = None
        request.gcm_may_cache = (
            settings.CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and _is_anonymous(request)
            and not _is_private_path(request.path_info)
        )
        with scopes.read_once():  # the page, its parts and rows read each scope's version once
            response = self.get_response(request)
        page = request.gcm_page
        if page is None or response.has_header("X-Cache"):
            return response
        if _is_cacheable_response(request, response):
            cache.set(page.key, response, settings.CACHE_SECONDS)
            page.mark(response, "miss")
        elif response.streaming and _is_cacheable_response(request, response, streaming=True):
            page.mark(response, "streamed")  # too long to keep here; a proxy may keep it, and revalidate
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(request, "gcm_may_cache", False):
            return None
        match = request.resolver_match
        shown = page_scopes(match.view_name if match else "", view_kwargs)
        if scopes.pending().intersection(shown):
            return None  # this thread's own write is not committed yet: render it, keep nothing
        page = request.gcm_page = Page(request, shown)
        if page.not_modified(request):
            return page.mark(HttpResponseNotModified(), "revalidated")
        cached = cache.get(page.key)
        if cached is not None:
            return page.mark(cached, "hit")
        return None


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


# ---------------------------------------------------------------------------------------------
# Fragments: parts of a public page kept under their own, narrower scopes (issue 18: 2)


def fragments(request, parts: dict, render) -> dict:
    """Rendered parts of the page being answered, from the shared cache where they are still good.

    `parts` maps an id to (scopes, vary): the scopes the part shows (besides the reference data)
    and what else its markup depends on (language, date and the scopes' versions are added here).
    `render(id)` makes a part's markup on a miss. A state's row on a commitment page is kept under
    that state's scope: a write in France re-renders France's row and leaves the other 194 in the
    cache, where the page (under the commitment's scope) is rendered again whole.

    Only when the page itself could be cached (an anonymous GET of a public page, no write of
    this thread pending on the page's scopes, the cache on): `request.gcm_page` is set then.
    Three round trips to the cache whatever the number of parts: their scopes' versions, the
    parts, and the misses, written back together (`Parts`, which also serves a view that looks its
    sections up before it reads their data).
    """
    return dict(zip(parts, Parts(request, parts).render_all(list(parts), render), strict=True))


def reference(request, key: str, read):
    """Reference data the page being answered shows (a commitment with its source document and
    indicators, a state), kept in the shared cache under the reference version, which every write
    of reference data (and of events and documents) touches: `read()` on a miss, or wherever the
    page itself could not be cached (staff, the cache off, a write of this thread pending)."""
    if not may_keep(request):
        return read()
    version = scopes.versions([scopes.REFERENCE])[scopes.REFERENCE]  # read once with the page's
    full = f"gcm:reference:{key}:{version}"
    found = cache.get(full)
    if found is None:
        found = read()
        cache.set(full, found, settings.CACHE_SECONDS)
    return found


def _fragment_key(part, part_scopes, vary, current, language, day) -> str:
    versions = "\n".join(f"{scope}={current[scope]}" for scope in (scopes.REFERENCE, *part_scopes))
    varying = "\n".join([str(part), language, day, *map(str, vary), versions])
    return f"gcm:fragment:{hashlib.sha256(varying.encode()).hexdigest()}"


def may_keep(request, *, keep: bool = True) -> bool:
    """Whether parts of the page being answered may come from the cache, and go to it: the page
    itself could be cached (`request.gcm_page` is set) and `keep` (false on pages "as of" a date)."""
    return keep and getattr(request, "gcm_page", None) is not None


class Parts:
    """Sections of the page being answered kept in the shared cache under their own scopes (a
    state page's evidence under `state:FR#evidence`), looked up before the view reads their data,
    so that a section still in the cache costs none of its queries (`{% cached_part %}` renders it).

    `parts` maps a name to (scopes, vary) as `fragments` takes them. Kept only when the page itself
    could be cached and `keep` is true (`may_keep`, which `keeps` tells); otherwise every part is
    rendered. One read of the cache for all the parts, one write a miss.
    """

    def __init__(self, request, parts: dict, *, keep: bool = True):
        self.keys, self.found = {}, {}
        self.keeps = may_keep(request, keep=keep)
        if not self.keeps:
            return
        pending = scopes.pending()
        shown = {scope for part_scopes, _vary in parts.values() for scope in part_scopes}
        current = scopes.versions({scopes.REFERENCE, *shown})
        day, language = timezone.localdate().isoformat(), translation.get_language() or ""
        for part, (part_scopes, vary) in parts.items():
            if not pending.intersection(part_scopes):  # this thread's own write is not committed yet
                self.keys[part] = _fragment_key(part, part_scopes, vary, current, language, day)
        found = REMEMBERED.get_many(cache, list(self.keys.values())) if self.keys else {}
        self.found = {part: found[key] for part, key in self.keys.items() if key in found}

    def __contains__(self, part) -> bool:
        """Whether the part is in the cache (its data need not be read)."""
        return part in self.found

    def forget(self, part) -> None:
        """Keep this part's markup nowhere (what it shows depends on more than its scopes)."""
        self.keys.pop(part, None)

    def render_all(self, parts, render) -> list[str]:
        """The markup of these parts, in order: from the cache, or `render(part)`, the misses kept
        in one write."""
        result, missed = [], {}
        for part in parts:
            if part in self.found:
                result.append(self.found[part])
                continue
            result.append(render(part))
            if part in self.keys:
                missed[self.keys[part]] = result[-1]
        if missed:
            REMEMBERED.set_many(cache, missed)
        return result

    def render(self, part, render):
        """The part's markup (or any value the cache can hold): from the cache, or `render()` (kept
        when it may be)."""
        if part in self.found:
            return self.found[part]
        markup = render()
        if part in self.keys:
            REMEMBERED.set_many(cache, {self.keys[part]: markup})
        return markup


class RowsByKey:
    """A page's implementation rows known first by their keys, (primary key, state ISO code,
    version), and read only where the cache misses their markup (`recommendations.templatetags.tables`).

    A row's markup is kept under its state's `rows` facet and its version: a status write (which
    touches the `statuses` facet, not `rows`) bumps the version of the rows it changes, and every
    other write in the state (evidence, a position, a lead agency...) touches the whole scope. A
    write in one state re-reads one row of a commitment page's 50, and one of a state page's ten
    commitments. `load(pks)` reads those rows; iterating reads them all, in the keys' order."""

    def __init__(self, keys, load):
        self.keys, self._load = list(keys), load

    def load(self, pks) -> dict:
        return {row.pk: row for row in self._load(list(pks))} if pks else {}

    def __iter__(self):
        found = self.load([pk for pk, *_rest in self.keys])
        return iter([found[pk] for pk, *_rest in self.keys if pk in found])

    def render(self, request, vary: list, render_one, *, keep: bool = True) -> list:
        """Each row's rendering, `render_one(row)` (markup, or any value the cache can hold), kept
        under its state's `rows` facet, its version and `vary`: only the rows the cache misses are
        read (`load`) and rendered, in the keys' order."""
        parts = Parts(
            request,
            {pk: ([scopes.facet(scopes.state(iso2), "rows")], [*vary, version]) for pk, iso2, version in self.keys},
            keep=keep,
        )
        loaded = self.load([pk for pk, *_rest in self.keys if pk not in parts])
        shown = [pk for pk, *_rest in self.keys if pk in parts or pk in loaded]
        return parts.render_all(shown, lambda pk: render_one(loaded[pk]))

    def __len__(self):
        return len(self.keys)
