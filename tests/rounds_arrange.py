"""What the reporting-round tests share: a review cycle, a round of France and Kenya on two
commitments, and a clock to record a status update at a given moment. Registered as a plugin in
tests/conftest.py, so its fixtures (`cycle`, `spring`, `current`) serve every test module that
does not define its own of the same name."""

import datetime
from contextlib import contextmanager

import pytest
from django.utils import timezone

from recommendations import services
from recommendations.choices import CycleKind, Status, Track
from recommendations.models import Implementation, ReviewCycle
from tests.arrange import setup_writes

TODAY = datetime.date(2026, 6, 15)


def moment(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), timezone.get_default_timezone())


@contextmanager
def clock(when: datetime.datetime):
    """Writes inside happen at `when`: services read the time through `timezone.now`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: when)
        yield


def make_cycle(slug="test-cycle") -> ReviewCycle:
    with setup_writes():
        return ReviewCycle.objects.create(
            slug=slug,
            name="Test review",
            kind=CycleKind.REGIONAL_REVIEW,
            opens_on=datetime.date(2026, 1, 1),
            closes_on=datetime.date(2026, 12, 31),
        )


def open_round(editor, cycle, *, states=("FR", "KE"), commitments=(1, 2), **kwargs):
    fields = {"name": "Spring round", "opens_on": datetime.date(2026, 6, 1), "deadline": datetime.date(2026, 6, 30)}
    fields.update(kwargs)
    opening = fields["opens_on"] if isinstance(fields["opens_on"], datetime.date) else datetime.date(2026, 6, 1)
    with clock(moment(opening, 9)):
        return services.round_open(
            actor=editor, cycle=cycle, states=list(states), commitments=list(commitments), notify=False, **fields
        )


def item(iso2: str, number: int) -> Implementation:
    return Implementation.objects.select_related("state", "commitment").get(state__iso2=iso2, commitment__number=number)


def report(actor, implementation, when: datetime.datetime, *, status=Status.PLANNED, track=Track.REPORTED, **kw):
    """A status update recorded at `when`, taking effect that day unless `effective_date` says."""
    with clock(when):
        return services.implementation_set_status(
            implementation=implementation,
            status=status,
            actor=actor,
            comment="Reported for the round.",
            track=track,
            effective_date=kw.pop("effective_date", when.date()),
            **kw,
        )


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def spring(editor, cycle, france, kenya):
    """France and Kenya on commitments 1 and 2, from 1 to 30 June 2026."""
    return open_round(editor, cycle, message="Report by June.")


@pytest.fixture
def current(editor, cycle):
    """France and Kenya on commitments 1 and 2, opened five days ago, due in ten days."""
    today = timezone.localdate()
    return open_round(
        editor,
        cycle,
        name="Current round",
        message="Report on commitments 1 and 2.",
        opens_on=today - datetime.timedelta(days=5),
        deadline=today + datetime.timedelta(days=10),
    )
