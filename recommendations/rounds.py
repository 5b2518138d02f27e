"""Reads of reporting rounds (issue 20, item 3): who has reported in a round, how far and when.
A floor below the pages, the API and the services; nothing here writes.

The rules (README, "Reporting rounds"):
- a state's *round items* are its implementations of the round's commitments and
  recommendations (a recommendation a state does not track is not in its round);
- an item is *reported in the round* when a status update on the reported track was recorded
  (`created_at`, not `effective_date`) inside the round's window, from its opening day at 00:00
  (the site's time zone) until it closes, or when the state confirmed it unchanged in this round
  (`RoundConfirmation`);
- a state *has reported* when every one of its round items is (a state with no round items
  has not); `completed_at` is when the last of them was;
- a report recorded after the deadline (after the deadline's day, site time) is *late*;
- once a round is closed, progress is its frozen `RoundStateResult` rows, never recomputed.

`progress` takes a constant number of queries whatever the number of states and items
(tests/test_rounds.py pins it at two sizes).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from . import permissions
from .choices import RegionalGroup, Track
from .models import (
    Commitment,
    Implementation,
    Recommendation,
    ReportingRound,
    RoundConfirmation,
    RoundStateResult,
    StakeholderReport,
    State,
    StatusUpdate,
)


@dataclass
class StateProgress:
    """How far one state has got in one round."""

    state: State
    items: int
    reported: int
    confirmed: int
    completed_at: datetime.datetime | None
    last_reported_at: datetime.datetime | None
    late: bool
    left: list[Implementation] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.items) if self.items else 0

    @property
    def done(self) -> bool:
        return self.items > 0 and self.reported == self.items


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())


def window(round: ReportingRound) -> tuple[datetime.datetime, datetime.datetime | None]:
    """When a report counts for the round: from its opening day's start (the site's time zone)
    to its close; None while it is open (until now)."""
    return _start_of(round.opens_on), round.closed_at


def deadline_passed_at(round: ReportingRound) -> datetime.datetime:
    """The end of the deadline's day: a report recorded from then on is late."""
    return _start_of(round.deadline + datetime.timedelta(days=1))


def _in_window(round: ReportingRound, field_name: str) -> Q:
    start, end = window(round)
    found = Q(**{f"{field_name}__gte": start})
    if end is not None:
        found &= Q(**{f"{field_name}__lte": end})
    return found


def round_implementations(round: ReportingRound, *, states=None) -> QuerySet:
    """The round's items of each of its states (of `states` only, when given): one query, the
    round's items and states as subqueries."""
    # From the models' managers, not the round's related managers: a round read with its items
    # and states prefetched (by their keys only) would hand those querysets on.
    found = Implementation.objects.filter(
        Q(commitment__in=Commitment.objects.filter(rounds=round).values("pk"))
        | Q(recommendation__in=Recommendation.objects.filter(rounds=round).values("pk")),
        state__in=State.objects.filter(rounds=round).values("pk"),
    )
    if states is not None:
        found = found.filter(state__in=states)
    return found


def reported_in_round(round: ReportingRound, implementations) -> dict[int, dict]:
    """For each of `implementations` (a queryset or ids) reported in the round: {id: {"first",
    "last", "confirmed"}}: when it was first and last reported in the window, and whether it was by
    a "no change, confirmed". Two queries."""
    found: dict[int, dict] = {}
    updates = (
        StatusUpdate.objects.filter(_in_window(round, "created_at"), implementation__in=implementations)
        .filter(track=Track.REPORTED)
        .values("implementation_id")
        .annotate(first=Min("created_at"), last=Max("created_at"))
        .order_by()
    )
    for row in updates:
        found[row["implementation_id"]] = {"first": row["first"], "last": row["last"], "confirmed": False}
    confirmations = RoundConfirmation.objects.filter(round=round, implementation__in=implementations).values_list(
        "implementation_id", "confirmed_at"
    )
    for pk, confirmed_at in confirmations:
        _confirmed(found, pk, confirmed_at)
    return found


def _confirmed(found: dict[int, dict], pk: int, confirmed_at: datetime.datetime) -> None:
    """Implementation `pk` confirmed unchanged at `confirmed_at`: reported, by a confirmation."""
    entry = found.setdefault(pk, {"first": confirmed_at, "last": confirmed_at, "confirmed": True})
    entry["confirmed"] = True
    entry["first"], entry["last"] = min(entry["first"], confirmed_at), max(entry["last"], confirmed_at)


