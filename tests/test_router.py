"""The primary/replica router (gcmtracker/routers.py): public reads to the replica, the rest to the primary.

The "replica" alias here is a second connection to the test database, added for the test only
(as TEST MIRROR would), so which connection ran a query shows where the router sent it.
"""

import copy

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from gcmtracker import routers
from recommendations import services
from recommendations.choices import Status
from recommendations.models import Implementation, State

router = routers.PrimaryReplicaRouter()


@pytest.fixture
def replica(db):
    settings_dict = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    settings_dict["TEST"]["MIRROR"] = DEFAULT_DB_ALIAS
    connections.settings[routers.REPLICA_DB_ALIAS] = settings_dict
    # Connect before the test case's guard sees the new alias: it only lets known aliases connect.
    connections[routers.REPLICA_DB_ALIAS].connect()
    yield connections[routers.REPLICA_DB_ALIAS]
    connections[routers.REPLICA_DB_ALIAS].close()
    del connections[routers.REPLICA_DB_ALIAS]
    del connections.settings[routers.REPLICA_DB_ALIAS]


@pytest.fixture
def outside_the_test_transaction(monkeypatch):
    """Each test runs inside a transaction that is rolled back; a request in production does not."""
    monkeypatch.setattr(routers, "in_transaction", lambda: False)


@pytest.fixture
def public_request():
    token = routers.allow_replica()
    yield
    routers.reset_replica(token)


def queries_on(alias):
    return CaptureQueriesContext(connections[alias])


def test_without_a_replica_everything_uses_the_primary(db, public_request, outside_the_test_transaction):
    assert router.db_for_read(State) == DEFAULT_DB_ALIAS
    assert router.db_for_write(State) == DEFAULT_DB_ALIAS


def test_public_reads_go_to_the_replica(replica, public_request, outside_the_test_transaction):
    assert router.db_for_read(State) == routers.REPLICA_DB_ALIAS

    with queries_on(DEFAULT_DB_ALIAS) as on_primary, queries_on(routers.REPLICA_DB_ALIAS) as on_replica:
        count = State.objects.count()

    assert count == 195
    assert len(on_replica) == 1
    assert len(on_primary) == 0


def test_reads_outside_a_public_request_go_to_the_primary(replica, outside_the_test_transaction):
    assert router.db_for_read(State) == DEFAULT_DB_ALIAS
    with queries_on(routers.REPLICA_DB_ALIAS) as on_replica:
        State.objects.count()
    assert len(on_replica) == 0


def test_every_write_goes_to_the_primary(replica, public_request, outside_the_test_transaction):
    assert router.db_for_write(Implementation) == DEFAULT_DB_ALIAS


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(
    replica, public_request, outside_the_test_transaction, editor
):
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=1)

    with queries_on(routers.REPLICA_DB_ALIAS) as on_replica:
        services.implementation_set_status(
            implementation=implementation, status=Status.PLANNED, actor=editor, comment="Planned."
        )
        assert router.db_for_read(Implementation) == DEFAULT_DB_ALIAS
        assert Implementation.objects.get(pk=implementation.pk).status == Status.PLANNED

    assert len(on_replica) == 0


def test_reads_inside_a_transaction_go_to_the_primary(replica, public_request):
    # No monkeypatch: the test's own transaction is a transaction like any other.
    with transaction.atomic():
        assert router.db_for_read(State) == DEFAULT_DB_ALIAS


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "recommendations")
    assert not router.allow_migrate(routers.REPLICA_DB_ALIAS, "recommendations")


def test_the_middleware_allows_the_replica_for_anonymous_gets_only(rf, replica, outside_the_test_transaction):
    seen = []
    middleware = routers.ReplicaRoutingMiddleware(lambda request: seen.append(router.db_for_read(State)))

    middleware(rf.get("/"))
    middleware(rf.post("/"))
    logged_in = rf.get("/")
    logged_in.COOKIES["sessionid"] = "abc"
    middleware(logged_in)
    middleware(rf.get("/api/v1/states/", HTTP_AUTHORIZATION="Token abc"))

    assert seen == [routers.REPLICA_DB_ALIAS, DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]
    assert router.db_for_read(State) == DEFAULT_DB_ALIAS


def test_a_public_page_is_read_from_the_replica(client, replica, outside_the_test_transaction):
    with queries_on(DEFAULT_DB_ALIAS) as on_primary, queries_on(routers.REPLICA_DB_ALIAS) as on_replica:
        response = client.get("/states/FR/")

    assert response.status_code == 200
    assert len(on_replica) > 0
    assert len(on_primary) == 0
