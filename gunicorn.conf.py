"""gunicorn settings, read from the environment: `gunicorn gcmtracker.wsgi -c gunicorn.conf.py`.

GUNICORN_BIND              address to listen on (default 0.0.0.0:$PORT, PORT defaults to 8000)
GUNICORN_WORKERS           worker processes (default 2 x CPUs + 1); each holds its own database
                           connections (CONN_MAX_AGE)
GUNICORN_THREADS           threads per worker (default 1; more uses the gthread worker)
GUNICORN_TIMEOUT           seconds before a silent worker is killed and restarted (default 30);
                           imports run as background tasks, so no request needs longer
GUNICORN_GRACEFUL_TIMEOUT  seconds a worker gets to finish its requests on restart (default 30)
GUNICORN_KEEPALIVE         seconds an idle keep-alive connection is held (default 5)
GUNICORN_MAX_REQUESTS      restart a worker after this many requests (default 20000, 0: never),
                           with jitter so they do not all restart at once
FORWARDED_ALLOW_IPS        proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"gunicorn.conf.py: {name}={value!r} is not a whole number.") from None


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_int('PORT', 8000)}"
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A restart is not free even with the master warmed (a fresh process's connections and first
# requests): at 2,000, five workers serving 600 requests a second restarted every few seconds,
# and the mixed benchmark's p99 with one write a second was 726 ms against 127 ms without
# restarts (issue 18). At 20,000 a worker restarts every few minutes under that load.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The application logs every request's errors with its request id (gcmtracker/logs.py); the
# access log goes to stdout for the collector, the server's own messages to stderr.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
# Load the application before forking: a broken setting stops the master at once, with its message.
preload_app = True
# Heartbeat files in memory, not on a disk that may be slow or read-only in a container.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def pre_fork(server, worker):
    """Before each worker is forked from the preloaded master: move everything loaded so far (Django,
    the app, its URL patterns and settings: hundreds of thousands of objects that live as long as the
    process) out of the garbage collector's reach (`gc.freeze`). Otherwise every full collection in a
    worker walks them all again: about a sixth of an uncached state or commitment page's CPU time
    (issue 18: 2; measured with bench/pages.py, which does the same). It also keeps the shared pages
    of memory from being copied into each worker when the collector touches them.

    Before the first fork, it also warms the master (`gcmtracker.warmup`: templates compiled, every
    language's translations and URL maps loaded), so that no worker, nor one restarted after
    max_requests, pays for it on its first requests."""
    import gc

    global _warmed
    if not _warmed:
        from gcmtracker.warmup import warm_up

        server.log.info("warmed up before forking: %s", warm_up())
        _warmed = True
    gc.freeze()


_warmed = False
