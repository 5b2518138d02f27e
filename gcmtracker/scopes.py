"""Scoped versions of the public data: what a cached page shows, and what a write retires.

A *scope* names one public fact a page can show: one state (`state:FR`), one commitment
(`commitment:3`), one recommendation (`recommendation:CODE`), one event (`event:12`), the
aggregates (`aggregates`: the dashboard, every list, search, the API lists, the site-wide feed,
anything not narrower) and the reference data (`reference`: states' names, commitment texts,
themes, cycles, indicators, events and documents, which nearly every page shows). Each scope has
a version in the shared cache (`scope:v:<scope>`); a cached page's key folds in the versions of
the scopes it shows (`gcmtracker/cache.py`), always with `reference`.

A write declares what it changed with `touch(*scopes)`, from inside the service that makes it
(`recommendations/services/scopes.py` derives them; a bulk import, a `QuerySet.update` or raw SQL
declares them the same way). The new versions are written when the transaction commits, so a
write that rolls back retires nothing; until then the scopes are *pending* in this thread, and
the cache neither serves nor stores a page of a pending scope here (this request, or a test that
never commits, sees its own write; other connections could not see it yet anyway). A write that
changes nothing public (a staff comment, an internal note, an owner, unpublished evidence)
touches nothing public.

A state's and a commitment's page also keep some of their parts in the cache under *facets* of
their scope (`state:FR#evidence`: the state's published evidence), so that a write which cannot
change a part leaves it there while the page itself is rendered again. Touching a scope touches
all its facets; touching a facet touches it and its scope (the page). A status write touches the
`statuses` facet (nothing keeps a part under it: the statuses show nearly everywhere on the page)
and, on a recommendation, the `recommendations` facet: the evidence, indicators and, for a
commitment, the recommendation rows stay cached (`gcmtracker.cache.Parts`), and so does an empty
list of stakeholder reports (`voices`; a list with reports gives each item's current status, so
it is rendered every time), and the entries of the state's history (`history`: an entry never
changes once written, but for the public evidence it links, whose publication touches the scope),
and the implementation rows of the tables under `rows` and their version (`cache.RowsByKey`).

A version is "<unix time>-<random>": random so a version lost to eviction or a Redis restart
never comes back as an old one whose pages are still cached; the time gives Last-Modified.
"""

import threading
import time
import uuid
from contextlib import contextmanager
from functools import partial

from django.core.cache import cache
from django.db import connections, transaction

AGGREGATES = "aggregates"
REFERENCE = "reference"
VERSION_KEY = "scope:v:{}"

_local = threading.local()


def state(iso2: str) -> str:
    return f"state:{iso2.upper()}"


def commitment(number) -> str:
    return f"commitment:{int(number)}"


def recommendation(code: str) -> str:
    return f"recommendation:{code}"


def event(pk) -> str:
    return f"event:{pk}"


# The parts of a state's or a commitment's page kept under their own facet, and the `statuses`
# facet, which a status write touches (the page, and none of those parts). `timeline`: the counts
# of its progress over time at the past periods' dates, which only a backdated status write changes.
FACETS = ("evidence", "recommendations", "indicators", "voices", "history", "rows", "statuses", "timeline")
FACETED = ("state:", "commitment:")


def facet(scope: str, name: str) -> str:
    """One facet of a state's or a commitment's scope (`state:FR#evidence`)."""
    assert name in FACETS and scope.startswith(FACETED), (scope, name)
    return f"{scope}#{name}"


def expand(scopes) -> frozenset[str]:
    """The scopes with what they imply: a faceted scope its facets, a facet its scope."""
    found = set()
    for scope in scopes:
        found.add(scope)
        base, sep, _name = scope.partition("#")
        if sep:
            found.add(base)
        elif scope.startswith(FACETED):
            found.update(f"{scope}#{name}" for name in FACETS)
    return frozenset(found)


def pending() -> set[str]:
    """Scopes touched by this thread's uncommitted writes."""
    found = getattr(_local, "pending", None)
    if found is None:
        found = _local.pending = set()
    return found


def forget_pending() -> None:
    """Drop the pending scopes: when no transaction is open, their writes rolled back (the cache
    middleware calls it at the start of each request), and between tests."""
    pending().clear()


def no_transaction_open() -> bool:
    return not any(connection.in_atomic_block for connection in connections.all(initialized_only=True))


def _new_version() -> str:
    return f"{time.time():.6f}-{uuid.uuid4().hex[:12]}"


def bump(scopes) -> None:
    """Give the scopes new versions now (what `touch` does when the write commits)."""
    scopes = expand(scopes)  # once: the scope a facet implies does not imply its other facets
    if scopes:
        cache.set_many({VERSION_KEY.format(scope): _new_version() for scope in scopes}, timeout=None)
    pending().difference_update(scopes)
    read = getattr(_local, "read", None)
    for scope in scopes if read else ():
        read.pop(scope, None)


def touch(*scopes: str, using: str | None = None) -> None:
    """Declare that the running write changed these scopes: their cached pages are retired when
    the transaction commits (at once outside a transaction), and nothing if it rolls back."""
    scopes = frozenset(scope for scope in scopes if scope)
    if not scopes:
        return
    pending().update(expand(scopes))
    transaction.on_commit(partial(bump, scopes), using=using)  # bump expands them once


@contextmanager
def read_once():
    """Within the block (a request: `PublicPageCacheMiddleware`), each scope's version is read from
    the cache once: the page, its parts and its rows share the reads. A version that changes
    meanwhile (another process's write) only keeps what this request renders under the version
    before, which that write has already retired; this thread's own writes forget what they bump."""
    _local.read = {}
    try:
        yield
    finally:
        _local.read = None


def versions(scopes) -> dict[str, str]:
    """The current version of each scope, creating the ones the cache does not hold (one round
    trip when all are there, as they are once the site is warm; none for those this request has
    read already, `read_once`)."""
    read = getattr(_local, "read", None)
    known = {scope: read[scope] for scope in scopes if scope in read} if read else {}
    keys = {scope: VERSION_KEY.format(scope) for scope in scopes if scope not in known}
    if not keys:
        return known
    found = cache.get_many(keys.values())
    missing = [key for key in keys.values() if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _new_version(), timeout=None)
        found.update(cache.get_many(missing))
    current = {scope: found.get(key, "") for scope, key in keys.items()}
    if read is not None:
        read.update(current)
    return {**known, **current}


def changed_at(version: str) -> float:
    """The time a version was made (0 for a value this module did not write)."""
    try:
        return float(version.partition("-")[0])
    except ValueError:
        return 0.0


def bump_everything() -> None:
    """Retire every cached public page at once (the reference scope is in every page's key)."""
    bump({REFERENCE, AGGREGATES})