def _frozen(round: ReportingRound, states) -> list[StateProgress]:
    results = RoundStateResult.objects.filter(round=round).select_related("state").order_by("state__name")
    if states is not None:
        results = results.filter(state__in=states)
    return [_from_result(result) for result in results]


def _from_result(result: RoundStateResult) -> StateProgress:
    return StateProgress(
        state=result.state,
        items=result.items,
        reported=result.reported,
        confirmed=result.confirmed,
        completed_at=result.completed_at,
        last_reported_at=result.last_reported_at,
        late=result.late,
    )


def progress(round: ReportingRound, *, states=None, with_left: bool = False) -> list[StateProgress]:
    """Each of the round's states (of `states` only, when given), by name: its items, how many are
    reported and when. `left` (the items not reported yet, with their commitment or recommendation)
    only `with_left` (never once closed). Four queries while the round is open; once it is
    closed, one: its frozen results."""
    if round.closed_at is not None:
        return _frozen(round, states)
    return live_progress(round, states=states, with_left=with_left)


def live_progress(round: ReportingRound, *, states=None, with_left: bool = False) -> list[StateProgress]:
    """`progress` computed from the reports, in the round's window (until `closed_at` when set):
    what `services.round_close` freezes. Four queries."""
    round_states = State.objects.filter(rounds=round)
    if states is not None:
        round_states = round_states.filter(pk__in=[getattr(state, "pk", state) for state in states])
    round_states = list(round_states.order_by("name"))
    implementations = round_implementations(round, states=round_states)
    if with_left:
        rows = list(
            implementations.select_related("state", "commitment", "recommendation").order_by(
                "commitment__number", "recommendation__code"
            )
        )
    else:
        rows = list(implementations.only("id", "state_id").order_by())
    # The implementations' ids again as a subquery, not a list of parameters: a round of every
    # state and every commitment holds thousands.
    reported = reported_in_round(round, implementations.values("id")) if rows else {}
    return _states_progress(round, round_states, rows, reported, with_left=with_left)


def _states_progress(round, round_states, rows, reported, *, with_left=False) -> list[StateProgress]:
    """Each of `round_states` (in that order) from its round items among `rows` and what of them
    is `reported` ({implementation id: {"first", "last", "confirmed"}})."""
    late_from = deadline_passed_at(round)
    by_state = defaultdict(list)
    for row in rows:
        by_state[row.state_id].append(row)
    found = []
    for state in round_states:
        items = by_state.get(state.pk, [])
        marks = [reported[item.pk] for item in items if item.pk in reported]
        done = bool(items) and len(marks) == len(items)
        completed_at = max(mark["first"] for mark in marks) if done else None
        last_reported_at = max((mark["last"] for mark in marks), default=None)
        finished = completed_at or last_reported_at
        found.append(
            StateProgress(
                state=state,
                items=len(items),
                reported=len(marks),
                confirmed=sum(1 for mark in marks if mark["confirmed"]),
                completed_at=completed_at,
                last_reported_at=last_reported_at,
                late=finished is not None and finished >= late_from,
                left=[item for item in items if item.pk not in reported] if with_left else [],
            )
        )
    return found


