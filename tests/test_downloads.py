"""CSV and JSON downloads: every list, exactly as filtered, nothing private, no formula injection."""

import csv
import io
import json

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.choices import Role, Status
from recommendations.downloads import csv_cell
from recommendations.models import Implementation, Recommendation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LISTS = [
    (reverse("recommendations:dashboard"), {}),
    (reverse("recommendations:commitment-list"), {}),
    (reverse("recommendations:commitment-detail", args=[3]), {}),
    (reverse("recommendations:commitment-detail", args=[3]), {"list": "evidence"}),
    (reverse("recommendations:state-list"), {}),
    (reverse("recommendations:state-detail", args=["FR"]), {}),
    (reverse("recommendations:state-detail", args=["FR"]), {"list": "history"}),
    (reverse("recommendations:state-detail", args=["FR"]), {"list": "evidence"}),
    (reverse("recommendations:recommendation-list"), {}),
    (reverse("recommendations:recommendation-detail", args=["gfmd-bp-key-03"]), {}),
    (reverse("events:event-list"), {}),
    (reverse("events:document-list"), {}),
]


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    """Measure the views themselves: the shared page cache outlives each test's rolled-back data."""
    settings.CACHE_SECONDS = 0


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_json(response):
    return json.loads(response.content)


@pytest.fixture
def editor(db):
    return UserFactory(username="zq-editor-jane", email="jane.zq@secretariat.example", role=Role.EDITOR)


@pytest.fixture
def france_3(france, editor):
    implementation = Implementation.objects.get(state=france, commitment__number=3)
    published = services.evidence_add(
        implementation=implementation, actor=editor, title="Published law", kind="law", url="https://example.org/a"
    )
    services.evidence_verify(evidence=published, actor=editor, publish=True)
    services.evidence_add(
        implementation=implementation, actor=editor, title="UNPUBLISHED-DRAFT", kind="law", url="https://example.org/b"
    )
    services.implementation_set_status(
        implementation=implementation,
        status=Status.IMPLEMENTED,
        actor=editor,
        comment="SECRET-COMMENT",
        rationale="In force.",
        evidence=[published],
    )
    services.implementation_assign(
        implementation=implementation, actor=editor, owner=editor, lead_agency='=HYPERLINK("http://evil","x")'
    )
    Implementation.objects.filter(pk=implementation.pk).update(internal_note="SECRET-NOTE")
    return implementation


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain text", "plain text"),
        (-3, "-3"),
        (None, ""),
        (True, "true"),
        (["a", "=b"], "a; =b"),
    ],
)
def test_csv_cells_that_would_run_as_formulas_get_a_leading_apostrophe(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.parametrize(("url", "params"), LISTS)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_list_downloads_as_an_attachment(client, url, params, fmt):
    response = client.get(url, {**params, "format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv" if fmt == "csv" else "application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "json":
        assert read_json(response)["count"] == len(read_json(response)["results"])
    else:
        assert response.content.decode("utf-8-sig").splitlines()[0]


def test_downloads_hold_every_filtered_row_not_one_page(client):
    url = reverse("recommendations:recommendation-list")
    assert len(read_csv(client.get(url, {"format": "csv"}))) == Recommendation.objects.count()
    filtered = read_json(client.get(url, {"format": "json", "theme": "issue-area-c", "year": 2012, "page": 2}))
    assert [row["code"] for row in filtered["results"]] == ["gfmd-bp-key-03", "gfmd-bp-key-06", "gfmd-bp-key-07"]
    assert filtered["filters"] == {"theme": "issue-area-c", "year": "2012"}


def test_commitment_table_download_matches_the_filtered_page(client, france_3):
    url = reverse("recommendations:commitment-detail", args=[3])
    params = {"status": "implemented", "sort": "state"}
    page = client.get(url, params)
    rows = read_csv(client.get(url, {**params, "format": "csv"}))
    assert [row["state"] for row in rows] == [i.state.name for i in page.context["implementations"]] == ["France"]
    assert rows[0]["reported_status"] == "implemented"
    assert rows[0]["public_evidence_count"] == "1"


def test_csv_download_defuses_formulas_typed_into_the_data(client, france_3):
    url = reverse("recommendations:commitment-detail", args=[3])
    rows = read_csv(client.get(url, {"format": "csv", "status": "implemented"}))
    assert rows[0]["lead_agency"] == '\'=HYPERLINK("http://evil","x")'
    data = read_json(client.get(url, {"format": "json", "status": "implemented"}))
    assert data["results"][0]["lead_agency"] == '=HYPERLINK("http://evil","x")'


def test_nothing_private_reaches_any_download(client, france_3, editor):
    for url, params in LISTS:
        for fmt in ("csv", "json"):
            body = client.get(url, {**params, "format": fmt}).content.decode("utf-8-sig")
            for secret in ("SECRET-COMMENT", "SECRET-NOTE", "UNPUBLISHED-DRAFT", editor.username, editor.email):
                assert secret not in body, (secret, url, params, fmt)


def test_state_downloads_hold_status_history_and_published_evidence(client, france_3):
    url = reverse("recommendations:state-detail", args=["FR"])
    status = read_csv(client.get(url, {"format": "csv"}))
    assert len(status) == 10
    assert next(r for r in status if r["item"].startswith("3."))["reported_status"] == "implemented"
    history = read_json(client.get(url, {"format": "json", "list": "history"}))["results"]
    assert history[0]["rationale"] == "In force." and history[0]["public_evidence"] == ["Published law"]
    assert history[0]["author_role"] == "editor"
    evidence = read_csv(client.get(url, {"format": "csv", "list": "evidence"}))
    assert [row["title"] for row in evidence] == ["Published law"]


def test_commitment_evidence_download_holds_only_published_evidence(client, france_3):
    url = reverse("recommendations:commitment-detail", args=[3])
    rows = read_csv(client.get(url, {"format": "csv", "list": "evidence"}))
    assert [(row["state_iso2"], row["title"]) for row in rows] == [("FR", "Published law")]


def test_event_download_keeps_the_sources_date_wording(client):
    rows = read_csv(client.get(reverse("events:event-list"), {"format": "csv", "kind": "conference"}))
    conference = next(r for r in rows if r["slug"] == "intergovernmental-conference-2018")
    assert conference["date_as_given"] == "September - TBA"
    assert conference["tentative"] == "true"
