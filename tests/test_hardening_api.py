"""Issue 16, the API's inputs: list lengths, nesting, body size, NUL bytes and odd numbers never
cost more than a bounded amount of work, and never answer 500."""

import json
import time

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from recommendations.models import Implementation
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROGRESS = {"track": "reported", "status": "in_progress", "comment": "Bill tabled in parliament."}


def _client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _french_commitment_3():
    return Implementation.objects.get(state__iso2="FR", commitment__number=3)


def _status_url(implementation):
    return f"{API}/implementations/{implementation.pk}/status/"


def test_fifty_thousand_evidence_ids_with_a_stale_version_answer_fast_with_a_400(
    focal_point_france, django_assert_max_num_queries
):
    implementation = _french_commitment_3()
    own = EvidenceFactory(implementation=implementation)
    body = {**PROGRESS, "version": implementation.version + 7, "evidence": [own.pk] * 50_000}
    api = _client_for(focal_point_france)

    started = time.monotonic()
    with django_assert_max_num_queries(12):
        response = api.post(_status_url(implementation), body, format="json")
    elapsed = time.monotonic() - started

    assert response.status_code == 400, response.content[:300]
    assert "evidence" in response.json()
    assert "100" in str(response.json()["evidence"])
    assert elapsed < 3
    assert not implementation.updates.exists()


def test_evidence_ids_are_checked_in_one_query_whatever_their_number(focal_point_france, django_assert_num_queries):
    implementation = _french_commitment_3()
    api = _client_for(focal_point_france)
    few = [EvidenceFactory(implementation=implementation).pk for _ in range(2)]
    many = few + [EvidenceFactory(implementation=implementation).pk for _ in range(30)]
    stale = implementation.version + 5

    def queries(ids):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = api.post(
                _status_url(implementation), {**PROGRESS, "version": stale, "evidence": ids}, format="json"
            )
        assert response.status_code == 412, response.content[:300]
        return len(captured)

    assert queries(many) == queries(few)


def test_unknown_and_foreign_evidence_ids_are_named_in_a_400(focal_point_france, implementation_kenya):
    implementation = _french_commitment_3()
    foreign = EvidenceFactory(implementation=implementation_kenya)
    response = _client_for(focal_point_france).post(
        _status_url(implementation),
        {**PROGRESS, "version": implementation.version, "evidence": [foreign.pk, 987654321]},
        format="json",
    )
    assert response.status_code == 400
    message = str(response.json()["evidence"])
    assert str(foreign.pk) in message and "987654321" in message
    assert not implementation.updates.exists()


