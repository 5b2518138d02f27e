"""What counts as reported in a reporting round (recommendations/rounds.py): a status update on
the reported track recorded inside the round's window, or a "no change, confirmed"; late after
the deadline; the frozen results once closed; who sees which round; a constant query count."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from recommendations import rounds, services
from recommendations.choices import Status, Track
from recommendations.models import Recommendation, State
from tests.factories import ImplementationFactory, StateFactory
from tests.rounds_arrange import clock, item, moment, open_round, report

pytestmark = pytest.mark.django_db

D = datetime.date


def by_state(spring, **kwargs):
    return {p.state.iso2: p for p in rounds.progress(spring, **kwargs)}


def test_a_status_update_recorded_inside_the_window_counts(focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 1), 0))  # the opening day counts from 00:00
    france = by_state(spring)["FR"]
    assert (france.items, france.reported, france.percent, france.done) == (2, 1, 50, False)
    assert france.last_reported_at == moment(D(2026, 6, 1), 0) and france.completed_at is None


def test_a_status_update_recorded_before_the_round_opened_does_not_count(focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 5, 31), 23))
    assert by_state(spring)["FR"].reported == 0


def test_the_recorded_date_counts_not_the_effective_date(focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 3)), effective_date=D(2026, 3, 1))
    assert by_state(spring)["FR"].reported == 1


def test_an_assessment_by_the_secretariat_is_not_a_report(editor, spring):
    report(editor, item("FR", 1), moment(D(2026, 6, 3)), track=Track.ASSESSED, status=Status.IN_PROGRESS)
    assert by_state(spring)["FR"].reported == 0


def test_a_state_has_reported_when_every_item_is_by_update_or_confirmation(focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 3)))
    with clock(moment(D(2026, 6, 9))):
        services.round_confirm_unchanged(actor=focal_point_france, round=spring, implementations=[item("FR", 2)])
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 12)), status=Status.IN_PROGRESS)
    france = by_state(spring)["FR"]
    assert (france.reported, france.confirmed, france.done, france.late) == (2, 1, True, False)
    assert france.completed_at == moment(D(2026, 6, 9)) and france.last_reported_at == moment(D(2026, 6, 12))


def test_a_report_after_the_deadline_but_before_the_close_counts_and_is_late(focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 30), 23))
    assert not by_state(spring)["FR"].late  # the deadline's whole day is in time
    report(focal_point_france, item("FR", 2), moment(D(2026, 7, 1), 0))
    france = by_state(spring)["FR"]
    assert france.done and france.late and france.completed_at == moment(D(2026, 7, 1), 0)
    kenya = by_state(spring)["KE"]
    assert not kenya.late and kenya.reported == 0


def test_a_partial_report_after_the_deadline_is_late(focal_point_kenya, spring):
    report(focal_point_kenya, item("KE", 1), moment(D(2026, 7, 2)))
    assert by_state(spring)["KE"].late


def test_the_frozen_results_keep_late_and_confirmed(editor, focal_point_france, spring):
    with clock(moment(D(2026, 6, 9))):
        services.round_confirm_unchanged(actor=focal_point_france, round=spring, implementations=[item("FR", 2)])
    report(focal_point_france, item("FR", 1), moment(D(2026, 7, 2)))
    live = by_state(spring)["FR"]
    services.round_close(actor=editor, round=spring, version=1)
    frozen = by_state(spring)["FR"]
    assert (frozen.reported, frozen.confirmed, frozen.late, frozen.completed_at) == (2, 1, True, live.completed_at)
    assert frozen.left == []


def test_a_recommendation_a_state_does_not_track_is_not_in_its_round(administrator, editor, cycle, france, kenya):
    recommendation = Recommendation.objects.first()
    services.implementation_track(actor=administrator, state=france, recommendation=recommendation)
    spring = open_round(editor, cycle, commitments=[1], recommendations=[recommendation])
    found = by_state(spring, with_left=True)
    assert (found["FR"].items, found["KE"].items) == (2, 1)
    assert [i.recommendation for i in found["FR"].left if i.recommendation_id] == [recommendation]


def test_left_lists_what_is_not_reported_yet(focal_point_france, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 3)))
    france = by_state(spring, with_left=True)["FR"]
    assert [i.commitment.number for i in france.left] == [2]
    assert by_state(spring)["FR"].left == []


def test_progress_of_some_states_only(spring):
    assert list(by_state(spring, states=[State.objects.get(iso2="KE")])) == ["KE"]


def test_summary_and_regional_groups(focal_point_france, focal_point_kenya, spring):
    report(focal_point_france, item("FR", 1), moment(D(2026, 6, 3)))
    report(focal_point_france, item("FR", 2), moment(D(2026, 6, 3)))
    report(focal_point_kenya, item("KE", 2), moment(D(2026, 6, 4)))
    found = rounds.progress(spring)
    assert rounds.summary(spring, found) == {
        "states": 2,
        "reported": 1,
        "started": 1,
        "late": 0,
        "items": 4,
        "items_reported": 3,
    }
    groups = rounds.by_regional_group(found)
    assert [(label, [p.state.iso2 for p in members]) for label, members in groups] == [
        ("African States", ["KE"]),
        ("Western European and other States", ["FR"]),
    ]


def test_who_sees_which_open_round(editor, cycle, focal_point_france, focal_point_kenya, contributor, spring):
    french_only = open_round(editor, cycle, states=["FR"], name="French round")
    later = open_round(editor, cycle, states=["FR"], name="Later", opens_on=D(2099, 1, 1), deadline=D(2099, 2, 1))
    closed = open_round(editor, cycle, states=["FR"], name="Closed")
    services.round_close(actor=editor, round=closed, version=1)
    assert set(rounds.open_rounds_for(focal_point_france)) == {spring, french_only}
    assert list(rounds.open_rounds_for(focal_point_kenya)) == [spring]
    assert set(rounds.open_rounds_for(editor)) == {spring, french_only}
    assert later.has_opened(D(2099, 1, 1))
    assert not rounds.open_rounds_for(contributor).exists()
    assert not rounds.open_rounds_for(AnonymousUser()).exists()


def test_stakeholder_reports_count_for_the_round_when_approved_inside_its_window(editor, cycle, contributor, spring):
    def submitted(commitment, approve=True):
        found = services.report_submit(
            actor=contributor, state="FR", commitment=commitment, assessment=Status.PLANNED, narrative="Seen."
        )
        return services.report_moderate(actor=editor, report=found, decision="approve") if approve else found

    inside = submitted(1)
    submitted(5)  # not a round item
    waiting = submitted(2, approve=False)
    assert list(rounds.stakeholder_reports_in_round(spring)) == [inside]
    assert waiting.pk not in rounds.stakeholder_reports_in_round(spring).values_list("pk", flat=True)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    later = open_round(editor, cycle, states=["FR"], commitments=[1], opens_on=tomorrow, deadline=tomorrow)
    assert not rounds.stakeholder_reports_in_round(later).exists()  # submitted before it opened


def grown_round(editor, cycle, focal_point, n_states, commitments):
    states = [StateFactory() for _ in range(n_states)]
    for state in states:
        for number in commitments:
            ImplementationFactory(state=state, commitment=item("FR", number).commitment)
    spring = open_round(editor, cycle, states=[s.iso2 for s in states] + ["FR"], commitments=commitments)
    for number in commitments:
        report(editor, item("FR", number), moment(D(2026, 6, 3)))
    for state in states[: n_states // 2]:
        report(editor, state.implementations.first(), moment(D(2026, 6, 4)))
    return spring


@pytest.mark.parametrize(("n_states", "commitments"), [(2, [1, 2]), (30, [1, 2, 3, 4, 5, 6, 7, 8])])
def test_progress_takes_a_constant_number_of_queries(
    editor, cycle, focal_point_france, n_states, commitments, django_assert_max_num_queries
):
    spring = grown_round(editor, cycle, focal_point_france, n_states, commitments)
    with django_assert_max_num_queries(4):
        found = rounds.progress(spring, with_left=True)
        rounds.summary(spring, found)
        rounds.by_regional_group(found)
        [p.left[0].item_label for p in found if p.left]
    assert len(found) == n_states + 1 and sum(p.done for p in found) == 1
    services.round_close(actor=editor, round=spring, version=1)
    with django_assert_max_num_queries(1):
        assert len(rounds.progress(spring)) == n_states + 1


def test_the_rounds_inviting_stakeholders_are_running_ones_that_invite(editor, cycle, france):
    inviting = open_round(editor, cycle, states=["FR"], name="Inviting", invite_stakeholders=True)
    open_round(editor, cycle, states=["FR"], name="Not inviting")
    ahead = open_round(
        editor,
        cycle,
        states=["FR"],
        name="Ahead",
        invite_stakeholders=True,
        opens_on=D(2099, 1, 1),
        deadline=D(2099, 1, 2),
    )
    closed = open_round(editor, cycle, states=["FR"], name="Closed", invite_stakeholders=True)
    services.round_close(actor=editor, round=closed, version=1)
    assert list(rounds.inviting_stakeholders()) == [inviting]
    assert set(rounds.inviting_stakeholders(D(2099, 1, 1))) == {inviting, ahead}


def test_a_rounds_emails_go_to_the_states_focal_points_only(
    focal_point_france, focal_point_kenya, editor, contributor, france, kenya, django_assert_num_queries
):
    from recommendations import permissions
    from tests.factories import UserFactory

    UserFactory(username="fp_no_email", email="", role="focal_point", states=[france])
    UserFactory(username="fp_left", is_active=False, role="focal_point", states=[france])
    UserFactory(username="editor_with_scope", role="editor", states=[france])
    with django_assert_num_queries(1):
        found = permissions.focal_points_by_state([france.pk, kenya.pk])
    assert found == {france.pk: [focal_point_france], kenya.pk: [focal_point_kenya]}
    assert list(permissions.round_focal_points([france.pk])) == [focal_point_france]
