"""The architecture check of writes, active in every test: a write of tracked data (any table of
the `recommendations` and `events` apps) must come from the service layer.

A pytest plugin (tests/conftest.py lists it): for every test, each database connection gets an
execute wrapper that looks at every INSERT, UPDATE and DELETE. One on a tracked table is allowed
only

- inside a service call (`recommendations.services.context.service` marks it);
- inside `setup_writes()` (tests/arrange.py), the explicit mark of a test arranging its data: every factory of
  tests/factories.py writes inside it (`SetupFactory`), and a fixture or helper that writes
  directly says so with `with setup_writes():`;
- from a migration (a frame of a `migrations/` folder is on the stack);
- from a test's own statement: the code that called the ORM (the first frame that is neither
  Django's ORM, `django/db/`, nor the project's model layer) is a test module's own line,
  `tests/test_*.py` or `tests/conftest.py`, not any code it called.

Anything else fails the test: a view, an admin, a command, a new module nobody listed, a test
helper module that did not say `setup_writes()`, or Django's own machinery (a plain ModelAdmin,
`loaddata`) called from a test; even when the code swallowed the exception, the violation is kept
and reported at teardown. The check reads the SQL actually sent, so no import trick or new file
escapes it.
"""

import re
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.arrange import setting_up, setup_writes  # noqa: F401 (setup_writes is used from here too)

ROOT = Path(__file__).resolve().parent.parent
TRACKED_APPS = ("recommendations", "events")
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"\[]?(\w+)', re.IGNORECASE)
# The ORM: a frame here is not "who wrote", whoever called it is.
_ORM = ("/django/db/",)
_MODEL_LAYER = ("recommendations/models/", "events/models.py")
# A test's own statement: the test modules and the shared fixtures, not any helper module.
_TEST_MODULE = re.compile(r"^tests/(?:test_\w+|conftest)\.py$")
_GUARD = "tests/write_guard.py"


class DirectWrite(AssertionError):
    """A tracked table was written outside the service layer."""


def tracked_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(
        model._meta.db_table
        for label in TRACKED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


def _relative(filename: str) -> str | None:
    try:
        return Path(filename).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None


def writer() -> tuple[str, bool]:
    """Who issued the query being executed: the first frame, from the query outwards, that is
    neither the ORM nor the model layer (as a path relative to the root when it is the project's),
    and whether a migration is on the stack."""
    frame = sys._getframe(1)
    found = None
    while frame is not None:
        filename = frame.f_code.co_filename
        relative = _relative(filename)
        if relative is not None and "/migrations/" in f"/{relative}" and not relative.startswith(".venv/"):
            return relative, True
        skipped = (
            any(part in filename.replace("\\", "/") for part in _ORM)
            or (relative is not None and relative.startswith(_MODEL_LAYER))
            or relative == _GUARD
        )
        if found is None and not skipped:
            found = relative if relative is not None and not relative.startswith(".venv/") else filename
        frame = frame.f_back
    return found or "<unknown>", False


def is_allowed(sql: str, tables: frozenset[str]) -> tuple[bool, str | None]:
    from recommendations.services.context import in_service

    match = _WRITE.match(sql)
    if not match or match.group(1) not in tables or in_service() or setting_up():
        return True, None
    source, migrating = writer()
    return migrating or bool(_TEST_MODULE.match(source)), source


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
