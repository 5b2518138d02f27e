"""The demo's reporting rounds (`manage.py demo`), on a demo review cycle of this year:

- an open round, opened three weeks ago, its deadline three days ago, on three commitments and
  a recommendation that only France and Kenya track, for France, Kenya and ten other states:
  some complete, some partly reported, one complete with a "no change, confirmed", one late,
  two not started; France and Kenya count what the demo's history recorded today (late, then),
  and France has the recommendation left for demo-fp-fr to report on "my work";
- an earlier round, closed four months ago, on two commitments for eight of those states, whose
  results are frozen (one of them late).

A round counts what was *recorded* during it, and the demo writes everything in one run: the
rounds' reports are written as if on the days they say (`_on`), through the services like any
report. The change records still carry the day the demo ran. All flagged demo.
"""

import datetime
import random
from contextlib import contextmanager

from django.utils import timezone

from recommendations import services
from recommendations.choices import CycleKind, Status, Track
from recommendations.models import Commitment, Implementation, Recommendation, ReviewCycle, State

CYCLE = ("demo-regional-reviews-current", "[Demo] Regional reviews (this year)")
OPEN_COMMITMENTS = [2, 4, 8]
CLOSED_COMMITMENTS = [1, 3]
# For each of the ten other states of the open round: the days (before today) each of its three
# commitments was reported, None for not reported, "confirmed" for "no change, confirmed".
OPEN_PLAN = [
    (-18, -15, -12),
    (-17, -16, -10),
    (-14, -9, -6),
    (-20, -11, -5),
    (-13, "confirmed", "confirmed"),
    (-16, -12, -1),  # the last one after the deadline: late
    (-8, None, -4),
    (-7, None, None),
    (None, None, None),
    (None, None, None),
]
# For eight of them in the earlier round (two commitments), days before today.
CLOSED_PLAN = [
    (-160, -155),
    (-158, -150),
    (-152, -146),
    (-149, -142),
    (-157, -135),
    (-151, None),
    (None, -148),
    (None, None),
]


@contextmanager
def _on(day: datetime.date, hour: int = 10):
    """Writes inside are made as if on `day` (the services read the time from `timezone.now`)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


def build(*, admin, editor, focal_points: dict, history_states, seed: int) -> dict:
    """Write the demo's cycle and rounds; returns the ids of the implementations reported on
    (for the demo flag) and how many rounds."""
    today = timezone.localdate()
    rng = random.Random(seed)
    cycle = services.record_save(
        actor=admin,
        instance=ReviewCycle(
            slug=CYCLE[0],
            name=CYCLE[1],
            kind=CycleKind.REGIONAL_REVIEW,
            opens_on=today - datetime.timedelta(days=180),
            closes_on=today + datetime.timedelta(days=120),
            description="Demo review cycle created by `manage.py demo`, with two reporting rounds; not a real review.",
            is_demo=True,
        ),
    )
    france, kenya = State.objects.get(iso2="FR"), State.objects.get(iso2="KE")
    others = list(State.objects.exclude(pk__in=[s.pk for s in history_states]).order_by("iso2"))
    others = rng.sample(others, len(OPEN_PLAN))
    touched = set()

    def day(offset):
        return today + datetime.timedelta(days=offset)

    def reported(implementation, offset, status):
        with _on(day(offset)):
            services.implementation_set_status(
                implementation=implementation,
                actor=editor,
                status=status,
                comment="[Demo] Reported for the round.",
                effective_date=day(offset),
                is_demo=True,
            )
        touched.add(implementation.pk)

    items = {
        (row.state_id, row.commitment.number): row
        for row in Implementation.objects.filter(
            state__in=others, commitment__number__in=OPEN_COMMITMENTS + CLOSED_COMMITMENTS
        ).select_related("state", "commitment")
    }

    # The earlier round: opened, reported in, closed, all months ago.
    with _on(day(-170)):
        earlier = services.round_open(
            actor=editor,
            cycle=cycle,
            name="[Demo] First reporting round",
            slug="demo-first-round",
            opens_on=day(-170),
            deadline=day(-140),
            message="[Demo] Please report on commitments 1 and 3 before the regional consultation.",
            commitments=Commitment.objects.filter(number__in=CLOSED_COMMITMENTS),
            states=others[: len(CLOSED_PLAN)],
            is_demo=True,
            notify=False,
        )
    for state, plan in zip(others, CLOSED_PLAN, strict=False):
        for number, offset in zip(CLOSED_COMMITMENTS, plan, strict=True):
            if offset is not None:
                reported(items[state.pk, number], offset, Status.PLANNED)
    with _on(day(-130)):
        services.round_close(actor=editor, round=earlier, version=earlier.version)

    # The open round, with a recommendation only France and Kenya track.
    recommendation = (
        Recommendation.objects.filter(parent__isnull=True)
        .exclude(implementations__state__in=[france, kenya])
        .order_by("document", "order")
        .first()
    )
    tracked = [
        services.implementation_track(actor=admin, state=state, recommendation=recommendation, is_demo=True)
        for state in (france, kenya)
    ]
    touched.update(row.pk for row in tracked)
    with _on(day(-21)):
        current = services.round_open(
            actor=editor,
            cycle=cycle,
            name="[Demo] Reporting round before the regional review",
            slug="demo-regional-review-round",
            opens_on=day(-21),
            deadline=day(-3),
            message="[Demo] Please update the status of commitments 2, 4 and 8 (and, where you track it, "
            "the recommendation) before the regional review. If nothing changed, confirm it.",
            commitments=Commitment.objects.filter(number__in=OPEN_COMMITMENTS),
            recommendations=[recommendation],
            states=[france, kenya, *others],
            invite_stakeholders=True,
            is_demo=True,
            notify=False,
        )
    for state, plan in zip(others, OPEN_PLAN, strict=True):
        confirmed = []
        for number, offset in zip(OPEN_COMMITMENTS, plan, strict=True):
            if offset == "confirmed":
                confirmed.append(items[state.pk, number])
            elif offset is not None:
                reported(items[state.pk, number], offset, Status.IN_PROGRESS)
        if confirmed:
            with _on(day(-7)):
                services.round_confirm_unchanged(
                    actor=editor,
                    round=current,
                    implementations=confirmed,
                    note="[Demo] No change since the last round.",
                )
    kenya_item = Implementation.objects.select_related("state").get(pk=tracked[1].pk)
    with _on(day(-2)):
        services.implementation_set_status(
            implementation=kenya_item,
            actor=focal_points["KE"],
            status=Status.PLANNED,
            track=Track.REPORTED,
            comment="[Demo] A plan is adopted.",
            is_demo=True,
        )
    return {"touched": touched, "rounds": 2}
