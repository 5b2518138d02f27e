"""Atom feeds of public changes: valid Atom (RFC 4287's required elements), public data only."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.choices import Status

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def changes(implementation_france, implementation_kenya, focal_point_france, editor):
    public = services.evidence_add(
        implementation=implementation_france,
        actor=focal_point_france,
        title="Detention Act 2024",
        kind="law",
        url="https://example.org/act",
    )
    services.evidence_verify(evidence=public, actor=editor, publish=True)
    hidden = services.evidence_add(
        implementation=implementation_france,
        actor=focal_point_france,
        title="Case file of a detained child",
        kind="report",
        url="https://example.org/private",
    )
    services.implementation_set_status(
        implementation=implementation_france,
        status=Status.IMPLEMENTED,
        actor=focal_point_france,
        comment="internal: minister's office confirmed by phone",
        rationale="The act is in force.",
        evidence=[public, hidden],
    )
    services.implementation_set_status(
        implementation=implementation_kenya, status=Status.PLANNED, actor=editor, comment="internal note k"
    )


def parse_atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None or root.find(f"{ATOM}author") is not None
    return response.content.decode(), entries


def test_overall_feed_lists_every_public_change(client, changes):
    body, entries = parse_atom(client, reverse("feeds:all"))
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len([i for i in ids if "/status-updates/" in i]) == 2
    assert "The act is in force." in body and "Detention Act 2024" in body
    # The other public change records too (issue 14): the evidence published, the seed's load.
    assert "Evidence “Detention Act 2024” published" in body
    assert all("/status-updates/" in i or "/changes/" in i for i in ids)


def test_state_feed_lists_only_that_state(client, changes):
    # France's status change, and its public change record: the evidence published.
    body, entries = parse_atom(client, reverse("feeds:state", args=["FR"]))
    assert len(entries) == 2 and "France" in body and "Kenya" not in body
    assert "Evidence “Detention Act 2024” published" in body


def test_commitment_feed(client, changes, implementation_france):
    _, entries = parse_atom(client, reverse("feeds:commitment", args=[implementation_france.commitment.number]))
    assert len(entries) == 2


def test_feeds_never_show_comments_people_or_unpublished_evidence(client, changes):
    body, _ = parse_atom(client, reverse("feeds:all"))
    for private in ("internal", "Case file of a detained child", "fp_france", "editor@", "example.org/private"):
        assert private not in body
    assert "Focal point" in body  # the author is the role


def test_unknown_state_feed_is_404(client):
    assert client.get(reverse("feeds:state", args=["XX"])).status_code == 404


def test_a_state_feed_reads_its_change_records_in_a_fixed_number_of_queries(
    client, changes, editor, implementation_france, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("feeds:state", args=["FR"]))
    for n in range(5):
        services.implementation_assign(
            implementation=implementation_france, actor=editor, lead_agency=f"Ministry {n}", notify=False
        )
        implementation_france.refresh_from_db()
    with django_assert_max_num_queries(len(few)):
        body = client.get(reverse("feeds:state", args=["FR"])).content.decode()
    assert "Ministry 4" in body
