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

A version is "<unix time>-<random>": random so a version lost to eviction or a Redis restart
never comes back as an old one whose pages are still cached; the time gives Last-Modified.
"""

import threading
import time
import uuid
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
    scopes = frozenset(scopes)
    if scopes:
        cache.set_many({VERSION_KEY.format(scope): _new_version() for scope in scopes}, timeout=None)
    pending().difference_update(scopes)


def touch(*scopes: str, using: str | None = None) -> None:
    """Declare that the running write changed these scopes: their cached pages are retired when
    the transaction commits (at once outside a transaction), and nothing if it rolls back."""
    scopes = frozenset(scope for scope in scopes if scope)
    if not scopes:
        return
    pending().update(scopes)
    transaction.on_commit(partial(bump, scopes), using=using)


def versions(scopes) -> dict[str, str]:
    """The current version of each scope, creating the ones the cache does not hold (one round
    trip when all are there, as they are once the site is warm)."""
    keys = {scope: VERSION_KEY.format(scope) for scope in scopes}
    found = cache.get_many(keys.values())
    missing = [key for key in keys.values() if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _new_version(), timeout=None)
        found.update(cache.get_many(missing))
    return {scope: found.get(key, "") for scope, key in keys.items()}


def changed_at(version: str) -> float:
    """The time a version was made (0 for a value this module did not write)."""
    try:
        return float(version.partition("-")[0])
    except ValueError:
        return 0.0


def bump_everything() -> None:
    """Retire every cached public page at once (the reference scope is in every page's key)."""
    bump({REFERENCE, AGGREGATES})
