"""Logging: who did what, through which door, in which request.

Every log record carries three fields, whoever logs it (our code, Django, a library):

- `request_id`: one id per request (taken from the proxy's `X-Request-ID` when it sends a sane
  one, else made here) and returned in the response's `X-Request-ID` header, so a user's report
  of an error leads to its lines; tasks carry the id of the request that queued them.
- `user_id`: the authenticated user's id, or "-".
- `door`: page, api, admin, import, command or task.

They live in a context variable (one value per thread and per asyncio task) that the middleware
sets for a request, `log_context()` for a task or a command, and `ContextFilter` copies onto each
record. Production writes one JSON object per line (`JsonFormatter`, for a log collector);
development writes readable lines. Which one: LOG_FORMAT=json|text (settings.py).

Why not python-json-logger or structlog: the formatter is twenty lines of the standard library,
and the context is the part that needed writing either way.
"""

import contextlib
import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from django.core.signals import request_finished

_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar("gcm_log_context", default=None)

# What the proxy may hand us as a request id: short and plain, so it cannot forge log lines.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# LogRecord attributes that are not `extra=` fields.
_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "user_id", "door"}


def default_door() -> str:
    """Outside any request or task: a management command (or a shell)."""
    return "command"


def current() -> dict:
    """The context of the code running now: request_id, user_id, door."""
    context = _context.get()
    if context is None:
        return {"request_id": "-", "user_id": "-", "door": default_door()}
    request = context.get("request")
    user = request.__dict__.get("user") if request is not None else None
    user_id = context.get("user_id", "-")
    if user is not None:
        user_id = _user_id(user)
    return {"request_id": context.get("request_id", "-"), "user_id": user_id, "door": context.get("door", "-")}


def _user_id(user) -> str:
    # request.user is lazy; a log line must never be the thing that loads it (a query from inside
    # logging, perhaps from inside the database layer). DRF replaces it with the real user once
    # token or session authentication ran.
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or type(wrapped).__name__ == "object":
        return "-"
    if getattr(wrapped, "is_authenticated", False):
        return str(wrapped.pk)
    return "-"


@contextlib.contextmanager
def log_context(**values):
    """Set door, user_id or request_id for the code inside (a task, a command, an import)."""
    merged = {**(_context.get() or {}), **values}
    token = _context.set(merged)
    try:
        yield merged
    finally:
        _context.reset(token)


def door_of(path: str) -> str:
    from django.conf import settings

    language_codes = {code for code, _name in settings.LANGUAGES}
    first, _sep, rest = path.lstrip("/").partition("/")
    if first in language_codes:
        path = "/" + rest
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/") and "/import" in path:
        return "import"
    if path.startswith("/admin/"):
        return "admin"
    return "page"


class RequestContextMiddleware:
    """First in MIDDLEWARE: every line logged while answering carries this request's context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if _SANE_REQUEST_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        # Left set until the response is closed (request_finished), not reset on the way out:
        # Django logs a 4xx/5xx answer ("django.request") after the middleware returned.
        _context.set({"request_id": request_id, "door": door_of(request.path_info), "request": request})
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def _request_finished(**kwargs):
    _context.set(None)


request_finished.connect(_request_finished, dispatch_uid="gcm-log-context-finished")


class ContextFilter(logging.Filter):
    """Copies request_id, user_id and door onto every record (handlers' filter, so all loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in current().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the context, any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", "-"),
            "door": getattr(record, "door", "-"),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines for development, with the context and any `extra=` fields at the end."""

    def __init__(self):
        super().__init__(
            "%(asctime)s %(levelname)-7s %(name)s: %(message)s  [%(door)s req=%(request_id)s user=%(user_id)s]"
        )

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS and not k.startswith("_")}
        if extras:
            line += " " + " ".join(f"{key}={value}" for key, value in extras.items())
        return line


def logging_config(*, level: str, fmt: str, admins: bool) -> dict:
    """The LOGGING setting: everything to stderr through the context filter; errors also mailed to
    ADMINS in production (Django's AdminEmailHandler, which never raises)."""
    handlers = {
        "console": {
            "class": "logging.StreamHandler",
            "stream": sys.stderr,
            "filters": ["context"],
            "formatter": fmt,
        }
    }
    root_handlers = ["console"]
    if admins:
        handlers["mail_admins"] = {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["context", "require_debug_false"],
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "gcmtracker.logs.ContextFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "json": {"()": "gcmtracker.logs.JsonFormatter"},
            "text": {"()": "gcmtracker.logs.TextFormatter"},
        },
        "handlers": handlers,
        "root": {"handlers": root_handlers, "level": level},
        "loggers": {
            # Django's DEFAULT_LOGGING, applied first, hangs its own console and mail_admins handlers
            # on these loggers, and dictConfig keeps a logger's handlers unless it is named here:
            # without these lines each server error was mailed twice and development printed
            # Django's lines twice (once unformatted).
            "django": {"handlers": [], "level": level, "propagate": True},
            # Django's own request errors go to the console (root) and, in production, to ADMINS.
            "django.request": {"handlers": ["mail_admins"] if admins else [], "level": "ERROR", "propagate": True},
            # One line per request at INFO from runserver is noise beside ours; warnings stay.
            "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }
