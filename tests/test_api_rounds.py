"""Reporting rounds in the API (and the admin, read-only): public, each round with its states' progress
(computed while open, frozen once closed), in a constant number of queries."""

import datetime

import pytest
from rest_framework.test import APIClient

from recommendations import services
from tests.factories import ImplementationFactory, StateFactory
from tests.rounds_arrange import clock, item, make_cycle, moment, open_round, report

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def api():
    return APIClient()


def test_the_list_gives_each_rounds_items_states_and_dates(api, spring):
    [found] = api.get("/api/v1/rounds/").json()["results"]
    assert found == {
        "slug": "spring-round",
        "name": "Spring round",
        "cycle": "test-cycle",
        "opens_on": "2026-06-01",
        "deadline": "2026-06-30",
        "message": "Report by June.",
        "commitments": [1, 2],
        "recommendations": [],
        "states": ["FR", "KE"],
        "invite_stakeholders": False,
        "is_open": True,
        "closed_at": None,
        "is_demo": False,
    }


def test_one_round_gives_each_states_progress_and_the_summary(api, focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 3)))
    with clock(moment(D(2026, 6, 4))):
        services.round_confirm_unchanged(actor=focal_point_france, round=spring, implementations=[item("FR", 2)])
    body = api.get("/api/v1/rounds/spring-round/").json()
    assert body["summary"] == {"states": 2, "reported": 1, "started": 0, "late": 0, "items": 4, "items_reported": 2}
    france, kenya = body["progress"]
    assert (france["state"], france["items"], france["reported"], france["confirmed"]) == ("FR", 2, 2, 1)
    assert france["done"] and france["percent"] == 100 and france["completed_at"].startswith("2026-06-04")
    assert (kenya["state"], kenya["regional_group"], kenya["percent"], kenya["done"]) == ("KE", "african", 0, False)


def test_a_closed_round_gives_its_frozen_results(api, editor, focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 3)))
    services.round_close(actor=editor, round=spring, version=1)
    report(focal_point_france, item("FR", 2), moment(D(2026, 12, 1)))
    body = api.get("/api/v1/rounds/spring-round/").json()
    assert body["is_open"] is False and body["closed_at"]
    assert [p["reported"] for p in body["progress"]] == [1, 0]


def test_the_rounds_filter_by_cycle_state_and_openness(api, editor, cycle, spring):
    closed = open_round(editor, make_cycle("other-cycle"), states=["FR"], name="Autumn round")
    services.round_close(actor=editor, round=closed, version=1)

    def slugs(**params):
        return [r["slug"] for r in api.get("/api/v1/rounds/", params).json()["results"]]

    assert slugs(cycle="test-cycle") == ["spring-round"]
    assert slugs(state="KE") == ["spring-round"]
    assert slugs(open="false") == ["autumn-round"]
    assert sorted(slugs(state="FR")) == ["autumn-round", "spring-round"]
    assert api.get("/api/v1/rounds/", {"cycle": "no-such-cycle"}).status_code in (400, 404)


def test_an_unknown_round_is_a_json_404(api):
    response = api.get("/api/v1/rounds/no-such-round/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_writes_a_round_through_the_api(client, editor, spring, method):
    client.force_login(editor)
    path = "/api/v1/rounds/" if method == "post" else "/api/v1/rounds/spring-round/"
    response = getattr(client, method)(path, {"name": "Mine"}, content_type="application/json")
    assert response.status_code == 405
    spring.refresh_from_db()
    assert spring.name == "Spring round"


def grow(editor, cycle, n):
    states = [StateFactory() for _ in range(n)]
    for state in states:
        ImplementationFactory(state=state, commitment=item("FR", 1).commitment)
    for k in range(n):
        open_round(editor, cycle, states=[s.iso2 for s in states], name=f"Round {k}")
    return states


@pytest.mark.parametrize("n", [2, 25])
def test_the_list_and_one_round_take_a_constant_number_of_queries(api, editor, cycle, n, django_assert_max_num_queries):
    states = grow(editor, cycle, n)
    report(editor, states[0].implementations.first(), moment(D(2026, 6, 3)))
    with django_assert_max_num_queries(5):  # count, rows with the cycle, commitments, recommendations, states
        assert len(api.get("/api/v1/rounds/").json()["results"]) == n
    with django_assert_max_num_queries(9):  # the round (4) and its progress (4)
        body = api.get("/api/v1/rounds/round-0/").json()
    assert len(body["progress"]) == n and body["summary"]["reported"] == 1


def test_the_round_admin_shows_a_closed_rounds_frozen_results_read_only(client, editor, focal_point_france, spring):
    from django.urls import reverse

    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 3)))
    services.round_close(actor=editor, round=spring, version=1)
    client.force_login(editor)
    page = client.get(reverse("admin:recommendations_reportinground_change", args=[spring.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "France" in text and "Kenya" in text and 'name="_save"' not in text
    for model in ("reportinground", "roundconfirmation", "roundstateresult", "roundreminder"):
        assert client.get(reverse(f"admin:recommendations_{model}_changelist")).status_code == 200, model
