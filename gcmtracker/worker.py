"""The task worker's heartbeat, which /readyz reads.

`manage.py run_worker` (django-tasks-db's db_worker plus this) writes the time into the shared
cache every HEARTBEAT_SECONDS from a thread of its own, so a worker busy with a long import
still reports. Readiness fails when no worker reported for WORKER_HEARTBEAT_MAX_AGE seconds:
queued imports and emails would wait for ever.
"""

import logging
import threading
import time

from django.core.cache import cache
from django.db import connections

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "gcm:worker-heartbeat"
HEARTBEAT_SECONDS = 10


def beat(worker_id: str) -> None:
    cache.set(HEARTBEAT_KEY, {"at": time.time(), "worker": worker_id}, timeout=24 * 3600)


def last_beat() -> dict | None:
    """{"at": unix time, "worker": id} of the latest heartbeat of any worker, or None."""
    return cache.get(HEARTBEAT_KEY)


def start_heartbeat(worker_id: str, interval: float = HEARTBEAT_SECONDS) -> threading.Event:
    """Beat now and then every `interval` seconds until the returned event is set."""
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                beat(worker_id)
            except Exception:
                logger.exception("worker heartbeat not written", extra={"worker": worker_id})
            finally:
                # The thread's own connection (database cache): never left open between beats.
                connections.close_all()
            stop.wait(interval)

    threading.Thread(target=loop, name="gcm-heartbeat", daemon=True).start()
    return stop
