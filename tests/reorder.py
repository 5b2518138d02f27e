"""Run the tests in another order, to show none depends on the ones before it:

    .venv/bin/python -m pytest -p tests.reorder --order=reverse …
    .venv/bin/python -m pytest -p tests.reorder --order=random --order-seed=7 …

pytest-django runs plain database tests before transactional ones; this plugin reorders after it,
so a transactional test can run first and plain tests after it (tests/conftest.py reloads the
seeded data after each transactional test, whatever comes next). Not loaded by default.
"""

import random

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("reorder")
    group.addoption("--order", choices=["reverse", "random"], default=None, help="run the tests in this order")
    group.addoption("--order-seed", type=int, default=None, help="the seed of --order=random")


_SEED = pytest.StashKey()


def pytest_configure(config):
    if config.getoption("order") == "random":
        seed = config.getoption("order_seed")
        config.stash[_SEED] = random.randrange(10**6) if seed is None else seed


def pytest_report_header(config):
    if config.getoption("order"):
        seed = config.stash.get(_SEED, None)
        return f"test order: {config.getoption('order')}" + (f", --order-seed={seed}" if seed is not None else "")
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if config.getoption("order") == "reverse":
        items.reverse()
    elif config.getoption("order") == "random":
        random.Random(config.stash[_SEED]).shuffle(items)
