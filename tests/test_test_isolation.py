"""Every test starts on the seeded database, whichever tests ran before it (tests/conftest.py).

A transactional test commits for real and pytest-django empties every table after it; the
conftest loads the sources again at once. Here a transactional test changes and removes seeded
rows, and the tests after it, transactional or not, still find the sources whole. Run in another
order with `-p tests.reorder --order=reverse` (or `--order=random`) the same holds.
"""

import pytest
from django.contrib.auth.models import Group

from recommendations.models import Commitment, Implementation, State
from tests.factories import UserFactory

SEEDED = {"states": 195, "commitments": 10, "implementations": 1950}


def seeded_counts():
    return {
        "states": State.objects.count(),
        "commitments": Commitment.objects.count(),
        "implementations": Implementation.objects.count(),
    }


def assert_the_sources_are_whole():
    assert seeded_counts() == SEEDED
    assert State.objects.filter(iso2="FR", name="France").exists()
    assert not State.objects.filter(name="Changed by a transactional test").exists()
    assert not UserFactory._meta.model.objects.filter(username__startswith="zq-isolation").exists()
    # The same ids as after `migrate` and `seed` (a test's own flush and reload depends on them).
    groups = list(Group.objects.order_by("pk").values_list("pk", flat=True))
    assert groups == list(range(1, len(groups) + 1))
    assert State.objects.order_by("pk").values_list("pk", flat=True).first() == 1


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_changes_the_sources_commits_for_real():
    assert_the_sources_are_whole()
    UserFactory(username="zq-isolation-1")
    State.objects.filter(iso2="FR").update(name="Changed by a transactional test")
    Implementation.objects.filter(state__iso2="KE").delete()


def test_a_live_server_test_after_it_starts_on_the_whole_sources(live_server):
    assert_the_sources_are_whole()
    UserFactory(username="zq-isolation-2")


@pytest.mark.django_db
def test_a_plain_test_finds_the_whole_sources():
    assert_the_sources_are_whole()


def test_a_test_with_no_database_needs_none():
    assert SEEDED["implementations"] == SEEDED["states"] * SEEDED["commitments"]
