"""What every service shares: the mark that a write is inside the service layer, the door it came
through and the request it belongs to.

`@service` is how a function becomes part of the service layer: it runs the function in one
transaction and marks the call, so the architecture check of the test run
(tests/write_guard.py) knows a write of tracked data came from a service and from nowhere else.

The door (page, api, admin, import, bulk, command, demo) and the request id are set once per
request by `WriteContextMiddleware`, or by the command or import that runs the services
(`with door(Door.IMPORT): ...`); a change record reads them with `current_door()` and
`current_request_id()`.
"""

import contextvars
import functools
import re
import uuid
from contextlib import contextmanager

from django.db import transaction

from ..choices import Door

_depth = contextvars.ContextVar("gcm_service_depth", default=0)
_door = contextvars.ContextVar("gcm_door", default=None)
_request_id = contextvars.ContextVar("gcm_request_id", default="")
_stored_files = contextvars.ContextVar("gcm_stored_files", default=None)


def service(func):
    """Make `func` a service: one transaction, and marked as the service layer while it runs.

    A file stored during the call (`discard_file_on_failure`) is deleted again when the call
    fails, its transaction rolled back: no file outlives the row that named it.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        outermost = _stored_files.get() is None
        files_token = _stored_files.set([]) if outermost else None
        depth_token = _depth.set(_depth.get() + 1)
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except BaseException:
            if outermost:
                for file in _stored_files.get():
                    file.storage.delete(file.name)
            raise
        finally:
            _depth.reset(depth_token)
            if files_token is not None:
                _stored_files.reset(files_token)

    wrapper.is_service = True
    return wrapper


def discard_file_on_failure(file) -> None:
    """Delete this stored file (a FieldFile) if the service call storing it fails."""
    stored = _stored_files.get()
    if stored is not None and file:
        stored.append(file)


def in_service() -> bool:
    """Whether the code running now was called by a service."""
    return _depth.get() > 0


@contextmanager
def door(name: str, *, request_id: str | None = None):
    """Writes made inside come through `name` (a `Door`); the innermost door wins."""
    door_token = _door.set(Door(name))
    id_token = _request_id.set(request_id) if request_id is not None else None
    try:
        yield
    finally:
        _door.reset(door_token)
        if id_token is not None:
            _request_id.reset(id_token)


def current_door() -> str:
    """The door of the write running now: a command when no request or command said otherwise."""
    return _door.get() or Door.COMMAND


def current_request_id() -> str:
    return _request_id.get()


_REQUEST_ID = re.compile(r"^[\w.:-]{1,64}$")


def _door_of(path: str) -> str:
    parts = path.lstrip("/").split("/")
    if parts and len(parts[0]) == 2 and len(parts) > 1:  # a language prefix: /fr/admin/...
        parts = parts[1:]
    first = parts[0] if parts else ""
    if first == "api":
        return Door.API
    if first == "admin":
        return Door.ADMIN
    return Door.PAGE


class WriteContextMiddleware:
    """Name the door of every write a request makes and give the request an id (the client's
    X-Request-ID when it is a sane token, else a fresh one), echoed in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        with door(_door_of(request.path_info), request_id=request_id):
            response = self.get_response(request)
        response.setdefault("X-Request-ID", request_id)
        return response
