"""The architecture check of writes, active in every test: a write of tracked data (any table of
the `recommendations` app) must come from the service layer.

A pytest plugin (tests/conftest.py lists it): for every test, each database connection gets an
execute wrapper that looks at every INSERT, UPDATE and DELETE. One on a tracked table is allowed
only

- inside a service call (`recommendations.services.context.service` marks it), or
- when the code that wrote is a migration, or the test itself setting up its data: the innermost
  frame of the project that is not the model layer (`recommendations/models/`, whose save() and
  querysets are the ORM's) is under `tests/` or a `migrations/` folder.

Anything else (a view, an admin, a command, a new module nobody listed) fails the test, even if
the code swallowed the exception: the violation is kept and reported at teardown. The check
reads the SQL actually sent, so no import trick or new file escapes it.
"""

import re
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"\[]?(\w+)', re.IGNORECASE)
_MODEL_LAYER = ("recommendations/models/",)
_ALLOWED_WRITERS = ("tests/",)


class DirectWrite(AssertionError):
    """A tracked table was written outside the service layer."""


def tracked_tables() -> frozenset[str]:
    from django.apps import apps

    models = apps.get_app_config("recommendations").get_models(include_auto_created=True)
    return frozenset(model._meta.db_table for model in models)


def writer() -> str | None:
    """The project file (relative to the root) whose code issued the query being executed."""
    frame = sys._getframe(1)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        try:
            relative = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            relative = None
        if (
            relative is not None
            and not relative.startswith((".venv/", "tests/write_guard.py"))
            and not relative.startswith(_MODEL_LAYER)
        ):
            return relative
        frame = frame.f_back
    return None


def is_allowed(sql: str, tables: frozenset[str]) -> tuple[bool, str | None]:
    from recommendations.services.context import in_service

    match = _WRITE.match(sql)
    if not match or match.group(1) not in tables or in_service():
        return True, None
    source = writer()
    if source is None or source.startswith(_ALLOWED_WRITERS) or "/migrations/" in source:
        return True, source
    return False, source


class Guard:
    def __init__(self):
        self.tables = tracked_tables()
        self.violations: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        allowed, source = is_allowed(sql, self.tables)
        if not allowed:
            message = f"{source} wrote tracked data outside a service: {sql[:160]}"
            self.violations.append(message)
            raise DirectWrite(message)
        return execute(sql, params, many, context)


@pytest.fixture(autouse=True)
def _writes_go_through_services(request):
    """Install the guard on every connection for the test (see the module docstring)."""
    from django.db import connections

    guard = Guard()
    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(guard))
        yield guard
    if guard.violations:
        pytest.fail("Writes outside the service layer:\n" + "\n".join(guard.violations), pytrace=False)
