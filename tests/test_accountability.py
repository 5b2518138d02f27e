"""Disagreements between the two tracks, corridors side by side, and staff coverage."""

import datetime

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.choices import CorridorRole, Status, Track
from recommendations.models import Corridor, CorridorState, Implementation, State
from tests.factories import ImplementationFactory, StateFactory

pytestmark = pytest.mark.django_db


def commitment_implementation(iso2, number):
    return Implementation.objects.get(state__iso2=iso2, commitment__number=number)


def report_and_assess(implementation, reported, assessed, focal_point, editor):
    services.implementation_set_status(
        implementation=implementation, status=reported, actor=focal_point, comment="report"
    )
    services.implementation_set_status(
        implementation=implementation, status=assessed, actor=editor, comment="review", track=Track.ASSESSED
    )


@pytest.fixture
def disagreement(focal_point_france, editor):
    implementation = commitment_implementation("FR", 3)
    report_and_assess(implementation, Status.IN_PROGRESS, Status.PLANNED, focal_point_france, editor)
    return implementation


@pytest.fixture
def agreement(focal_point_kenya, editor):
    implementation = commitment_implementation("KE", 3)
    report_and_assess(implementation, Status.PLANNED, Status.PLANNED, focal_point_kenya, editor)
    return implementation


def test_disagreement_list_shows_only_items_where_the_tracks_differ(client, disagreement, agreement):
    response = client.get(reverse("accountability:disagreement-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "France</a>" in body and "Kenya</a>" not in body


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("commitment=3", True),
        ("commitment=4", False),
        ("state=FR", True),
        ("state=KE", False),
        ("regional_group=weog", True),
        ("regional_group=african", False),
    ],
)
def test_disagreement_list_filters(client, disagreement, query, found):
    body = client.get(reverse("accountability:disagreement-list") + "?" + query).content.decode()
    assert ("France</a>" in body) is found


def test_disagreements_download_as_csv(client, disagreement):
    response = client.get(reverse("accountability:disagreement-list") + "?format=csv&commitment=3")
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("state_iso2,state,item")
    assert len(rows) == 2 and rows[1].startswith("FR,France")


def test_disagreement_list_query_count_is_flat(client, disagreement, editor, django_assert_max_num_queries):
    url = reverse("accountability:disagreement-list")
    for size in (2, 25):
        for _ in range(size):
            implementation = ImplementationFactory(state=StateFactory())
            services.implementation_set_status(
                implementation=implementation, status=Status.PLANNED, actor=editor, comment="r"
            )
            services.implementation_set_status(
                implementation=implementation,
                status=Status.NOT_STARTED,
                actor=editor,
                comment="a",
                track=Track.ASSESSED,
            )
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


@pytest.fixture
def corridor():
    corridor = Corridor.objects.create(slug="central-med", name="Central Mediterranean")
    for order, (iso2, role) in enumerate(
        [("NE", CorridorRole.ORIGIN), ("LY", CorridorRole.TRANSIT), ("IT", CorridorRole.DESTINATION)], start=1
    ):
        CorridorState.objects.create(corridor=corridor, state=State.objects.get(iso2=iso2), role=role, order=order)
    return corridor


def test_corridor_page_shows_the_states_side_by_side_per_commitment(client, corridor, editor):
    services.implementation_set_status(
        implementation=commitment_implementation("LY", 2), status=Status.PLANNED, actor=editor, comment="x"
    )
    body = client.get(corridor.get_absolute_url()).content.decode()
    assert body.index("Niger") < body.index("Libya") < body.index("Italy")
    assert "Transit" in body and "Planned" in body
    assert body.count("<tr>") >= 10


def test_corridor_list_links_each_corridor(client, corridor):
    assert corridor.get_absolute_url() in client.get(reverse("accountability:corridor-list")).content.decode()


def test_coverage_is_for_staff_only(client, focal_point_france):
    url = reverse("staff:coverage")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(focal_point_france)
    assert client.get(url).status_code == 200


def test_coverage_lists_unowned_overdue_and_untouched_within_scope(client, focal_point_france, editor):
    mine = commitment_implementation("FR", 1)
    services.implementation_assign(
        implementation=mine,
        actor=editor,
        owner=focal_point_france,
        lead_agency="Ministry of Justice",
        due_date=datetime.date(2020, 1, 1),
    )
    client.force_login(focal_point_france)
    body = client.get(reverse("staff:coverage")).content.decode()
    assert "fp_france" in body and "Ministry of Justice" in body
    assert "Kenya" not in body  # out of scope
    assert mine.get_absolute_url() in body


def test_coverage_query_count_is_flat(client, editor, django_assert_max_num_queries):
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("staff:coverage")).status_code == 200


def test_position_is_shown_and_filterable_on_the_commitment_page(client, editor):
    from recommendations.choices import Position

    services.implementation_assign(
        implementation=commitment_implementation("FR", 2), actor=editor, position=Position.SUPPORTED_IN_PART
    )
    url = reverse("recommendations:commitment-detail", args=[2])
    body = client.get(url + "?position=supported_in_part").content.decode()
    assert "Supported in part</td>" in body
    assert "France</a>" in body and "Kenya</a>" not in body
    assert "France</a>" not in client.get(url + "?position=noted").content.decode()


def test_a_move_to_implemented_without_evidence_is_refused_with_the_same_reason_on_page_and_api(
    client, focal_point_france
):
    from rest_framework.authtoken.models import Token

    implementation = commitment_implementation("FR", 7)
    client.force_login(focal_point_france)
    page = client.post(
        reverse("staff:implementation", args=[implementation.pk]),
        {
            "version": implementation.version,
            "track": "reported",
            "status": Status.IMPLEMENTED,
            "effective_date": datetime.date.today().isoformat(),
            "comment": "done",
            "rationale": "",
        },
    )
    page_text = page.content.decode()
    assert page.status_code == 400 and "needs at least one piece of evidence" in page_text
    client.logout()
    token = Token.objects.create(user=focal_point_france)
    api = client.post(
        f"/api/v1/implementations/{implementation.pk}/status/",
        {"status": Status.IMPLEMENTED, "comment": "done", "rationale": "The law is in force.", "track": "reported"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{implementation.version}"',
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert api.status_code == 400
    assert "needs at least one piece of evidence" in api.content.decode()
    implementation.refresh_from_db()
    assert implementation.status == Status.NO_INFORMATION and not implementation.updates.exists()
