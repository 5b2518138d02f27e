"""The REST API: reads by readable identifiers, filters and privacy of unpublished evidence (the
writes are tests/test_api_writes.py)."""

import datetime
import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from recommendations.choices import Status, Track, Visibility
from recommendations.models import Implementation, Indicator, Measurement, ReviewCycle, StatusUpdate
from tests.factories import EvidenceFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def client():
    return APIClient()


def _client_for(user):
    """A client that authenticates like a script, with a token. (force_authenticate would look
    anonymous to the shared page cache, which decides from the request's headers.)"""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _published(implementation, **kwargs):
    return EvidenceFactory(
        implementation=implementation, verified=True, visibility=Visibility.PUBLIC, title="Published law", **kwargs
    )


def _unpublished(implementation):
    return EvidenceFactory(implementation=implementation, title="Secret interview notes with migrant names")


def _french_commitment_3():
    return Implementation.objects.get(state__iso2="FR", commitment__number=3)


# Reads by readable identifiers


def test_a_state_is_read_by_its_iso_code(client):
    response = client.get(f"{API}/states/FR/")
    assert response.status_code == 200
    assert response.json()["name"] == "France"
    assert response.json()["regional_group"] == "weog"


def test_a_commitment_is_read_by_its_number_with_its_actions(client):
    data = client.get(f"{API}/commitments/3/").json()
    assert data["number"] == 3
    assert len(data["actions"]) == 4
    assert data["document"] == "issue-brief-1"


def test_themes_recommendations_events_and_documents_are_read_by_slug_or_code(client):
    theme = client.get(f"{API}/themes/").json()["results"][0]
    assert client.get(f"{API}/themes/{theme['slug']}/").json()["name"] == theme["name"]

    recommendation = client.get(f"{API}/recommendations/").json()["results"][0]
    assert client.get(f"{API}/recommendations/{recommendation['code']}/").json()["text"] == recommendation["text"]

    event = client.get(f"{API}/events/gfmd-dialogue-gcm-2017/").json()
    assert event["sessions"] and event["participants"]
    assert "gfmd-dialogue-ws1-report" in event["documents"]

    document = client.get(f"{API}/documents/gfmd-dialogue-ws1-report/").json()
    assert document["event"] == "gfmd-dialogue-gcm-2017"


def test_review_cycles_indicators_and_measurements_are_readable(client, france):
    cycle = ReviewCycle.objects.create(
        slug="baseline-test",
        name="Baseline",
        kind="baseline",
        opens_on=datetime.date(2019, 1, 1),
        closes_on=datetime.date(2019, 12, 31),
    )
    indicator = Indicator.objects.create(
        commitment_id=_french_commitment_3().commitment_id,
        code="children-detained",
        name="Children detained",
        unit="persons",
        direction="lower",
    )
    Measurement.objects.create(
        indicator=indicator, state=france, date=datetime.date(2019, 6, 1), review_cycle=cycle, value=12
    )

    assert client.get(f"{API}/review-cycles/baseline-test/").json()["kind"] == "baseline"
    assert client.get(f"{API}/indicators/children-detained/").json() | {"commitment": 3, "measurement_count": 1} == (
        client.get(f"{API}/indicators/children-detained/").json()
    )
    measurements = client.get(f"{API}/measurements/", {"state": "FR", "indicator": "children-detained"}).json()
    assert measurements["count"] == 1
    assert measurements["results"][0]["review_cycle"] == "baseline-test"
    assert "entered_by" not in measurements["results"][0]


def test_unknown_readable_identifiers_answer_404(client):
    assert client.get(f"{API}/states/ZZ/").status_code == 404
    assert client.get(f"{API}/commitments/99/").status_code == 404
    assert client.get(f"{API}/events/no-such-event/").status_code == 404


# Filters, ordering, pagination


def test_implementations_filter_by_state_and_commitment_number(client):
    data = client.get(f"{API}/implementations/", {"state": "FR", "commitment": 3}).json()
    assert data["count"] == 1
    assert data["results"][0]["state"] == "FR"
    assert data["results"][0]["commitment"] == 3
    assert data["results"][0]["id"] == _french_commitment_3().pk


def test_implementations_filter_by_regional_group_and_status(client):
    african = client.get(f"{API}/implementations/", {"regional_group": "african", "commitment": 1}).json()
    assert african["count"] == 54
    implementation = _french_commitment_3()
    Implementation.objects.filter(pk=implementation.pk).update(status=Status.PLANNED)
    planned = client.get(f"{API}/implementations/", {"status": "planned"}).json()
    assert [row["id"] for row in planned["results"]] == [implementation.pk]


def test_states_filter_by_regional_group(client):
    data = client.get(f"{API}/states/", {"regional_group": "weog"}).json()
    assert data["count"] == 29
    assert {row["regional_group"] for row in data["results"]} == {"weog"}


def test_recommendations_filter_by_commitment_number(client):
    data = client.get(f"{API}/recommendations/", {"commitment": 3}).json()
    assert data["count"] >= 1
    assert all(3 in row["commitments"] for row in data["results"])


def test_a_filter_value_that_names_nothing_is_a_404_with_the_field(client):
    response = client.get(f"{API}/implementations/", {"state": "ZZ"})
    assert response.status_code == 404
    assert "state" in response.json()


def test_an_empty_or_loose_filter_value_is_a_400(client):
    assert client.get(f"{API}/implementations/", {"state": ""}).status_code == 400
    assert client.get(f"{API}/implementations/", {"disagreement": "null"}).status_code == 400
    assert client.get(f"{API}/implementations/", {"page": ""}).status_code == 400


