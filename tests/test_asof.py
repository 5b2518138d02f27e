"""Status as of a date, cycle comparisons and progress over time come from the history alone."""

import datetime

import pytest

from recommendations import services
from recommendations.choices import Status, Track
from recommendations.models import Implementation
from recommendations.review import asof
from tests.factories import EvidenceFactory, ImplementationFactory, StateFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def set_status(implementation, status, actor, on, track=Track.REPORTED, evidence=()):
    return services.implementation_set_status(
        implementation=implementation,
        status=status,
        actor=actor,
        comment=f"{status} on {on}",
        rationale="r",
        track=track,
        effective_date=on,
        evidence=evidence,
    )


@pytest.fixture
def history(implementation_france, editor):
    evidence = EvidenceFactory(implementation=implementation_france)
    services.evidence_verify(evidence=evidence, actor=editor, publish=True)
    set_status(implementation_france, Status.PLANNED, editor, D(2020, 3, 1))
    set_status(implementation_france, Status.IN_PROGRESS, editor, D(2021, 6, 1))
    set_status(implementation_france, Status.IMPLEMENTED, editor, D(2022, 9, 1), evidence=[evidence])
    set_status(
        implementation_france,
        Status.PARTIALLY_IMPLEMENTED,
        editor,
        D(2022, 1, 1),
        track=Track.ASSESSED,
        evidence=[evidence],
    )
    return implementation_france


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (D(2020, 2, 29), Status.NO_INFORMATION),
        (D(2020, 3, 1), Status.PLANNED),
        (D(2021, 12, 31), Status.IN_PROGRESS),
        (D(2030, 1, 1), Status.IMPLEMENTED),
    ],
)
def test_status_as_of_a_date_is_the_latest_update_on_or_before_it(history, on, status):
    row = asof.with_status_as_of(Implementation.objects.filter(pk=history.pk), on).get()
    assert row.then_status == status


def test_the_two_tracks_have_separate_histories(history):
    row = asof.with_status_as_of(Implementation.objects.filter(pk=history.pk), D(2022, 6, 1)).get()
    assert (row.then_status, row.then_assessment) == (Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED)


def test_as_of_today_agrees_with_the_cached_current_status(history):
    row = asof.with_status_as_of(Implementation.objects.filter(pk=history.pk), datetime.date.today()).get()
    assert (
        (row.then_status, row.then_assessment)
        == (history.status, history.assessment)
        == (Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED)
    )


def test_comparison_counts_moves_and_lists_the_updates_and_public_evidence_between(history):
    result = asof.compare(Implementation.objects.filter(pk=history.pk), D(2020, 12, 31), D(2022, 12, 31))
    (change,) = [c for c in result.changes if c.implementation.pk == history.pk]
    assert (change.before, change.after, change.direction) == (Status.PLANNED, Status.IMPLEMENTED, "up")
    assert [u.status for u in change.updates] == [Status.IN_PROGRESS, Status.IMPLEMENTED]
    assert [e.title for e in change.updates[-1].evidence.all()] == [history.evidence.get().title]
    assert result.per_commitment[history.commitment]["up"] == 1


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        (Status.PLANNED, Status.IN_PROGRESS, "up"),
        (Status.IMPLEMENTED, Status.PLANNED, "down"),
        (Status.PLANNED, Status.PLANNED, "same"),
        (Status.NO_INFORMATION, Status.NOT_STARTED, "up"),
        (Status.IN_PROGRESS, Status.NOT_APPLICABLE, "changed"),
    ],
)
def test_movement(before, after, direction):
    assert asof.movement(before, after) == direction


def test_month_ends_cover_the_range():
    assert asof.month_ends(D(2021, 11, 15), D(2022, 2, 10)) == [
        D(2021, 11, 30),
        D(2021, 12, 31),
        D(2022, 1, 31),
        D(2022, 2, 10),
    ]


def test_queries_do_not_grow_with_history(editor, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            implementation = ImplementationFactory(state=StateFactory())
            set_status(implementation, Status.PLANNED, editor, D(2020, 1, 1))
            set_status(implementation, Status.IN_PROGRESS, editor, D(2021, 1, 1))

    queryset = Implementation.objects.all()
    for size in (3, 30):
        grow(size)
        with django_assert_max_num_queries(3):
            asof.compare(queryset, D(2020, 6, 1), D(2021, 6, 1))
        with django_assert_max_num_queries(1):
            asof.status_counts_as_of(queryset, D(2020, 6, 1))
