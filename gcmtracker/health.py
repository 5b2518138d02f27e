"""/healthz (liveness) and /readyz (readiness).

/healthz is the smallest Django view, for load balancers and as the benchmark's baseline.

It touches neither the database nor the cache on purpose: a load balancer must keep sending
traffic to a server whose process is alive even while the database fails over, and the
benchmark needs the cost of Django's request cycle alone.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gcmtracker.worker import last_beat

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# /readyz: may this server take traffic? Each component is checked and named in the answer, so
# an operator sees which one failed (503) without reading logs. Our own view rather than
# django-health-check: the five checks are a few lines each, two of them (pending migrations,
# the django-tasks worker's heartbeat) it does not have, and the answer stays one small JSON.


def _check_database():
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")


def _check_cache():
    key = f"gcm:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=30)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was just stored")
    cache.delete(key)


def _check_storage():
    # Evidence files: write, read back and delete a small file where uploads go (disk or bucket).
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as stored:
            if stored.read() != b"ok":
                raise RuntimeError("storage did not return what was just stored")
    finally:
        default_storage.delete(name)


def _check_migrations():
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in pending[:5])
        raise RuntimeError(f"{len(pending)} migration(s) not applied: {names}")


def _check_worker():
    beat = last_beat()
    if beat is None:
        raise RuntimeError("no task worker has reported (manage.py run_worker)")
    age = time.time() - beat["at"]
    if age > settings.WORKER_HEARTBEAT_MAX_AGE:
        raise RuntimeError(f"the last task worker heartbeat is {age:.0f} s old")


READINESS_CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "storage": _check_storage,
    "migrations": _check_migrations,
    "worker": _check_worker,
}


@require_safe
@never_cache
def readyz(request):
    """200 when every component works, else 503; the body names each component's state."""
    checks = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("readiness check failed: %s", name, extra={"component": name, "error": str(error)})
            checks[name] = {"ok": False, "error": str(error)}
        else:
            checks[name] = {"ok": True}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)