def test_an_api_address_that_matches_no_pattern_answers_json(client):
    response = client.get(f"{API}/implementations/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_lists_are_ordered_on_request(client):
    names = [row["name"] for row in client.get(f"{API}/states/", {"ordering": "-name"}).json()["results"]]
    assert names == sorted(names, reverse=True)
    numbers = [row["number"] for row in client.get(f"{API}/commitments/", {"ordering": "-number"}).json()["results"]]
    assert numbers == list(range(10, 0, -1))


def test_lists_are_paginated_by_fifty(client):
    first = client.get(f"{API}/implementations/").json()
    assert first["count"] == Implementation.objects.count()
    assert len(first["results"]) == 50
    second = client.get(first["next"]).json()
    assert second["previous"]
    assert not {row["id"] for row in first["results"]} & {row["id"] for row in second["results"]}


# Privacy


@pytest.fixture
def french_history(focal_point_france, editor):
    """A French implementation with one published and one unpublished piece of evidence, both cited
    by a status update whose comment is staff-only."""
    implementation = _french_commitment_3()
    published, unpublished = _published(implementation), _unpublished(implementation)
    update = StatusUpdate.objects.create(
        implementation=implementation,
        track=Track.REPORTED,
        status=Status.IN_PROGRESS,
        previous_status=Status.NO_INFORMATION,
        comment="Internal: call the ministry back",
        rationale="Bill tabled.",
        author=focal_point_france,
        author_role="focal_point",
    )
    update.evidence.set([published, unpublished])
    Implementation.objects.filter(pk=implementation.pk).update(
        owner=focal_point_france, internal_note="Owner is on leave until May"
    )
    return implementation, published, unpublished, update


def _public_responses(client, implementation, update, unpublished):
    return {
        "evidence list": client.get(f"{API}/evidence/"),
        "evidence list filtered": client.get(f"{API}/evidence/", {"state": "FR", "commitment": 3}),
        "evidence detail": client.get(f"{API}/evidence/{unpublished.pk}/"),
        "implementation list": client.get(f"{API}/implementations/", {"state": "FR"}),
        "implementation detail": client.get(f"{API}/implementations/{implementation.pk}/"),
        "status update list": client.get(f"{API}/status-updates/", {"state": "FR"}),
        "status update detail": client.get(f"{API}/status-updates/{update.pk}/"),
    }


def test_unpublished_evidence_never_reaches_the_public(client, french_history):
    implementation, published, unpublished, update = french_history
    responses = _public_responses(client, implementation, update, unpublished)

    assert responses["evidence detail"].status_code == 404
    assert [row["id"] for row in responses["evidence list"].json()["results"]] == [published.pk]
    assert responses["implementation detail"].json()["evidence"] == [published.pk]
    assert responses["status update detail"].json()["evidence"] == [published.pk]
    for name, response in responses.items():
        body = response.content.decode()
        assert unpublished.title not in body, name
        assert unpublished.url not in body, name


def test_staff_fields_never_reach_the_public(client, french_history):
    implementation, published, unpublished, update = french_history
    for name, response in _public_responses(client, implementation, update, unpublished).items():
        body = response.content.decode()
        for secret in ("Internal: call the ministry back", "Owner is on leave", "fp_france", "added_by", 'author"'):
            assert secret not in body, (name, secret)
    detail = client.get(f"{API}/status-updates/{update.pk}/").json()
    assert detail["author_role"] == "focal_point"
    assert detail["staff"] is None
    assert client.get(f"{API}/implementations/{implementation.pk}/").json()["staff"] is None


def test_a_logged_in_user_without_a_role_sees_what_the_public_sees(french_history):
    implementation, published, unpublished, update = french_history
    nobody = _client_for(UserFactory(username="no_role"))
    assert nobody.get(f"{API}/evidence/{unpublished.pk}/").status_code == 404
    assert nobody.get(f"{API}/implementations/{implementation.pk}/").json()["staff"] is None


def test_focal_point_sees_unpublished_evidence_and_staff_fields_of_their_own_state_only(
    french_history, focal_point_france, focal_point_kenya
):
    implementation, published, unpublished, update = french_history
    france_client = _client_for(focal_point_france)
    assert france_client.get(f"{API}/evidence/{unpublished.pk}/").status_code == 200
    detail = france_client.get(f"{API}/implementations/{implementation.pk}/").json()
    assert sorted(detail["evidence"]) == sorted([published.pk, unpublished.pk])
    assert detail["staff"] == {
        "owner": {"id": focal_point_france.pk, "username": "fp_france"},
        "internal_note": "Owner is on leave until May",
    }
    assert france_client.get(f"{API}/status-updates/{update.pk}/").json()["staff"] == {
        "comment": "Internal: call the ministry back"
    }

    kenya_client = _client_for(focal_point_kenya)
    assert kenya_client.get(f"{API}/evidence/{unpublished.pk}/").status_code == 404
    assert kenya_client.get(f"{API}/implementations/{implementation.pk}/").json()["staff"] is None
    assert kenya_client.get(f"{API}/status-updates/{update.pk}/").json()["evidence"] == [published.pk]


def test_evidence_files_are_given_as_download_urls_not_paths(client, implementation_france):
    evidence = _published(implementation_france, file="evidence/2020/01/abc.pdf", url="")
    data = client.get(f"{API}/evidence/{evidence.pk}/").json()
    assert data["download_url"] == f"http://testserver/evidence/{evidence.pk}/file/"
    assert "evidence/2020/01/abc.pdf" not in json.dumps(data)
