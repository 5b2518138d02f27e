"""Send public reads to a PostgreSQL read replica and everything else to the primary.

Active when REPLICA_DATABASE_URL is set (settings then define DATABASES["replica"]); without
it every query goes to "default" and this router changes nothing.

Which reads may use the replica: only those of an anonymous GET/HEAD request (the public
pages, downloads and API reads), decided by `ReplicaRoutingMiddleware`. Everything else reads
from the primary: staff (logged in or with an API token), every POST/PUT/PATCH/DELETE, anything
run outside a request (management commands, imports, shell), any read inside a transaction,
and every read after the request has written once.

The trade-off: a replica lags the primary by the replication delay (usually milliseconds,
longer under heavy write load). A member of the public may see a change a moment later than
staff do; staff never see their own write missing, since their requests never use the
replica. Cached pages are unaffected by the choice: the cache is invalidated on commit on the
primary, and a page rebuilt from a lagging replica within that delay is retired by the next
write or after CACHE_SECONDS. If that is not acceptable, do not set REPLICA_DATABASE_URL.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"

# True while an anonymous read-only request is served and it has not written.
_replica_allowed: ContextVar[bool] = ContextVar("gcm_replica_allowed", default=False)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in settings.DATABASES


def in_transaction() -> bool:
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def allow_replica():
    """Let the reads that follow use the replica; returns a token for `reset_replica`."""
    return _replica_allowed.set(True)


def reset_replica(token) -> None:
    _replica_allowed.reset(token)


class PrimaryReplicaRouter:
    """Reads to the replica when allowed (see the module docstring), writes always to the primary."""

    def db_for_read(self, model, **hints):
        if _replica_allowed.get() and replica_configured() and not in_transaction():
            return REPLICA_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Read your own writes: once a request writes, its later reads go to the primary too.
        _replica_allowed.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: an object read from the replica may point at one from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary through replication, never through migrations.
        return db == DEFAULT_DB_ALIAS


class ReplicaRoutingMiddleware:
    """Allow the replica for the reads of anonymous GET/HEAD requests, and only for those."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public_read = (
            request.method in SAFE_METHODS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )
        if not public_read:
            return self.get_response(request)
        token = allow_replica()
        try:
            return self.get_response(request)
        finally:
            reset_replica(token)
