"""Reporting rounds (issue 20, item 3): the services that open, edit and close a round, confirm
items unchanged and record reminders, each refusal with nothing written; what counts as reported
in a round is tests/test_rounds_progress.py."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from recommendations import rounds, services
from recommendations.choices import Door
from recommendations.models import (
    ChangeRecord,
    ReportingRound,
    RoundConfirmation,
    RoundReminder,
    RoundStateResult,
    State,
)
from recommendations.staff import notifications
from tests.rounds_arrange import clock, item, moment, open_round, report

pytestmark = pytest.mark.django_db

D = datetime.date


def written():
    """What a refused write must leave as it was."""
    return (
        ReportingRound.objects.count(),
        RoundConfirmation.objects.count(),
        RoundStateResult.objects.count(),
        RoundReminder.objects.count(),
        ChangeRecord.objects.count(),
    )


# --- Opening ----------------------------------------------------------------------------------


def test_an_editor_opens_a_round_with_its_items_states_and_a_change_record(editor, cycle, france, kenya):
    spring = open_round(editor, cycle, message="Please report by the end of June.")
    assert spring.slug == "spring-round" and spring.opened_by == editor and spring.version == 1
    assert sorted(spring.states.values_list("iso2", flat=True)) == ["FR", "KE"]
    assert sorted(spring.commitments.values_list("number", flat=True)) == [1, 2]
    assert spring.is_open and spring.has_opened(D(2026, 6, 1)) and not spring.has_opened(D(2026, 5, 31))
    assert spring.is_past_deadline(D(2026, 7, 1)) and not spring.is_past_deadline(D(2026, 6, 30))
    public = ChangeRecord.objects.of(spring).get(is_public=True)
    assert public.door == Door.COMMAND and public.changes["name"]["after"] == "Spring round"
    assert public.changes["states"]["after"] == ["France", "Kenya"]
    assert ChangeRecord.objects.of(spring).filter(is_public=False).get().changes["opened_by"]["after"] == "editor"


def test_a_slug_made_from_the_name_is_made_unique(editor, cycle, france):
    first = open_round(editor, cycle, states=["FR"])
    second = open_round(editor, cycle, states=["FR"])
    assert (first.slug, second.slug) == ("spring-round", "spring-round-2")


def test_a_round_takes_rows_or_their_keys(editor, cycle, france, kenya):
    from recommendations.models import Commitment, Recommendation

    recommendation = Recommendation.objects.first()
    spring = open_round(
        editor,
        cycle,
        states=[france, "ke"],
        commitments=[Commitment.objects.get(number=3), "4"],
        recommendations=[recommendation.code],
    )
    assert sorted(spring.commitments.values_list("number", flat=True)) == [3, 4]
    assert list(spring.recommendations.all()) == [recommendation]
    assert spring.states.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"commitments": []}, "commitments"),
        ({"states": []}, "states"),
        ({"states": ["FR", "XX"]}, "states"),
        ({"commitments": [1, 999]}, "commitments"),
        ({"commitments": ["one"]}, "commitments"),
        ({"opens_on": "2026-06-10", "deadline": "2026-06-09"}, "deadline"),
        ({"deadline": "not a date"}, "deadline"),
        ({"recommendations": ["no-such-code"]}, "recommendations"),
        ({"deadline": D(2026, 5, 31)}, "deadline"),
        ({"name": "  "}, "name"),
        ({"slug": "taken"}, "slug"),
        ({"slug": "not a slug!"}, "slug"),
        ({"message": "Report \u202eby June"}, "message"),
    ],
)
def test_a_bad_round_is_refused_with_its_field_and_nothing_written(editor, cycle, france, change, field):
    open_round(editor, cycle, states=["FR"], slug="taken")
    before = written()
    with pytest.raises(ValidationError) as refused:
        open_round(editor, cycle, **{"states": ["FR"], **change})
    assert field in refused.value.message_dict
    assert written() == before


def test_a_round_without_a_cycle_is_refused(editor, france):
    with pytest.raises(ValidationError) as refused:
        open_round(editor, None, states=["FR"])
    assert "cycle" in refused.value.message_dict and not ReportingRound.objects.exists()


@pytest.mark.parametrize("who", ["focal_point_france", "contributor", "anonymous"])
def test_only_the_secretariat_opens_a_round(request, cycle, france, who):
    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    before = written()
    with pytest.raises(PermissionDenied):
        open_round(actor, cycle, states=["FR"])
    assert written() == before


def test_opening_asks_staff_notifications_for_the_emails_once_it_commits(
    editor, cycle, france, monkeypatch, django_capture_on_commit_callbacks
):
    told = []
    monkeypatch.setattr(notifications, "round_opened", told.append, raising=False)
    with django_capture_on_commit_callbacks(execute=True), clock(moment(D(2026, 6, 1))):
        spring = services.round_open(
            actor=editor,
            cycle=cycle,
            name="Told",
            opens_on=D(2026, 6, 1),
            deadline=D(2026, 6, 2),
            states=["FR"],
            commitments=[1],
        )
    assert told == [spring]


def test_opening_works_without_the_emails_module_function(
    editor, cycle, france, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.delattr(notifications, "round_opened", raising=False)
    with django_capture_on_commit_callbacks(execute=True), clock(moment(D(2026, 6, 1))):
        services.round_open(
            actor=editor,
            cycle=cycle,
            name="Quiet",
            opens_on=D(2026, 6, 1),
            deadline=D(2026, 6, 2),
            states=["FR"],
            commitments=[1],
        )
    assert ReportingRound.objects.filter(name="Quiet").exists()


# --- Editing ----------------------------------------------------------------------------------


def test_an_editor_edits_an_open_round_at_its_version(editor, spring):
    services.round_edit(
        actor=editor, round=spring, version=1, deadline=D(2026, 7, 15), states=["FR"], message="Extended."
    )
    spring.refresh_from_db()
    assert (spring.deadline, spring.message, spring.version) == (D(2026, 7, 15), "Extended.", 2)
    assert list(spring.states.values_list("iso2", flat=True)) == ["FR"]
    record = ChangeRecord.objects.of(spring).filter(is_public=True).first()
    assert record.changes["deadline"] == {"before": "2026-06-30", "after": "2026-07-15"}
    assert record.changes["states"] == {"before": ["France", "Kenya"], "after": ["France"]}


def test_a_stale_round_edit_is_refused_with_nothing_written(editor, spring):
    services.round_edit(actor=editor, round=spring, version=1, name="Renamed")
    before = written()
    with pytest.raises(services.StaleEdit) as stale:
        services.round_edit(actor=editor, round=spring, version=1, name="Mine")
    assert stale.value.current.version == 2 and "version 2" in str(stale.value)
    assert written() == before and ReportingRound.objects.get().name == "Renamed"


@pytest.mark.parametrize(
    "change", [{"deadline": D(2026, 5, 1)}, {"states": []}, {"commitments": [], "recommendations": []}]
)
def test_a_bad_round_edit_is_refused_with_nothing_written(editor, spring, change):
    before = written()
    with pytest.raises(ValidationError):
        services.round_edit(actor=editor, round=spring, version=1, **change)
    assert written() == before and ReportingRound.objects.get().version == 1


def test_a_focal_point_may_not_edit_or_close_a_round(focal_point_france, spring):
    before = written()
    with pytest.raises(PermissionDenied):
        services.round_edit(actor=focal_point_france, round=spring, version=1, name="Mine")
    with pytest.raises(PermissionDenied):
        services.round_close(actor=focal_point_france, round=spring, version=1)
    assert written() == before


# --- Closing ----------------------------------------------------------------------------------


def test_closing_freezes_each_states_result_and_later_updates_change_nothing(editor, focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 10)))
    report(focal_point_france, item("FR", 2), moment(D(2026, 6, 12)))
    report(editor, item("KE", 1), moment(D(2026, 6, 20)))
    with clock(moment(D(2026, 7, 5))):
        services.round_close(actor=editor, round=spring, version=1)
    spring.refresh_from_db()
    assert spring.closed_at == moment(D(2026, 7, 5)) and spring.closed_by == editor and spring.version == 2
    frozen = {r.state.iso2: (r.items, r.reported, r.completed_at) for r in spring.results.select_related("state")}
    assert frozen == {"FR": (2, 2, moment(D(2026, 6, 12))), "KE": (2, 1, None)}
    assert ChangeRecord.objects.filter(content_type__model="roundstateresult").count() == 2

    report(editor, item("KE", 2), moment(D(2026, 7, 6)))  # after the close: not in the round
    with clock(moment(D(2026, 7, 7))):
        after = {p.state.iso2: (p.reported, p.done) for p in rounds.progress(spring)}
    assert after == {"FR": (2, True), "KE": (1, False)}


def test_a_round_closes_once_and_is_then_read_only(editor, focal_point_france, spring):
    services.round_close(actor=editor, round=spring, version=1)
    before = written()
    with pytest.raises(ValidationError, match="closed"):
        services.round_close(actor=editor, round=spring, version=2)
    with pytest.raises(ValidationError, match="closed"):
        services.round_edit(actor=editor, round=spring, version=2, name="Late rename")
    with pytest.raises(ValidationError, match="closed"):
        services.round_confirm_unchanged(actor=focal_point_france, round=spring, implementations=[item("FR", 1)])
    assert written() == before


def test_a_stale_close_is_refused_with_nothing_written(editor, spring):
    services.round_edit(actor=editor, round=spring, version=1, name="Renamed")
    before = written()
    with pytest.raises(services.StaleEdit):
        services.round_close(actor=editor, round=spring, version=1)
    assert written() == before and ReportingRound.objects.get().closed_at is None


# --- "No change, confirmed" -------------------------------------------------------------------


def test_a_focal_point_confirms_items_unchanged_and_they_count_as_reported(focal_point_france, spring):
    with clock(moment(D(2026, 6, 8))):
        confirmed = services.round_confirm_unchanged(
            actor=focal_point_france,
            round=spring,
            implementations=[item("FR", 1), item("FR", 2).pk],
            note="Nothing new since the baseline.",
        )
    assert [c.state.iso2 for c in confirmed] == ["FR", "FR"]
    assert confirmed[0].author_role == "focal_point" and confirmed[0].confirmed_by == focal_point_france
    france = rounds.progress(spring, states=[State.objects.get(iso2="FR")])[0]
    assert (france.reported, france.confirmed, france.done, france.completed_at) == (2, 2, True, moment(D(2026, 6, 8)))
    record = ChangeRecord.objects.filter(content_type__model="roundconfirmation", is_public=True).first()
    assert record.state.iso2 == "FR" and record.changes["note"]["after"] == "Nothing new since the baseline."


IN_THE_ROUND = moment(D(2026, 6, 8))


def refused(actor, spring, implementations, *, when=IN_THE_ROUND, note="", error=ValidationError):
    before = written()
    with clock(when), pytest.raises(error) as found:
        services.round_confirm_unchanged(actor=actor, round=spring, implementations=implementations, note=note)
    assert written() == before
    return " ".join(getattr(found.value, "messages", [str(found.value)]))


def test_confirming_before_the_round_opens_is_refused(focal_point_france, spring):
    assert "opens on" in refused(focal_point_france, spring, [item("FR", 1)], when=moment(D(2026, 5, 31)))


def test_confirming_an_item_outside_the_round_is_refused_for_all(focal_point_france, spring):
    assert "Not in this round" in refused(focal_point_france, spring, [item("FR", 1), item("FR", 3)])


def test_confirming_an_unknown_or_no_item_is_refused(focal_point_france, spring):
    assert "no such tracked item" in refused(focal_point_france, spring, [10**9])
    assert "at least one" in refused(focal_point_france, spring, [])


def test_a_focal_point_may_not_confirm_another_states_items(focal_point_france, spring):
    refused(focal_point_france, spring, [item("FR", 1), item("KE", 1)], error=PermissionDenied)


@pytest.mark.parametrize("who", ["contributor", "anonymous"])
def test_no_one_outside_staff_confirms(request, spring, who):
    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    refused(actor, spring, [item("FR", 1)], error=PermissionDenied)


def test_an_item_reported_in_the_round_cannot_be_confirmed_again(focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 5)))
    assert "Already reported" in refused(focal_point_france, spring, [item("FR", 2), item("FR", 1)])
    with clock(moment(D(2026, 6, 8))):
        services.round_confirm_unchanged(actor=focal_point_france, round=spring, implementations=[item("FR", 2)])
    assert "Already reported" in refused(focal_point_france, spring, [item("FR", 2)])


def test_a_note_with_control_characters_or_too_long_is_refused(focal_point_france, spring):
    assert refused(focal_point_france, spring, [item("FR", 1)], note="no \u202echange")
    assert "too long" in refused(focal_point_france, spring, [item("FR", 1)], note="x" * 2001)


def test_an_editor_confirms_for_any_state(editor, spring):
    with clock(moment(D(2026, 6, 8))):
        services.round_confirm_unchanged(actor=editor, round=spring, implementations=[item("KE", 1)])
    assert RoundConfirmation.objects.get().author_role == "editor"


# --- Reminders --------------------------------------------------------------------------------


def test_a_reminder_is_recorded_once_per_state_and_kind_by_the_scheduled_door(spring, france, kenya):
    first = services.round_reminder_record(round=spring, state=france, kind="before", recipients=2)
    assert first.recipients == 2
    assert services.round_reminder_record(round=spring, state=france, kind="before", recipients=2) is None
    assert services.round_reminder_record(round=spring, state=kenya, kind="before", recipients=1)
    assert services.round_reminder_record(round=spring, state=france, kind="after", recipients=0)
    record = ChangeRecord.objects.of(first).get()
    assert (record.door, record.actor, record.is_public) == (Door.SCHEDULED, None, False)
    assert RoundReminder.objects.count() == 3


def test_an_unknown_reminder_kind_is_refused(spring, france):
    before = written()
    with pytest.raises(ValidationError):
        services.round_reminder_record(round=spring, state=france, kind="weekly", recipients=1)
    assert written() == before


# --- Cache scopes -----------------------------------------------------------------------------


def touched(write):
    """The public scopes a write declared (pending until the test's transaction would commit)."""
    from gcmtracker import scopes

    scopes.forget_pending()
    write()
    return set(scopes.pending())


def test_each_round_write_touches_the_aggregates_and_the_states_it_concerns(editor, focal_point_france, cycle, spring):
    assert touched(lambda: open_round(editor, cycle, states=["FR", "KE"], name="Touching")) >= {
        "aggregates",
        "state:FR",
        "state:KE",
    }
    assert touched(lambda: services.round_edit(actor=editor, round=spring, version=1, states=["FR"])) >= {
        "aggregates",
        "state:FR",
        "state:KE",  # Kenya's page loses the round
    }
    with clock(IN_THE_ROUND):
        found = touched(
            lambda: services.round_confirm_unchanged(
                actor=focal_point_france, round=spring, implementations=[item("FR", 1)]
            )
        )
    assert found >= {"aggregates", "state:FR", "commitment:1"} and "state:KE" not in found
    services.round_edit(actor=editor, round=spring, version=2, states=["FR", "KE"])
    assert touched(lambda: services.round_close(actor=editor, round=spring, version=3)) >= {
        "aggregates",
        "state:FR",
        "state:KE",
    }
    assert (
        touched(
            lambda: services.round_reminder_record(
                round=spring, state=spring.states.first(), kind="after", recipients=1
            )
        )
        == set()
    )
