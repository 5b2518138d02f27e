"""Issue 16, finding 9: evidence links go to the public web over http(s), hold no credentials and
no bidi or control characters, never point at the tracker itself or a private address, and are
shown as their title plus the host they lead to; titles with bidi controls are refused."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from recommendations import services
from recommendations.choices import Visibility
from recommendations.models import Implementation

pytestmark = pytest.mark.django_db

REFUSED = [
    "https://evil.example\u202e/gpj.exe",
    "https://evil.example/\u202egpj.exe",
    "https://evil.example/\u2066x",
    "https://user:pass@example.org/",
    "https://user@example.org/",
    "ftp://example.org/report.pdf",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "http://127.0.0.1/admin/",
    "http://localhost:8000/",
    "http://[::1]/",
    "http://10.0.0.5/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://0.0.0.0/",
    "http://testserver/evidence/1/file/",
    "http://tracker.example.org/states/FR/",
    "https://example.org/a\tb",
]


@pytest.fixture
def api(focal_point_france, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "tracker.example.org"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=focal_point_france)[0].key}")
    return client


def _add(api, **fields):
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    body = {"title": "Report", "kind": "report", **fields}
    return implementation, api.post(f"/api/v1/implementations/{implementation.pk}/evidence/", body, format="json")


@pytest.mark.parametrize("url", REFUSED)
def test_a_spoofing_or_internal_link_is_refused_and_nothing_is_stored(api, url):
    implementation, response = _add(api, url=url)
    assert response.status_code == 400, (url, response.content[:200])
    assert "url" in response.json()
    assert not implementation.evidence.exists()


@pytest.mark.parametrize("title", ["Report\u202efdp.exe", "Report\u2067x\u2069", "Report\u200fx", "Line\x07bell"])
def test_a_title_with_bidi_or_control_characters_is_refused(api, title):
    implementation, response = _add(api, url="https://example.org/report", title=title)
    assert response.status_code == 400
    assert "title" in response.json()
    assert not implementation.evidence.exists()


@pytest.mark.parametrize(
    "url",
    ["https://example.org/report.pdf", "http://www.un.org/en/ga/", "https://8.8.8.8/x", "https://xn--80ak6aa92e.com/"],
)
def test_an_ordinary_public_link_is_accepted(api, url):
    implementation, response = _add(
        api, url=url, title="Rapport \u00e9t\u00e9 \u0627\u0644\u062a\u0642\u0631\u064a\u0631"
    )
    assert response.status_code == 201, response.content[:300]


def test_the_staff_page_refuses_the_same_links(client, focal_point_france):
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    client.force_login(focal_point_france)
    response = client.post(
        f"/staff/implementations/{implementation.pk}/evidence/",
        {"evidence-title": "Circular", "evidence-kind": "policy", "evidence-url": "https://user:pass@example.org/"},
    )
    assert response.status_code in (200, 400)
    assert not implementation.evidence.exists()


def test_the_service_refuses_them_for_every_door(focal_point_france):
    from django.core.exceptions import ValidationError

    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    with pytest.raises(ValidationError) as raised:
        services.evidence_add(
            implementation=implementation, actor=focal_point_france, title="A\u202eB", kind="report", url="ftp://x.org/"
        )
    assert {"title", "url"} <= set(raised.value.message_dict)


def test_published_evidence_shows_its_title_and_the_host_it_leads_to(client, focal_point_france, editor):
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    evidence = services.evidence_add(
        implementation=implementation,
        actor=focal_point_france,
        title="Law 2020-1",
        kind="law",
        url="https://www.legifrance.gouv.fr/jorf/id/1",
    )
    services.evidence_verify(evidence=evidence, actor=editor, publish=True)
    assert evidence.__class__.objects.get(pk=evidence.pk).visibility == Visibility.PUBLIC
    page = client.get("/states/FR/", {"list": "evidence"}).content.decode()
    assert "<bdi>Law 2020-1</bdi></a>" in page
    assert "(www.legifrance.gouv.fr)" in page
