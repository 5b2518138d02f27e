"""Reporting rounds on a focal point's side: My work lists each open round that names one of
their states, with its message, deadline, a progress bar per state and the items left (each a
link to its implementation page and a "no change, confirmed" button); the confirm door takes one
item or the ticked ones with a note, all or none, and refuses bad input with a message and
nothing written. An editor's My work gives each open round's overall progress."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import RoundConfirmation
from tests.rounds_arrange import item, open_round

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def confirm_url(round):
    return reverse("staff:round-confirm", args=[round.pk])


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- "no change, confirmed" -------------------------------------------------------------------------------


def test_a_focal_point_confirms_one_item_unchanged_from_its_button(client, focal_point_france, current):
    client.force_login(focal_point_france)
    france1 = item("FR", 1)
    response = client.post(confirm_url(current), {"only": france1.pk, "implementation": [item("FR", 2).pk]})
    assert response.status_code == 302 and response["Location"] == reverse("staff:my-work")
    confirmation = RoundConfirmation.objects.get()
    assert (confirmation.implementation, confirmation.confirmed_by, confirmation.note) == (
        france1,
        focal_point_france,
        "",
    )
    assert texts(response) == ["1 item confirmed: no change in this round."]


def test_a_focal_point_confirms_the_ticked_items_with_a_note(client, focal_point_france, current):
    client.force_login(focal_point_france)
    ids = [item("FR", 1).pk, item("FR", 2).pk]
    response = client.post(
        confirm_url(current), {"implementation": ids, "note": "Nothing moved since March.", "next": "/staff/#r"}
    )
    assert response["Location"] == "/staff/#r"
    assert sorted(RoundConfirmation.objects.values_list("implementation_id", "note")) == [
        (pk, "Nothing moved since March.") for pk in sorted(ids)
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, "Tick at least one item"),
        ({"implementation": ["abc"]}, "not recognised"),
        ({"implementation": ["-3"]}, "not recognised"),
        ({"implementation": ["99999999999999999999"]}, "not recognised"),
        ({"only": str(2**64)}, "less than or equal to"),
        ({"only": "x"}, "whole number"),
        ({"implementation": ["999999"]}, "no such tracked item"),
        ({"only": "FR3", "note": "n"}, "whole number"),
        ({"note": "n" * 2001, "implementation": ["FR1"]}, "at most 2000"),
    ],
)
def test_bad_confirmations_are_refused_with_a_message_and_nothing_written(
    client, focal_point_france, current, data, words
):
    client.force_login(focal_point_france)
    data = {key: ([str(item("FR", 1).pk)] if value == ["FR1"] else value) for key, value in data.items()}
    response = client.post(confirm_url(current), data)
    assert response.status_code == 302
    assert any(words in text for text in texts(response)), texts(response)
    assert all(text.startswith("Nothing was confirmed") for text in texts(response))
    assert not RoundConfirmation.objects.exists()


def test_items_not_in_the_round_or_already_reported_are_refused_all_or_none(client, focal_point_france, current):
    client.force_login(focal_point_france)
    outside = item("FR", 5)
    response = client.post(confirm_url(current), {"implementation": [item("FR", 1).pk, outside.pk]})
    assert any("Not in this round" in text for text in texts(response))
    assert not RoundConfirmation.objects.exists()

    client.post(confirm_url(current), {"only": item("FR", 1).pk})
    response = client.post(confirm_url(current), {"implementation": [item("FR", 1).pk, item("FR", 2).pk]})
    assert any("Already reported" in text for text in texts(response))
    assert RoundConfirmation.objects.count() == 1


def test_a_focal_point_cannot_confirm_another_states_item(client, focal_point_france, current):
    client.force_login(focal_point_france)
    response = client.post(confirm_url(current), {"implementation": [item("FR", 1).pk, item("KE", 1).pk]})
    assert response.status_code == 403
    assert not RoundConfirmation.objects.exists()


def test_nothing_is_confirmed_in_a_closed_round(client, editor, focal_point_france, current):
    services.round_close(actor=editor, round=current, version=current.version)
    client.force_login(focal_point_france)
    response = client.post(confirm_url(current), {"only": item("FR", 1).pk})
    assert response.status_code == 302 and texts(response)
    assert not RoundConfirmation.objects.exists()


def test_the_confirm_door_goes_back_only_to_local_addresses(client, focal_point_france, current):
    client.force_login(focal_point_france)
    response = client.post(confirm_url(current), {"only": item("FR", 1).pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("staff:my-work")


# --- My work ---------------------------------------------------------------------------------------------


def test_my_work_shows_a_focal_point_their_open_rounds_with_what_is_left(
    client, editor, cycle, focal_point_france, current
):
    services.round_confirm_unchanged(actor=focal_point_france, round=current, implementations=[item("FR", 1)])
    later = TODAY + datetime.timedelta(days=30)
    closed = open_round(
        editor, cycle, name="Closed round", opens_on=TODAY - datetime.timedelta(days=40), deadline=later
    )
    services.round_close(actor=editor, round=closed, version=closed.version)
    open_round(
        editor, cycle, name="Kenya only", states=["KE"], opens_on=TODAY - datetime.timedelta(days=3), deadline=later
    )
    open_round(
        editor, cycle, name="Not yet open", states=["FR"], opens_on=TODAY + datetime.timedelta(days=3), deadline=later
    )

    client.force_login(focal_point_france)
    response = client.get(reverse("staff:my-work"))

    [entry] = response.context["round_work"]
    assert entry["round"] == current
    [france] = entry["progresses"]
    assert (france.state.iso2, france.items, france.reported) == ("FR", 2, 1)
    assert [i.pk for i in france.left] == [item("FR", 2).pk]
    content = response.content.decode()
    assert "Report on commitments 1 and 2." in content
    assert item("FR", 2).get_absolute_url() in content
    assert f'name="only" value="{item("FR", 2).pk}"' in content
    assert f'value="{item("FR", 1).pk}"' not in content
    assert "Kenya only" not in content and "Closed round" not in content and "Not yet open" not in content


def test_my_work_thanks_a_state_that_reported_everything(client, focal_point_france, current):
    services.round_confirm_unchanged(
        actor=focal_point_france, round=current, implementations=[item("FR", 1), item("FR", 2)]
    )
    client.force_login(focal_point_france)
    content = client.get(reverse("staff:my-work")).content.decode()
    assert "Every item is reported in this round" in content and "No change, confirmed</button>" not in content


def test_my_work_shows_an_editor_every_open_round_with_its_overall_progress(client, editor, current):
    client.force_login(editor)
    response = client.get(reverse("staff:my-work"))
    [entry] = response.context["round_work"]
    assert entry["summary"]["states"] == 2 and entry["summary"]["items"] == 4
    assert reverse("staff:round", args=[current.pk]) in response.content.decode()


def test_my_work_without_a_round_has_no_round_section_for_a_focal_point(client, focal_point_france):
    client.force_login(focal_point_france)
    response = client.get(reverse("staff:my-work"))
    assert response.context["round_work"] == []
    assert b"rounds-heading" not in response.content


def test_the_implementation_page_says_the_item_is_in_a_running_round(
    client, editor, cycle, focal_point_france, current
):
    client.force_login(focal_point_france)
    content = client.get(item("FR", 1).get_absolute_url()).content.decode()
    assert "This item is in the reporting round “Current round”" in content
    assert f"#round-{current.pk}-heading" in content
    # Commitment 5 is not in the round; a round not open yet is not mentioned either.
    later = TODAY + datetime.timedelta(days=30)
    open_round(editor, cycle, name="Later round", states=["FR"], commitments=[5], opens_on=later, deadline=later)
    content = client.get(item("FR", 5).get_absolute_url()).content.decode()
    assert "This item is in the reporting round" not in content


def test_a_state_with_no_item_in_the_round_is_told_there_is_nothing_to_report(client, editor, cycle, focal_point_kenya):
    from tests.factories import ImplementationFactory, RecommendationFactory

    tracked = RecommendationFactory()
    ImplementationFactory(state=item("FR", 1).state, commitment=None, recommendation=tracked)
    open_round(
        editor,
        cycle,
        commitments=[],
        recommendations=[tracked],
        opens_on=TODAY - datetime.timedelta(days=1),
        deadline=TODAY + datetime.timedelta(days=9),
    )
    client.force_login(focal_point_kenya)
    content = client.get(reverse("staff:my-work")).content.decode()
    assert "nothing to report" in content and "No change, confirmed</button>" not in content
