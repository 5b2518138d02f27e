"""API throttling: anonymous clients per address and users per account, 429 with Retry-After past
the rate, documented in the schema."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    # A cached anonymous read is answered by the page cache before the API (and its throttle) runs.
    settings.CACHE_SECONDS = 0
    settings.API_THROTTLE_ANON = "5/minute"
    settings.API_THROTTLE_USER = "8/minute"


def test_an_anonymous_client_past_the_rate_gets_429_with_retry_after(rates):
    client = APIClient()
    answers = [client.get("/api/v1/states/FR/") for _ in range(7)]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
    assert int(answers[-1]["Retry-After"]) > 0
    assert "detail" in answers[-1].json()


def test_a_user_has_their_own_higher_rate_whatever_their_address(rates, focal_point_france):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=focal_point_france).key}")
    answers = [client.get("/api/v1/states/FR/").status_code for _ in range(10)]
    assert answers == [200] * 8 + [429] * 2
    # Another client at the same address, anonymous, still has its own allowance.
    assert APIClient().get("/api/v1/states/FR/").status_code == 200


def test_the_schema_documents_429_and_retry_after_on_every_operation(client):
    schema = client.get("/api/schema/?format=json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) > 20
    for operation in operations:
        assert "429" in operation["responses"]
        assert "Retry-After" in operation["responses"]["429"]["headers"]
