"""The explicit mark of a test arranging its data by writing tracked rows directly (not through
the services): `with setup_writes(): ...`. The architecture check of writes (tests/write_guard.py)
allows what is written inside; every factory writes inside it (tests/factories.py `SetupFactory`).
A module of its own, so the factories can use it without importing the pytest plugin."""

import contextvars
from contextlib import contextmanager

_setting_up = contextvars.ContextVar("gcm_test_setup", default=0)


@contextmanager
def setup_writes():
    """Writes inside arrange a test's data directly, not through the services (factories, fixtures)."""
    token = _setting_up.set(_setting_up.get() + 1)
    try:
        yield
    finally:
        _setting_up.reset(token)


def setting_up() -> bool:
    return _setting_up.get() > 0
