"""The REST API's staff writes: permissions, stale-write protection (ETag / If-Match), evidence,
tokens, and the schema that documents them."""

import datetime
import json
import re
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from recommendations.choices import Role, Status
from recommendations.models import Implementation, State
from tests.factories import UserFactory, minimal_pdf_bytes
from tests.test_api import API, _client_for, _french_commitment_3, _published, _unpublished

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return APIClient()


def _status_url(implementation):
    return f"{API}/implementations/{implementation.pk}/status/"


def _etag(client, implementation):
    return client.get(f"{API}/implementations/{implementation.pk}/")["ETag"]


PROGRESS = {"track": "reported", "status": "in_progress", "comment": "Bill tabled in parliament."}


def test_focal_point_posts_a_status_for_their_state_with_the_etag(focal_point_france):
    implementation = _french_commitment_3()
    api = _client_for(focal_point_france)
    etag = _etag(api, implementation)
    assert etag == f'"{implementation.version}"'

    response = api.post(_status_url(implementation), PROGRESS, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "in_progress"
    assert response.json()["author_role"] == "focal_point"
    assert response["ETag"] == f'"{implementation.version + 1}"'
    implementation.refresh_from_db()
    assert implementation.status == Status.IN_PROGRESS
    assert implementation.updates.get().author == focal_point_france


def test_a_version_field_works_like_if_match(focal_point_france):
    implementation = _french_commitment_3()
    response = _client_for(focal_point_france).post(
        _status_url(implementation), {**PROGRESS, "version": implementation.version}, format="json"
    )
    assert response.status_code == 201, response.content


def test_focal_point_of_france_gets_403_for_kenya(focal_point_france):
    kenyan = Implementation.objects.get(state__iso2="KE", commitment__number=3)
    response = _client_for(focal_point_france).post(
        _status_url(kenyan), PROGRESS, format="json", HTTP_IF_MATCH=f'"{kenyan.version}"'
    )
    assert response.status_code == 403
    assert not kenyan.updates.exists()


def test_a_stale_version_is_refused_with_412_and_nothing_is_written(focal_point_france):
    implementation = _french_commitment_3()
    api = _client_for(focal_point_france)
    stale = _etag(api, implementation)
    assert api.post(_status_url(implementation), PROGRESS, format="json", HTTP_IF_MATCH=stale).status_code == 201

    response = api.post(
        _status_url(implementation), {**PROGRESS, "status": "planned"}, format="json", HTTP_IF_MATCH=stale
    )

    assert response.status_code == 412
    assert response["ETag"] == f'"{implementation.version + 1}"'
    assert implementation.updates.count() == 1


def test_a_write_without_a_version_is_refused_with_428(focal_point_france):
    implementation = _french_commitment_3()
    response = _client_for(focal_point_france).post(_status_url(implementation), PROGRESS, format="json")
    assert response.status_code == 428
    assert not implementation.updates.exists()


def test_an_if_match_that_is_not_a_version_is_refused_with_412(focal_point_france):
    implementation = _french_commitment_3()
    response = _client_for(focal_point_france).post(
        _status_url(implementation), PROGRESS, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 412


def test_implemented_without_evidence_and_rationale_is_a_400_with_field_errors(focal_point_france):
    implementation = _french_commitment_3()
    response = _client_for(focal_point_france).post(
        _status_url(implementation),
        {**PROGRESS, "status": "implemented", "version": implementation.version},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"evidence", "rationale"}


def test_implemented_with_own_evidence_and_a_rationale_is_accepted(focal_point_france):
    implementation = _french_commitment_3()
    evidence = _unpublished(implementation)
    response = _client_for(focal_point_france).post(
        _status_url(implementation),
        {
            **PROGRESS,
            "status": "implemented",
            "rationale": "Law in force.",
            "evidence": [evidence.pk],
            "version": implementation.version,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["evidence"] == [evidence.pk]


def test_evidence_of_another_implementation_cannot_be_cited(focal_point_france, implementation_kenya):
    implementation = _french_commitment_3()
    foreign = _published(implementation_kenya)
    response = _client_for(focal_point_france).post(
        _status_url(implementation),
        {**PROGRESS, "evidence": [foreign.pk], "version": implementation.version},
        format="json",
    )
    assert response.status_code == 400
    assert "evidence" in response.json()


def test_focal_point_cannot_set_the_assessed_track(focal_point_france):
    implementation = _french_commitment_3()
    response = _client_for(focal_point_france).post(
        _status_url(implementation),
        {**PROGRESS, "track": "assessed", "version": implementation.version},
        format="json",
    )
    assert response.status_code == 403


def test_anonymous_writes_are_refused(client):
    implementation = _french_commitment_3()
    responses = [
        client.post(_status_url(implementation), {**PROGRESS, "version": 1}, format="json"),
        client.post(f"{API}/implementations/{implementation.pk}/evidence/", {}, format="json"),
        client.patch(f"{API}/implementations/{implementation.pk}/", {"lead_agency": "x", "version": 1}, format="json"),
        client.post(f"{API}/states/", {}, format="json"),
    ]
    assert [response.status_code for response in responses[:3]] in ([401] * 3, [403] * 3)
    assert responses[3].status_code in (401, 403, 405)
    assert not implementation.updates.exists()


def test_everything_but_implementations_is_read_only(editor):
    api = _client_for(editor)
    assert api.post(f"{API}/states/", {}, format="json").status_code == 405
    assert api.delete(f"{API}/states/FR/").status_code == 405
    assert api.delete(f"{API}/implementations/{_french_commitment_3().pk}/").status_code == 405


def test_editor_assigns_an_owner_and_due_date_with_if_match(editor, focal_point_france):
    implementation = _french_commitment_3()
    api = _client_for(editor)
    response = api.patch(
        f"{API}/implementations/{implementation.pk}/",
        {
            "owner": focal_point_france.pk,
            "due_date": "2030-01-31",
            "lead_agency": "Ministry of the Interior",
            "position": "supported",
        },
        format="json",
        HTTP_IF_MATCH=_etag(api, implementation),
    )
    assert response.status_code == 200, response.content
    assert response.json()["staff"]["owner"]["username"] == "fp_france"
    assert response["ETag"] == f'"{implementation.version + 1}"'
    implementation.refresh_from_db()
    assert implementation.owner == focal_point_france
    assert implementation.due_date == datetime.date(2030, 1, 31)
    assert implementation.position == "supported"

    # Fields left out keep their value.
    response = api.patch(
        f"{API}/implementations/{implementation.pk}/",
        {"lead_agency": "Ministry of Justice", "version": implementation.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    implementation.refresh_from_db()
    assert (implementation.owner, implementation.lead_agency) == (focal_point_france, "Ministry of Justice")


def test_owner_outside_the_state_scope_is_a_400(editor, focal_point_kenya):
    implementation = _french_commitment_3()
    response = _client_for(editor).patch(
        f"{API}/implementations/{implementation.pk}/", {"owner": focal_point_kenya.pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "owner" in response.json()


def test_focal_point_cannot_assign(focal_point_france):
    implementation = _french_commitment_3()
    response = _client_for(focal_point_france).patch(
        f"{API}/implementations/{implementation.pk}/",
        {"lead_agency": "x", "version": implementation.version},
        format="json",
    )
    assert response.status_code == 403


def test_focal_point_adds_url_evidence_which_stays_staff_only(focal_point_france, client):
    implementation = _french_commitment_3()
    response = _client_for(focal_point_france).post(
        f"{API}/implementations/{implementation.pk}/evidence/",
        {"title": "Draft bill", "kind": "law", "url": "https://example.org/bill", "date": "2024-02-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["visibility"] == "staff"
    assert response.json()["verified"] is False
    assert client.get(f"{API}/evidence/{response.json()['id']}/").status_code == 404


def test_focal_point_uploads_an_evidence_file_which_is_downloadable_by_staff_only(
    focal_point_france, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    implementation = _french_commitment_3()
    api = _client_for(focal_point_france)
    upload = SimpleUploadedFile("bill.pdf", minimal_pdf_bytes("Child protection bill"), "application/pdf")

    response = api.post(
        f"{API}/implementations/{implementation.pk}/evidence/",
        {"title": "Bill", "kind": "law", "file": upload},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["url"] == ""
    assert data["content_type"] == "application/pdf"
    assert data["download_url"].endswith(f"/evidence/{data['id']}/file/")
    assert "evidence/" not in json.dumps({key: value for key, value in data.items() if key != "download_url"})
    assert client.get(data["download_url"]).status_code == 404


def test_an_upload_whose_content_does_not_match_its_name_is_a_400(focal_point_france, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    implementation = _french_commitment_3()
    upload = SimpleUploadedFile("bill.pdf", b"#!/bin/sh\necho not a pdf\n", "application/pdf")
    response = _client_for(focal_point_france).post(
        f"{API}/implementations/{implementation.pk}/evidence/",
        {"title": "Bill", "kind": "law", "file": upload},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert not implementation.evidence.exists()


def test_evidence_needs_a_url_or_a_file(focal_point_france):
    implementation = _french_commitment_3()
    response = _client_for(focal_point_france).post(
        f"{API}/implementations/{implementation.pk}/evidence/", {"title": "Bill", "kind": "law"}, format="json"
    )
    assert response.status_code == 400
    assert "url" in response.json()


def test_evidence_cannot_be_added_to_another_states_implementation(focal_point_kenya):
    implementation = _french_commitment_3()
    response = _client_for(focal_point_kenya).post(
        f"{API}/implementations/{implementation.pk}/evidence/",
        {"title": "Draft bill", "kind": "law", "url": "https://example.org/bill"},
        format="json",
    )
    assert response.status_code == 403
    assert not implementation.evidence.exists()


def test_token_authentication_lets_a_script_write(focal_point_france):
    implementation = _french_commitment_3()
    token = Token.objects.create(user=focal_point_france)
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    etag = script.get(f"{API}/implementations/", {"state": "FR", "commitment": 3})
    version = etag.json()["results"][0]["version"]

    response = script.post(_status_url(implementation), PROGRESS, format="json", HTTP_IF_MATCH=f'"{version}"')

    assert response.status_code == 201, response.content


def test_a_wrong_token_is_refused_even_for_reading(client):
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(f"{API}/states/")
    # 403 rather than 401 because session authentication comes first in the settings.
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Invalid token."


# Documentation


def test_the_schema_and_the_documentation_page_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "drf_create_token" in schema.content.decode()
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
    # The Content-Security-Policy forbids inline scripts: every script is a file from this site.
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []


def _http(method, url, token, body=None, if_match=None):
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if if_match:
        headers["If-Match"] = if_match
    request = urllib.request.Request(
        url, method=method, headers=headers, data=json.dumps(body).encode() if body is not None else None
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_a_script_reads_and_writes_over_http_with_a_token_as_documented(live_server, transactional_db):
    """The documented flow, over real HTTP: find the record by readable filters, read its ETag, post a
    change with If-Match, and be refused when posting again from the old version."""
    france = State.objects.get(iso2="FR")  # the seeded sources, as every test starts with
    implementation = Implementation.objects.get(state=france, commitment__number=3)
    focal_point = UserFactory(username="fp_france_script", role=Role.FOCAL_POINT, states=[france])
    token = Token.objects.create(user=focal_point).key
    api = f"{live_server.url}{API}"

    status, _headers, found = _http("GET", f"{api}/implementations/?state=FR&commitment=3", token)
    assert status == 200 and found["results"][0]["id"] == implementation.pk
    status, headers, _data = _http("GET", f"{api}/implementations/{implementation.pk}/", token)
    etag = headers["ETag"]

    status, headers, data = _http("POST", f"{api}/implementations/{implementation.pk}/status/", token, PROGRESS, etag)
    assert status == 201, data
    status, _headers, data = _http("POST", f"{api}/implementations/{implementation.pk}/status/", token, PROGRESS, etag)
    assert status == 412
    assert data["version"] == implementation.version + 1
