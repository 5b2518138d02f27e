"""Every list endpoint runs the same number of queries whatever the data size.

Each test reads one list at a small size, grows the data under it (more rows, each with more
related rows: themes, evidence, documents, ...), reads it again, and asserts that the count did not
move and stays at the number listed in EXPECTED. The filter or ordering given with each endpoint
puts the grown rows on the first page, so the page really holds more nested data the second time.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import EventSession, Participant, Phase
from recommendations.choices import Status, Visibility
from recommendations.models import (
    CommitmentAction,
    Indicator,
    Measurement,
    ReviewCycle,
    SDGTarget,
    State,
    StatusUpdate,
    Theme,
)
from tests.factories import (
    CommitmentFactory,
    DocumentFactory,
    EventFactory,
    EvidenceFactory,
    ImplementationFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

# endpoint: (query string that brings the grown rows onto page 1, queries for anonymous, editor, focal point)
#
# For the public: one COUNT for the paginator, one for the rows with their to-one relations joined,
# one per prefetched to-many relation, and one per readable filter value looked up (`document=`,
# `phase=`). A token adds one read (token with its user); where evidence visibility or staff fields
# depend on the reader, their role (groups) and, for a focal point, their scope are read once more.
EXPECTED = {
    "states": ({"q": "Testland"}, 2, 3, 3),
    "themes": ({}, 3, 4, 4),  # + sdg targets
    "commitments": ({}, 5, 6, 6),  # + themes, sdg targets, actions
    "recommendations": ({"document": "test-recommendations"}, 5, 6, 6),  # + document lookup, themes, commitments
    "implementations": ({"status": "in_progress"}, 3, 5, 6),  # + visible evidence ids
    "status-updates": ({}, 3, 5, 6),  # + visible evidence ids
    "evidence": ({}, 2, 4, 5),
    "review-cycles": ({}, 2, 3, 3),
    "indicators": ({}, 2, 3, 3),
    "measurements": ({}, 2, 3, 3),
    "phases": ({}, 2, 3, 3),
    "events": ({"phase": "test-phase"}, 5, 6, 6),  # + phase lookup, documents, listings
    "documents": ({}, 2, 3, 3),
}

# ISO 3166 user-assigned codes: never a real state's.
SPARE_ISO2 = [f"Q{letter}" for letter in "MNOPQRSTUVWXYZ"] + [f"X{letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


def _grow(start, count, phase, recommendations_document):
    """Add `count` rows to every listed model, each with several related rows."""
    sdg = SDGTarget.objects.get_or_create(code="99.9", defaults={"title": "Test target"})[0]
    for n in range(start, start + count):
        document = DocumentFactory()
        event = EventFactory(phase=phase, listed_in=document)
        DocumentFactory(event=event)
        EventSession.objects.create(event=event, order=1, title="Panel")
        Participant.objects.create(event=event, order=1, role="chair", organisation="IOM")
        theme = Theme.objects.create(slug=f"test-theme-{n}", kind="issue_area", order=n, name="T", document=document)
        theme.sdg_targets.add(sdg)
        commitment = CommitmentFactory(document=document)
        commitment.themes.add(theme)
        commitment.sdg_targets.add(sdg)
        CommitmentAction.objects.create(commitment=commitment, number=1, text="Act.")
        recommendation = RecommendationFactory(document=recommendations_document, event=event, order=n + 1)
        recommendation.themes.add(theme)
        recommendation.commitments.add(commitment)
        state = State.objects.create(
            iso2=SPARE_ISO2[n],
            iso3=f"X{SPARE_ISO2[n]}",
            numeric=f"{900 + n}",
            name=f"Testland {n}",
            membership="member",
            regional_group="none",
            region="europe",
        )
        implementation = ImplementationFactory(state=state, commitment=commitment, status=Status.IN_PROGRESS)
        published = EvidenceFactory(implementation=implementation, verified=True, visibility=Visibility.PUBLIC)
        unpublished = EvidenceFactory(implementation=implementation)
        update = StatusUpdate.objects.create(
            implementation=implementation,
            status=Status.IN_PROGRESS,
            previous_status=Status.NO_INFORMATION,
            comment="Test",
        )
        update.evidence.set([published, unpublished])
        cycle = ReviewCycle.objects.create(
            slug=f"test-cycle-{n}",
            name=f"Cycle {n}",
            kind="baseline",
            event=event,
            opens_on=datetime.date(2020, 1, 1),
            closes_on=datetime.date(2020, 12, 31),
        )
        indicator = Indicator.objects.create(
            commitment=commitment, code=f"test-indicator-{n}", name="I", unit="%", direction="higher"
        )
        Measurement.objects.create(
            indicator=indicator, state=state, date=datetime.date(2020, 6, 1), review_cycle=cycle, value=n
        )
        Phase.objects.create(slug=f"test-phase-{n}", number=100 + n, name=f"Phase {n}")


def _count(client, endpoint, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{endpoint}/", params)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


def _token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def readers(editor, focal_point_france):
    return {
        "anonymous": APIClient(),
        "editor": _token_client(editor),
        "focal_point": _token_client(focal_point_france),
    }


@pytest.mark.parametrize("endpoint", list(EXPECTED))
def test_list_endpoint_runs_a_constant_number_of_queries_at_two_data_sizes(
    endpoint, readers, django_assert_max_num_queries
):
    params, *expected = EXPECTED[endpoint]
    phase = Phase.objects.create(slug="test-phase", number=99, name="Test phase")
    document = DocumentFactory(slug="test-recommendations")
    _grow(0, 2, phase, document)
    small = {who: _count(client, endpoint, params) for who, client in readers.items()}

    _grow(2, 20, phase, document)
    large = {}
    for who, client in readers.items():
        with django_assert_max_num_queries(small[who][0]):
            large[who] = _count(client, endpoint, params)

    assert large["anonymous"][1] > small["anonymous"][1], "the grown rows must be on the page"
    assert {who: queries for who, (queries, _rows) in small.items()} == {
        who: queries for who, (queries, _rows) in large.items()
    }
    assert [small[who][0] for who in ("anonymous", "editor", "focal_point")] == expected


@pytest.mark.parametrize("evidence", [1, 20])
def test_a_status_write_reads_neither_the_evidence_nor_the_stakeholder_reports_of_the_item_first(
    evidence, focal_point_france, france, django_assert_max_num_queries
):
    """The write looks the item up with what its permission check needs; the evidence it names is
    read by the serializer, and the answer (the new status update) reads its own evidence ids. The
    number of queries does not grow with the item's evidence (22 here: the token, the role, the
    item, the focal point's states, the locked item, its latest dates, the insert, the update, the
    tallies, some created on first use, and the answer's two reads)."""
    implementation = ImplementationFactory(state=france)
    EvidenceFactory.create_batch(evidence, implementation=implementation, verified=True, visibility=Visibility.PUBLIC)
    client = _token_client(focal_point_france)
    body = {"track": "reported", "status": "in_progress", "comment": "Bill tabled."}
    with django_assert_max_num_queries(22), CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/v1/implementations/{implementation.pk}/status/",
            body,
            format="json",
            HTTP_IF_MATCH=f'"{implementation.version}"',
        )
    assert response.status_code == 201, response.content
    assert not [q["sql"] for q in queries if "stakeholderreport" in q["sql"]]
    evidence_reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "_evidence" in q["sql"]]
    assert len(evidence_reads) == 1, evidence_reads  # the answer's evidence ids
