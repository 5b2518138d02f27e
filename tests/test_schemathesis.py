"""Property-based checks of the API against its own OpenAPI schema (schemathesis).

Every public GET operation is called with generated path values, filters, orderings and pages,
in-process through the WSGI application, so the requests see the test database with the seeded
source data. Each response must not be a server error and must match the schema for its status.
Examples are bounded per operation so the whole run stays well under two minutes. A second,
smaller pass sends generated requests over real HTTP to a live test server.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import EvidenceFactory, ImplementationFactory

pytestmark = pytest.mark.django_db


# Loaded at collection: generating the schema reads no database. (schemathesis' lazy
# `from_fixture` loader does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def keep_the_test_connection():
    """The real WSGI handler closes the database connection after each request, which would end the
    test's transaction on PostgreSQL; Django's own test client unhooks it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def evidence(france):
    """Published and unpublished evidence, so evidence lists and nested ids are not empty."""
    implementation = ImplementationFactory(state=france)
    EvidenceFactory(implementation=implementation, verified=True, visibility="public")
    EvidenceFactory(implementation=implementation)


@schema.include(method="GET").parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_public_get_operations_answer_within_the_schema_and_never_with_a_server_error(
    case, keep_the_test_connection, evidence
):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])


def test_an_event_with_timed_sessions_is_answered_within_the_schema(keep_the_test_connection):
    """The first thematic session's programme gives start and end times ("10:00:00"): the schema
    must describe them as the API writes them (it said `format: time`, which wants an offset)."""
    from events.models import EventSession

    session = EventSession.objects.filter(start_time__isnull=False).select_related("event").first()
    operation = schema["/api/v1/events/{slug}/"]["GET"]
    case = operation.Case(path_parameters={"slug": session.event.slug})
    response = case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
    assert response.json()["sessions"][0]["start_time"]


def live_schema():
    """The same schema, with no application attached, so schemathesis calls it over HTTP."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    return schemathesis.openapi.from_dict(json.loads(document))


@pytest.mark.django_db(transaction=True)
def test_public_get_operations_hold_to_the_schema_on_a_live_server(live_server):
    """A smaller pass over real HTTP against a live test server: a few generated requests per
    public GET operation, none a server error, every response within the schema."""
    import warnings

    operations = [result.ok() for result in live_schema().get_all_operations()]
    failures, calls = [], 0
    for operation in (op for op in operations if op.method.upper() == "GET"):
        for _ in range(3):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # .example() outside @given is fine for a smoke pass
                case = operation.as_strategy().example()
            calls += 1
            try:
                case.call_and_validate(
                    base_url=live_server.url, checks=[not_a_server_error, response_schema_conformance]
                )
            except Exception as exc:  # schemathesis raises its own failure types; collect them all
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {str(exc)[:300]}")
    assert calls > 50
    assert failures == []
