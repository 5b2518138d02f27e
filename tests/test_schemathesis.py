"""Property-based checks of the API against its own OpenAPI schema (schemathesis).

Every operation, the writes included, is called with generated path values, filters, orderings,
pages and bodies, in-process through the WSGI application and authenticated with a focal point's
token, so the requests see the test database with the seeded source data. Every check schemathesis
has runs, none left out: no server error, status codes, content types and headers as documented,
responses within the schema, schema-violating requests refused and schema-valid ones accepted,
credentials enforced on the writes, undeclared methods answered 405. A draw meant to be valid is
made valid for this database too (`obey_the_rules_no_schema_can_state`: its own implementation and
evidence, no future date, a public host); nothing else is adjusted. Derandomized, with at most ten
examples per operation, the run takes about half a minute. A second, smaller pass sends generated
requests over real HTTP to a live test server. Both run in CI on SQLite and on PostgreSQL.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, assume, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.config._auth import AuthConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import EvidenceFactory, ImplementationFactory

pytestmark = pytest.mark.django_db


# Loaded at collection: generating the schema reads no database. (schemathesis' lazy
# `from_fixture` loader does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
# A well-formed write can still be refused for the state it finds, as each write documents: 412
# when the version it names is not the current one, 428 when it names none (If-Match and `version`
# are each optional in the schema; one of them is required). Schemathesis counts those as "valid
# data refused" unless told. 400 stays out of the list: a body or filter refused although its
# schema allows it fails the test.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "401", "403", "404", "409", "412", "428", "429"]
)
# The token the focal point's requests carry, fixed so the examples are the same on every run, and
# given as the schema's own token scheme: schemathesis then knows it for valid credentials, and
# checks that each write refuses the same request without it and with a wrong one.
TOKEN = "5c4e8d0f0b7a4a1e9c3b2d6f8e0a1b2c3d4e5f60"
schema.config.auth = AuthConfig(openapi={"tokenAuth": {"api_key": f"Token {TOKEN}"}})


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


@pytest.fixture
def focal_point_token(focal_point_france):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=focal_point_france, key=TOKEN).key


@pytest.fixture
def own_implementation(focal_point_token, france):
    """The focal point's own implementation, with evidence of its own, which generated writes
    address when their path is meant to be valid (a drawn id would almost always name nothing)."""
    from recommendations.models import Implementation

    implementation = Implementation.objects.filter(state=france).order_by("pk").first()
    EvidenceFactory(implementation=implementation)
    return implementation


def _is_positive(case, location) -> bool:
    component = case.meta.components.get(location) if case.meta else None
    return bool(component and component.mode.is_positive)


def obey_the_rules_no_schema_can_state(case, implementation):
    """Make a request meant to be valid valid for this database too: it addresses the focal point's
    own implementation, names evidence of that implementation, dates nothing in the future, gives
    evidence and a rationale for a move to (partially) implemented, and links to a public host.
    Everything else in it is as schemathesis generated it."""
    import datetime

    from django.core.exceptions import ValidationError

    from gcmtracker.validators import PublicURLValidator

    if case.method.upper() == "GET" or "{id}" not in case.path:
        return
    if _is_positive(case, ParameterLocation.PATH):
        case.path_parameters = {**case.path_parameters, "id": str(implementation.pk)}
    body = case.body
    if not isinstance(body, dict) or not _is_positive(case, ParameterLocation.BODY):
        return
    own = list(implementation.evidence.values_list("pk", flat=True))
    if "evidence" in body or body.get("status") in ("partially_implemented", "implemented"):
        body["evidence"] = own
    if body.get("status") in ("partially_implemented", "implemented") and not str(body.get("rationale", "")).strip():
        body["rationale"] = "The law is in force."
    if body.get("owner") is not None:
        body["owner"] = None  # a staff member whose scope includes the state; none is one too
    today = datetime.date.today().isoformat()
    if isinstance(body.get("effective_date"), str) and body["effective_date"] > today:
        body["effective_date"] = today
    if isinstance(body.get("url"), str) and body["url"]:
        try:
            PublicURLValidator()(body["url"])
        except ValidationError:
            body["url"] = "https://example.org/evidence"
    case.body = body


@schema.parametrize()
# Derandomized: the same examples on every run, so CI cannot turn red on a new draw.
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
def test_every_operation_passes_every_check_with_a_focal_points_token(
    case, keep_the_test_connection, evidence, own_implementation
):
    obey_the_rules_no_schema_can_state(case, own_implementation)
    # Schemathesis' in-process (WSGI) transport leaves an empty form field out of a multipart body
    # (its curl line shows it, the application never gets it), so a request made invalid by an empty
    # field arrives valid, and is rightly accepted: such a draw tests nothing.
    multipart = case.media_type == "multipart/form-data" and isinstance(case.body, dict)
    assume(not (multipart and not _is_positive(case, ParameterLocation.BODY) and "" in case.body.values()))
    case.call_and_validate()


@pytest.fixture
def editors_implementation(editor, france):
    from rest_framework.authtoken.models import Token

    from recommendations.models import Implementation

    Token.objects.create(user=editor, key=TOKEN)
    implementation = Implementation.objects.filter(state=france).order_by("pk").first()
    EvidenceFactory(implementation=implementation)
    return implementation


@schema.include(method=["POST", "PATCH"]).parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
def test_every_write_passes_every_check_with_an_editors_token(case, keep_the_test_connection, editors_implementation):
    """The same over the writes with an editor's token (the same key), so the secretariat's own
    write, the assignment, is made too, not only refused."""
    obey_the_rules_no_schema_can_state(case, editors_implementation)
    multipart = case.media_type == "multipart/form-data" and isinstance(case.body, dict)
    assume(not (multipart and not _is_positive(case, ParameterLocation.BODY) and "" in case.body.values()))
    case.call_and_validate()


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
