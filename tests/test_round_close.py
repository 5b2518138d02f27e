"""Closing a reporting round (issue 20): its frozen results and their change records are written in
bulk, so the close takes the same number of queries for 3 states as for 60, and each result row
still has its own public change record, as `changes.record` writes one."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from recommendations import services
from recommendations.models import ChangeRecord, RoundStateResult, State
from tests.rounds_arrange import item, moment, open_round, report

pytestmark = pytest.mark.django_db


def a_round(editor, cycle, count, slug):
    states = list(State.objects.order_by("iso2").values_list("iso2", flat=True)[:count])
    return open_round(editor, cycle, states=states, slug=slug, name=f"Round of {count}")


def closing_queries(editor, made, django_assert_max_num_queries) -> int:
    ContentType.objects.get_for_model(RoundStateResult)  # cached once a process, whatever the size
    with django_assert_max_num_queries(24) as counted:
        services.round_close(actor=editor, round=made, version=made.version)
    return len(counted.captured_queries)


def test_closing_a_round_takes_the_same_queries_for_three_and_for_sixty_states(
    editor, cycle, django_assert_max_num_queries
):
    few = closing_queries(editor, a_round(editor, cycle, 3, "t-few"), django_assert_max_num_queries)
    more = closing_queries(editor, a_round(editor, cycle, 60, "t-more"), django_assert_max_num_queries)
    assert few == more
    assert RoundStateResult.objects.count() == 63


def test_each_frozen_result_has_its_own_public_change_record(editor, cycle, focal_point_france):
    spring = open_round(editor, cycle)
    report(focal_point_france, item("FR", 1), moment(datetime.date(2026, 6, 10)))
    services.round_close(actor=editor, round=spring, version=spring.version)
    kind = ContentType.objects.get_for_model(RoundStateResult)
    for result in RoundStateResult.objects.filter(round=spring).select_related("state"):
        (record,) = ChangeRecord.objects.filter(content_type=kind, object_id=str(result.pk))
        assert (record.action, record.is_public, record.actor, record.state_id) == (
            "created",
            True,
            editor,
            result.state_id,
        )
        assert record.object_repr == str(result)
        assert record.changes["state"] == {
            "before": None,
            "after": str(result.state),
            "before_id": None,
            "after_id": result.state_id,
        }
        assert record.changes["round"]["after"] == str(spring) and record.changes["items"]["after"] == 2
    france = RoundStateResult.objects.get(round=spring, state__iso2="FR")
    assert (france.items, france.reported) == (2, 1)
