"""gcmtracker.compiled: a queryset's SQL compiled once and run again with other values gives the
rows the ORM gives, per database, time zone and shape, and refuses a value that does not reach
the SQL as a parameter."""

import pytest
from django.db.models import F
from django.utils import timezone

from gcmtracker import compiled
from gcmtracker.compiled import CompiledQuery
from recommendations.models import Implementation
from tests.factories import CommitmentFactory, ImplementationFactory

pytestmark = pytest.mark.django_db


def _of_state(state_id, size):
    return Implementation.objects.filter(state_id=state_id).order_by("-pk").values_list("pk", "state_id")[:size]


def test_the_rows_are_the_orms_for_each_value_and_the_queryset_is_built_once(france, kenya):
    for commitment in CommitmentFactory.create_batch(3):
        ImplementationFactory(state=france, commitment=commitment)
        ImplementationFactory(state=kenya, commitment=commitment)
    built = []
    query = CompiledQuery(Implementation, lambda state_id, size: built.append(size) or _of_state(state_id, size))

    for state in (france, kenya, france):
        assert query.rows(state.pk, shape=(2,)) == list(_of_state(state.pk, 2))
    assert built == [2]  # once for the three runs
    assert query.rows(kenya.pk, shape=(5,)) == list(_of_state(kenya.pk, 5))
    assert built == [2, 5]  # a new shape, a new SQL


def test_a_value_folded_into_another_is_refused():
    query = CompiledQuery(Implementation, lambda state_id: Implementation.objects.filter(state_id=abs(state_id)))
    with pytest.raises(ValueError, match="does not reach the SQL"):
        query.rows(1)


def test_the_time_zone_is_part_of_what_is_kept(france):
    built = []

    def build(state_id):
        built.append(timezone.get_current_timezone_name())
        return Implementation.objects.filter(state_id=state_id).annotate(day=F("updated_at__date")).values_list("pk")

    query = CompiledQuery(Implementation, build)
    query.rows(france.pk)
    with timezone.override("Asia/Tokyo"):
        query.rows(france.pk)
    query.rows(france.pk)
    assert built == [timezone.get_current_timezone_name(), "Asia/Tokyo"]


def test_only_the_most_recent_shapes_are_kept(france, monkeypatch):
    monkeypatch.setattr(compiled, "KEPT", 3)
    query = CompiledQuery(Implementation, _of_state)
    for size in range(1, 8):
        query.rows(france.pk, shape=(size,))
    assert [shape for _alias, _zone, shape in query._compiled] == [(5,), (6,), (7,)]


def test_the_querysets_built_once_a_process_are_only_ever_cloned(client):
    """The shared querysets (`selectors._public_implementations_today`, `_states_with_counts`) are
    cloned for each use: rendering the pages that read them never fills their result cache, which
    would hold every implementation of the site in the process."""
    from recommendations import selectors

    for url in ("/states/", "/states/FR/", "/commitments/1/", "/commitments/1/?format=csv", "/api/v1/states/"):
        assert client.get(url).status_code == 200, url
    assert selectors._public_implementations_today()._result_cache is None
    assert selectors._states_with_counts()._result_cache is None