def progress_of_rounds(listed) -> dict[int, list[StateProgress]]:
    """`progress` of each of the rounds `listed` (round id -> its states' progress, by name), for
    the round lists: a constant number of queries however many rounds (seven at most, one when all
    are closed), where `progress` round by round takes four queries each open one."""
    listed = list(listed)
    found: dict[int, list[StateProgress]] = {r.pk: [] for r in listed}
    closed = [r.pk for r in listed if r.closed_at is not None]
    if closed:
        results = RoundStateResult.objects.filter(round__in=closed).select_related("state")
        for result in results.order_by("state__name", "pk"):
            found[result.round_id].append(_from_result(result))
    running = [r for r in listed if r.closed_at is None]
    if not running:
        return found
    ids = [r.pk for r in running]
    states_of, items_of = defaultdict(list), defaultdict(set)
    for link in ReportingRound.states.through.objects.filter(reportinground__in=ids).select_related("state"):
        states_of[link.reportinground_id].append(link.state)
    for link in ReportingRound.commitments.through.objects.filter(reportinground__in=ids).values_list(
        "reportinground_id", "commitment_id"
    ):
        items_of[link[0]].add(("c", link[1]))
    for link in ReportingRound.recommendations.through.objects.filter(reportinground__in=ids).values_list(
        "reportinground_id", "recommendation_id"
    ):
        items_of[link[0]].add(("r", link[1]))
    implementations = Implementation.objects.filter(
        Q(commitment__in=Commitment.objects.filter(rounds__in=ids).values("pk"))
        | Q(recommendation__in=Recommendation.objects.filter(rounds__in=ids).values("pk")),
        state__in=State.objects.filter(rounds__in=ids).values("pk"),
    )
    rows = list(implementations.only("id", "state_id", "commitment_id", "recommendation_id").order_by())
    # An open round's window runs from its opening to now: for each opening day the first report
    # recorded from then on, and the last of all (inside every window that began before it).
    starts = sorted({r.opens_on for r in running})
    firsts = {f"first_{n}": Min("created_at", filter=Q(created_at__gte=_start_of(day))) for n, day in enumerate(starts)}
    updates = (
        {
            row["implementation_id"]: row
            for row in StatusUpdate.objects.filter(
                track=Track.REPORTED,
                created_at__gte=_start_of(starts[0]),
                implementation__in=implementations.values("id"),
            )
            .values("implementation_id")
            .annotate(last=Max("created_at"), **firsts)
            .order_by()
        }
        if rows
        else {}
    )
    confirmations = defaultdict(dict)
    for round_id, pk, confirmed_at in RoundConfirmation.objects.filter(round__in=ids).values_list(
        "round_id", "implementation_id", "confirmed_at"
    ):
        confirmations[round_id][pk] = confirmed_at
    for r in running:
        first_key = f"first_{starts.index(r.opens_on)}"
        states = sorted(states_of[r.pk], key=lambda state: state.name)
        state_ids = {state.pk for state in states}
        mine = [
            row
            for row in rows
            if row.state_id in state_ids
            and (("c", row.commitment_id) in items_of[r.pk] or ("r", row.recommendation_id) in items_of[r.pk])
        ]
        reported = {}
        for row in mine:
            update = updates.get(row.pk)
            if update is not None and update[first_key] is not None:
                reported[row.pk] = {"first": update[first_key], "last": update["last"], "confirmed": False}
            confirmed_at = confirmations[r.pk].get(row.pk)
            if confirmed_at is not None:
                _confirmed(reported, row.pk, confirmed_at)
        found[r.pk] = _states_progress(r, states, mine, reported)
    return found


def summary(round: ReportingRound, progresses: list[StateProgress]) -> dict:
    """The round in figures: states, how many have reported (every item), how many started
    (some items, not all), how many reported late, and the items and items reported."""
    return {
        "states": len(progresses),
        "reported": sum(1 for p in progresses if p.done),
        "started": sum(1 for p in progresses if p.reported and not p.done),
        "late": sum(1 for p in progresses if p.late),
        "items": sum(p.items for p in progresses),
        "items_reported": sum(p.reported for p in progresses),
    }


def by_regional_group(progresses: list[StateProgress]) -> list[tuple[str, list[StateProgress]]]:
    """The states' progress by UN regional group, in the groups' order; empty groups left out."""
    groups = defaultdict(list)
    for found in progresses:
        groups[found.state.regional_group].append(found)
    return [(group.label, groups[group.value]) for group in RegionalGroup if groups.get(group.value)]


def open_rounds_for(user) -> QuerySet:
    """The rounds a user may report in now: opened, not closed, naming a state they may edit."""
    return permissions.rounds_to_report(ReportingRound.objects.running(), user).select_related("cycle")


def inviting_stakeholders(today: datetime.date | None = None) -> QuerySet:
    """The rounds stakeholders are invited to report in now: running, with `invite_stakeholders`."""
    return ReportingRound.objects.running(today).filter(invite_stakeholders=True).select_related("cycle")


def stakeholder_reports_in_round(round: ReportingRound) -> QuerySet:
    """The approved stakeholder reports on the round's (state, item) pairs submitted inside its window."""
    return StakeholderReport.objects.public().filter(
        _in_window(round, "submitted_at"), implementation__in=round_implementations(round)
    )