def test_repeated_evidence_ids_count_once(focal_point_france):
    implementation = _french_commitment_3()
    own = EvidenceFactory(implementation=implementation)
    response = _client_for(focal_point_france).post(
        _status_url(implementation),
        {**PROGRESS, "version": implementation.version, "evidence": [own.pk, own.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["evidence"] == [own.pk]


def test_a_two_thousand_deep_array_is_a_400_not_a_500(editor):
    implementation = _french_commitment_3()
    body = "[" * 2000 + "]" * 2000
    response = _client_for(editor).post(
        _status_url(implementation), body, content_type="application/json", HTTP_IF_MATCH=f'"{implementation.version}"'
    )
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


@pytest.mark.parametrize("door", ["status", "evidence"])
def test_a_deep_body_is_a_400_on_every_write_with_a_body(editor, door):
    """The evidence door named its own parsers, and so had DRF's JSON parser without the limits."""
    implementation = _french_commitment_3()
    body = "[" * 100_000 + "]" * 100_000
    response = _client_for(editor).post(
        f"{API}/implementations/{implementation.pk}/{door}/",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=f'"{implementation.version}"',
    )
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_a_moderately_nested_body_is_refused_by_the_depth_limit(editor):
    implementation = _french_commitment_3()
    nested = "x"
    for _ in range(40):
        nested = [nested]
    body = {**PROGRESS, "comment": nested}
    response = _client_for(editor).post(
        _status_url(implementation),
        json.dumps(body),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{implementation.version}"',
    )
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_a_body_over_the_size_limit_is_a_400(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    implementation = _french_commitment_3()
    body = json.dumps({**PROGRESS, "comment": "x" * 2000})
    response = _client_for(editor).post(
        _status_url(implementation),
        body,
        content_type="application/json",
        HTTP_IF_MATCH=f'"{implementation.version}"',
    )
    assert response.status_code == 400
    assert not implementation.updates.exists()


@pytest.mark.parametrize(
    "body",
    [
        '{"track": "reported", "status": "in_progress", "comment": "x", "version": ' + "9" * 5000 + "}",
        '{"track": "reported", "status": "in_progress", "comment": "x", "version": 1e999}',
        '{"track": "reported", "status": "in_progress", "comment": "x", "version": NaN}',
        '{"track": "reported", "status": "in_progress", "comment": "a\\u0000b", "version": 1}',
        '{"track": "reported\\u0000", "status": "in_progress", "comment": "x", "version": 1}',
        '{"track": "reported", "status": "in_progress", "comment": "x", "evidence": [1e999]}',
        '{"track": "reported", "status": "in_progress", "comment": "x", "evidence": {"a": 1}}',
        '{"track": "reported", "status": "in_progress", "comment": "x", "effective_date": "2020-13-45\\u0000"}',
        "\xff\xfe not utf-8",
        "[]",
        "null",
        '"just a string"',
    ],
)
def test_malformed_status_bodies_are_a_4xx_and_write_nothing(editor, body):
    implementation = _french_commitment_3()
    response = _client_for(editor).post(
        _status_url(implementation),
        body.encode("latin-1", "surrogateescape") if body.startswith("\xff") else body,
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500, response.content[:300]
    assert not implementation.updates.exists()


NUL_ADDRESSES = [
    "/states/%00/",
    "/fr/states/%00/",
    "/feeds/states/%00.atom",
    "/commitments/3/?evidence_of=%00",
    "/states/?q=%00",
    "/recommendations/?q=%00",
    "/api/v1/states/%00/",
    "/api/v1/implementations/?state=%00",
    "/events/%00/",
]


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_a_nul_byte_anywhere_in_the_address_is_a_400_or_404_never_a_500(client, address):
    response = client.get(address)
    assert response.status_code in (400, 404), response.status_code


def test_a_nul_byte_in_a_cycle_state_address_is_a_400_or_404(client):
    from recommendations.models import ReviewCycle

    cycle = ReviewCycle.objects.create(
        slug="cycle-nul",
        name="Cycle",
        kind=ReviewCycle._meta.get_field("kind").choices[0][0],
        opens_on="2020-01-01",
        closes_on="2020-12-31",
    )
    response = client.get(f"/cycles/{cycle.slug}/states/%00/")
    assert response.status_code in (400, 404)


def test_a_nul_byte_in_a_staff_form_is_a_400_and_writes_nothing(client, focal_point_france):
    implementation = _french_commitment_3()
    client.force_login(focal_point_france)
    response = client.post(
        f"/staff/implementations/{implementation.pk}/",
        {"version": implementation.version, "track": "reported", "status": "in_progress", "comment": "a\x00b"},
    )
    assert response.status_code == 400
    assert not implementation.updates.exists()


@pytest.mark.parametrize("authorization", [None, "Token 0000000000000000000000000000000000000000"])
def test_a_write_without_valid_credentials_is_a_401_naming_the_scheme(authorization):
    """Was a 403 with no WWW-Authenticate (DRF asked the session class, listed first, for the
    header): schemathesis's "API accepts invalid authentication" and undocumented-answer checks."""
    from recommendations.models import StatusUpdate

    implementation = _french_commitment_3()
    before = StatusUpdate.objects.count()
    client = APIClient()
    if authorization:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    response = client.post(_status_url(implementation), {**PROGRESS, "version": implementation.version}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert StatusUpdate.objects.count() == before


@pytest.mark.parametrize(
    "field, value", [("owner", "editor's id as text"), ("version", "1"), ("lead_agency", 0), ("version", 1.0)]
)
def test_the_writes_take_numbers_as_numbers_and_text_as_text(editor, field, value):
    """DRF read "1" as 1 and 0 as "0"; the schema says integer or string, and so does the API now
    (found by schemathesis' "schema-violating request accepted")."""
    implementation = _french_commitment_3()
    if value == "editor's id as text":
        value = str(editor.pk)  # an id that names a staff member: only its type is wrong
    body = {"version": implementation.version, "lead_agency": "Ministry X", field: value}
    response = _client_for(editor).patch(f"{API}/implementations/{implementation.pk}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Implementation.objects.get(pk=implementation.pk).version == implementation.version
