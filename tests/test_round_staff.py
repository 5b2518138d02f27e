"""Reporting rounds on the secretariat's staff pages (recommendations/staff/rounds.py): an editor
opens a round from the form (states by regional group and one by one), follows it per state and
sees who is late, edits its deadline and message (a stale edit is refused with what changed),
closes it after ticking the confirmation. Bad input is refused with a message and nothing
written; the round page and My work keep their number of queries as the round grows. The focal
points' side (My work, "no change, confirmed") is tests/test_round_my_work.py."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations import services
from recommendations.models import ChangeRecord, ReportingRound, State
from tests.factories import UserFactory
from tests.rounds_arrange import item, open_round

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def round_url(round):
    return reverse("staff:round", args=[round.pk])


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def new_round_data(round_cycle, **overrides):
    data = {
        "cycle": round_cycle.pk,
        "name": "Review round 2027",
        "opens_on": TODAY.isoformat(),
        "deadline": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "message": "Please report on each item.",
        "commitments": [item("FR", 1).commitment_id, item("FR", 3).commitment_id],
        "regional_groups": ["african"],
        "states": [State.objects.get(iso2="FR").pk],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- opening a round ---------------------------------------------------------------------------------


def test_an_editor_opens_a_round_by_regional_group_and_one_by_one(client, editor, cycle):
    client.force_login(editor)
    assert client.get(reverse("staff:round-new")).status_code == 200

    response = client.post(reverse("staff:round-new"), new_round_data(cycle))

    round = ReportingRound.objects.get(name="Review round 2027")
    assert response.status_code == 302 and response["Location"] == round_url(round)
    african = set(State.objects.filter(regional_group="african").values_list("iso2", flat=True))
    assert set(round.states.values_list("iso2", flat=True)) == african | {"FR"}
    assert sorted(round.commitments.values_list("number", flat=True)) == [1, 3]
    assert (round.opened_by, round.message, round.cycle) == (editor, "Please report on each item.", cycle)
    assert ChangeRecord.objects.filter(object_id=str(round.pk), content_type__model="reportinground").exists()
    assert "55 states" in texts(response)[0]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"commitments": None}, None, "at least one commitment or tracked recommendation"),
        ({"regional_groups": None, "states": None}, "states", "at least one state"),
        ({"deadline": (TODAY - datetime.timedelta(days=1)).isoformat()}, "deadline", "before the round opens"),
        ({"states": [999999]}, "states", "valid choice"),
        ({"states": ["France"]}, "states", "valid value"),
        ({"regional_groups": ["atlantis"]}, "regional_groups", "valid choice"),
        ({"cycle": 999999}, "cycle", "valid choice"),
        ({"commitments": [99999999999999]}, "commitments", "valid choice"),
        ({"commitments": [2**64]}, "commitments", "valid choice"),
        ({"states": [str(10**30)]}, "states", "valid choice"),
        ({"cycle": 2**70}, "cycle", "valid choice"),
        ({"name": ""}, "name", "required"),
        ({"name": "x" * 201}, "name", "at most 200"),
        ({"name": "Round\x1b[31m"}, "name", ""),
        ({"deadline": "30/06/2027"}, "deadline", "valid date"),
        ({"message": "m" * 5001}, "message", "at most 5000"),
    ],
)
def test_a_bad_round_is_refused_with_a_message_and_nothing_written(client, editor, cycle, overrides, field, words):
    client.force_login(editor)
    response = client.post(reverse("staff:round-new"), new_round_data(cycle, **overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors if field else errors.get("__all__")
    assert words in " ".join(errors.get(field or "__all__"))
    assert b"Nothing was saved" in response.content
    assert not ReportingRound.objects.exists()


def test_a_slug_taken_by_another_round_is_refused_by_the_service_and_shown(client, editor, cycle, current):
    client.force_login(editor)
    response = client.post(reverse("staff:round-new"), new_round_data(cycle, name="Current round"))
    # The service makes a free slug from the name: a second round of the same name is a new round.
    assert response.status_code == 302
    assert ReportingRound.objects.filter(name="Current round").count() == 2


# --- the round page -------------------------------------------------------------------------------------


def test_the_round_page_shows_progress_per_state_by_regional_group(client, editor, focal_point_france, current):
    services.round_confirm_unchanged(actor=focal_point_france, round=current, implementations=[item("FR", 1)])
    client.force_login(editor)
    response = client.get(round_url(current))
    assert response.status_code == 200
    labels = [label for label, _progresses in response.context["groups"]]
    assert labels == ["African States", "Western European and other States"]
    content = response.content.decode()
    assert 'value="1"' in content and "<progress" in content
    assert "Report on commitments 1 and 2." in content
    summary = response.context["summary"]
    assert (summary["states"], summary["started"], summary["items"], summary["items_reported"]) == (2, 1, 4, 1)
    assert response.context["behind"] == []


def test_after_the_deadline_the_round_page_says_who_is_late(client, editor, cycle, focal_point_france):
    late = open_round(
        editor,
        cycle,
        name="Late round",
        opens_on=TODAY - datetime.timedelta(days=20),
        deadline=TODAY - datetime.timedelta(days=2),
    )
    services.round_confirm_unchanged(
        actor=focal_point_france, round=late, implementations=[item("FR", 1), item("FR", 2)]
    )
    client.force_login(editor)
    response = client.get(round_url(late))
    assert [p.state.iso2 for p in response.context["behind"]] == ["KE"]
    assert [p.state.iso2 for p in response.context["late"]] == ["FR"]
    assert "Who is late" in response.content.decode()


def test_an_editor_changes_the_deadline_and_the_message(client, editor, current):
    client.force_login(editor)
    new_deadline = TODAY + datetime.timedelta(days=20)
    response = client.post(
        round_url(current),
        {
            "action": "edit",
            "version": current.version,
            "name": "Current round",
            "deadline": new_deadline.isoformat(),
            "message": "Two more weeks.",
        },
    )
    assert response.status_code == 302
    current.refresh_from_db()
    assert (current.deadline, current.message) == (new_deadline, "Two more weeks.")


def test_a_stale_edit_is_refused_and_shows_the_round_as_it_is_now(client, editor, administrator, current):
    client.force_login(editor)
    loaded = current.version
    services.round_edit(actor=administrator, round=current, version=loaded, message="The administrator's words.")

    response = client.post(
        round_url(current),
        {
            "action": "edit",
            "version": loaded,
            "name": "Current round",
            "deadline": current.deadline.isoformat(),
            "message": "Mine.",
        },
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert "changed by someone else" in content and "The administrator&#x27;s words." in content
    current.refresh_from_db()
    assert current.message == "The administrator's words."
    form = response.context["edit_form"]
    assert form["message"].value() == "Mine." and form["version"].value() == current.version


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"deadline": "2026-02-30"}, "valid date"),
        ({"deadline": ""}, "required"),
        ({"version": "abc"}, "whole number"),
        ({"name": "n" * 201}, "at most 200"),
    ],
)
def test_a_bad_edit_is_refused_and_nothing_changes(client, editor, current, data, words):
    client.force_login(editor)
    before = (current.name, current.deadline, current.version)
    post = {"action": "edit", "version": current.version, "name": "New name", "deadline": "2030-01-01", **data}
    response = client.post(round_url(current), post)
    assert response.status_code == 400
    assert words in " ".join(str(error) for errors in response.context["edit_form"].errors.values() for error in errors)
    current.refresh_from_db()
    assert (current.name, current.deadline, current.version) == before


def test_a_deadline_before_the_opening_is_refused_by_the_service(client, editor, current):
    client.force_login(editor)
    early = (current.opens_on - datetime.timedelta(days=1)).isoformat()
    post = {"action": "edit", "version": current.version, "name": "Current round", "deadline": early}
    response = client.post(round_url(current), post)
    assert response.status_code == 400
    current.refresh_from_db()
    assert current.deadline == TODAY + datetime.timedelta(days=10)


def test_closing_needs_the_box_ticked_then_freezes_the_results(client, editor, focal_point_france, current):
    services.round_confirm_unchanged(actor=focal_point_france, round=current, implementations=[item("FR", 1)])
    client.force_login(editor)

    response = client.post(round_url(current), {"action": "close", "version": current.version})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    current.refresh_from_db()
    assert current.is_open

    response = client.post(round_url(current), {"action": "close", "version": current.version, "confirm": "on"})
    assert response.status_code == 302
    current.refresh_from_db()
    assert not current.is_open and current.closed_by == editor
    assert {(r.state.iso2, r.items, r.reported) for r in current.results.all()} == {("FR", 2, 1), ("KE", 2, 0)}
    page = client.get(round_url(current)).content.decode()
    assert "Close the round" not in page and "Closed on" in page


def test_a_stale_close_is_refused(client, editor, administrator, current):
    client.force_login(editor)
    loaded = current.version
    services.round_edit(actor=administrator, round=current, version=loaded, message="Changed meanwhile.")
    response = client.post(round_url(current), {"action": "close", "version": loaded, "confirm": "on"})
    assert response.status_code == 409
    current.refresh_from_db()
    assert current.is_open


def test_an_unknown_action_is_refused(client, editor, current):
    client.force_login(editor)
    response = client.post(round_url(current), {"action": "delete", "version": current.version})
    assert response.status_code == 400
    assert ReportingRound.objects.filter(pk=current.pk, closed_at__isnull=True).exists()


def test_an_unknown_round_is_a_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("staff:round", args=[999999])).status_code == 404
    assert client.get("/staff/rounds/99999999999999999999/").status_code == 404
    assert client.post(reverse("staff:round-confirm", args=[999999]), {"only": 1}).status_code == 404


def test_the_round_list_shows_open_and_closed_rounds(client, editor, cycle, current):
    closed = open_round(editor, cycle, name="Old round", opens_on=datetime.date(2026, 1, 5))
    services.round_close(actor=editor, round=closed, version=closed.version)
    client.force_login(editor)
    response = client.get(reverse("staff:round-list"))
    assert [r.name for r in response.context["open_rounds"]] == ["Current round"]
    assert [(r.name, r.state_count, r.reported_count) for r in response.context["closed_rounds"]] == [
        ("Old round", 2, 0)
    ]


# --- who may see the pages ------------------------------------------------------------------------------


def test_the_round_pages_are_the_secretariats(client, focal_point_france, contributor, current):
    pages = [reverse("staff:round-list"), reverse("staff:round-new"), round_url(current)]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for user in (focal_point_france, contributor, UserFactory(username="no-role")):
        client.force_login(user)
        assert [client.get(page).status_code for page in pages] == [403, 403, 403]


# --- query counts ----------------------------------------------------------------------------------------


def grow(editor, cycle, states: int, numbers):
    """A round of `states` states of the seeded data on commitments `numbers`, with a confirmation
    and a status update in each state."""
    chosen = list(State.objects.order_by("name").values_list("iso2", flat=True)[:states])
    if "FR" not in chosen:
        chosen[-1] = "FR"
    round = open_round(
        editor,
        cycle,
        name=f"Round of {states}",
        states=chosen,
        commitments=numbers,
        opens_on=TODAY - datetime.timedelta(days=5),
        deadline=TODAY + datetime.timedelta(days=5),
    )
    for iso2 in chosen:
        services.round_confirm_unchanged(actor=editor, round=round, implementations=[item(iso2, numbers[0])])
        services.implementation_set_status(
            implementation=item(iso2, numbers[1]), status="planned", actor=editor, comment="Planned."
        )
    return round


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_round_page_runs_the_same_number_of_queries_at_two_sizes(
    client, editor, cycle, django_assert_max_num_queries
):
    client.force_login(editor)
    small = grow(editor, cycle, 2, [1, 2])
    large = grow(editor, cycle, 40, [1, 2, 3, 4, 5, 6])
    assert count_queries(client, round_url(small), django_assert_max_num_queries, 16) == count_queries(
        client, round_url(large), django_assert_max_num_queries, 16
    )


@pytest.mark.parametrize("persona", ["focal_point_france", "editor"])
def test_my_work_runs_the_same_number_of_queries_as_rounds_grow(
    client, request, editor, cycle, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    grow(editor, cycle, 2, [1, 2])
    small = count_queries(client, reverse("staff:my-work"), django_assert_max_num_queries, 30)
    round = ReportingRound.objects.get()  # the same round, grown in states and items
    services.round_edit(
        actor=editor,
        round=round,
        version=round.version,
        states=list(State.objects.order_by("name")[:40]) + [State.objects.get(iso2="FR")],
        commitments=[1, 2, 3, 4, 5, 6, 7],
    )
    large = count_queries(client, reverse("staff:my-work"), django_assert_max_num_queries, 30)
    assert large == small


# --- whatever is posted, never a 500 ---------------------------------------------------------------------

FIELD_VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
    st.sampled_from(["", "on", "edit", "close", "african", "FR", "0", "1", "-1", "1e9", "2026-02-30"]),
).filter(lambda value: "\x00" not in value)
FIELDS = ["action", "version", "name", "deadline", "message", "confirm", "cycle", "opens_on", "commitments"]
FIELDS += ["recommendations", "regional_groups", "states", "invite_stakeholders", "implementation", "only", "note"]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.dictionaries(st.sampled_from(FIELDS), st.lists(FIELD_VALUES, min_size=1, max_size=3), max_size=8))
def test_no_post_to_the_round_doors_is_a_server_error(client, editor, current, data):
    client.force_login(editor)
    for url in (reverse("staff:round-new"), round_url(current), reverse("staff:round-confirm", args=[current.pk])):
        assert client.post(url, data).status_code < 500
