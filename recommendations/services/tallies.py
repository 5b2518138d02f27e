"""Keeping the tallies (`models/tallies.py`) equal to what they count, inside the write that changed it.

The writes that change what they count call these helpers in their own transaction:
- `statuses_changed`: the status service (services/bulk.py: every status write, on both tracks,
  from every door: pages, API, admin, import, demo), with each touched implementation's statuses
  before and after;
- `implementations_added`: tracking an item, the commitment grid of a fixture load or `seed`;
- `public_evidence_changed`: verifying and publishing, unpublishing.
`tallies_rebuild` (`manage.py rebuild_tallies`) recounts everything from the implementations and
the evidence, and `counted()` is that recount, which the tests compare with the kept tallies.

Concurrency: the tally rows a write changes are locked first (SELECT … FOR UPDATE, in one order:
commitments, then states, each by key, so two writers cannot deadlock) and then incremented with
`F("n") + delta`: two writers on the same tally wait for each other, and neither loses the other's
change. A missing row is inserted first (ON CONFLICT DO NOTHING, so two writers creating it at once
both go on). A change of public evidence locks its implementation before it counts that
implementation's public evidence, so two publications on one item count in turn.
"""

from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import Track
from ..models import Commitment, CommitmentTally, Evidence, Implementation, State, StateTally
from ..models.tallies import EVIDENCE, EVIDENCED, commitment_measure, state_measure
from .context import in_service, service
from .logs import denied, logger
from .scopes import AGGREGATES, item_scopes, touch


def _items(implementation) -> str:
    return "commitments" if implementation.commitment_id else "recommendations"


def _apply(model, owner: str, deltas: dict[tuple[int, str], int]) -> None:
    """Add each delta to its tally (`owner` is the owner's id field), locking the rows in key order."""
    deltas = {key: delta for key, delta in deltas.items() if delta}
    if not deltas:
        return
    owners, measures = {key[0] for key in deltas}, {key[1] for key in deltas}

    def locked():
        rows = (
            model.objects.select_for_update()
            .filter(**{f"{owner}__in": owners}, measure__in=measures)
            .order_by(owner, "measure")
            .values_list("pk", owner, "measure")
        )
        return {(owner_id, measure): pk for pk, owner_id, measure in rows}

    ids = locked()
    missing = sorted(key for key in deltas if key not in ids)
    if missing:
        model.objects.bulk_create(
            [model(**{owner: owner_id}, measure=measure, n=0) for owner_id, measure in missing],
            ignore_conflicts=True,
        )
        ids = locked()
    by_delta = defaultdict(list)
    for key, delta in deltas.items():
        by_delta[delta].append(ids[key])
    for delta, pks in sorted(by_delta.items()):
        model.objects.filter(pk__in=pks).update(n=F("n") + delta)


def apply(commitment_deltas: Counter, state_deltas: Counter) -> None:
    _apply(CommitmentTally, "commitment_id", commitment_deltas)
    _apply(StateTally, "state_id", state_deltas)


def _count_statuses(commitments: Counter, states: Counter, implementation, statuses: dict, sign: int) -> None:
    for track, status in statuses.items():
        if implementation.commitment_id:
            commitments[(implementation.commitment_id, commitment_measure(track, status))] += sign
        states[(implementation.state_id, state_measure(_items(implementation), track, status))] += sign


def statuses_changed(changed) -> None:
    """`changed`: (implementation, {track: status before}, {track: status after}) of each
    implementation a status write touched (the implementation's state and commitment ids set)."""
    commitments, states = Counter(), Counter()
    for implementation, before, after in changed:
        _count_statuses(commitments, states, implementation, before, -1)
        _count_statuses(commitments, states, implementation, after, +1)
    apply(commitments, states)


def implementations_added(implementations) -> None:
    """New implementations (saved, with their statuses): each counts at its status on each track."""
    commitments, states = Counter(), Counter()
    for implementation in implementations:
        statuses = {Track.REPORTED: implementation.status, Track.ASSESSED: implementation.assessment}
        _count_statuses(commitments, states, implementation, statuses, +1)
    apply(commitments, states)


def public_evidence_changed(evidence, delta: int) -> None:
    """`evidence` (saved) has just become public (`delta` 1) or stopped being public (-1)."""
    state_id, commitment_id = (
        Implementation.objects.select_for_update()
        .filter(pk=evidence.implementation_id)
        .values_list("state_id", "commitment_id")
        .get()
    )
    states = Counter({(state_id, EVIDENCE): delta})
    commitments = Counter()
    if commitment_id:
        now = Evidence.objects.public().filter(implementation_id=evidence.implementation_id).count()
        if (now > 0) != (now - delta > 0):  # the item's first piece published, or its last withdrawn
            states[(state_id, EVIDENCED)] += delta
            commitments[(commitment_id, EVIDENCED)] += delta
    apply(commitments, states)


def counted(*, states=None, commitments=None) -> tuple[dict, dict]:
    """Every tally recounted from the implementations and the published evidence, as
    ({(commitment id, measure): n}, {(state id, measure): n}), without the zeros; with `states`
    and `commitments` (ids), only theirs."""
    of_states = {} if states is None else {"state_id__in": states}
    of_commitments = {} if commitments is None else {"commitment_id__in": commitments}
    found_commitments, found_states = {}, {}
    for track, field in ((Track.REPORTED, "status"), (Track.ASSESSED, "assessment")):
        grouped = (
            Implementation.objects.filter(commitment__isnull=False, **of_commitments)
            .values_list("commitment_id", field)
            .annotate(n=Count("pk"))
            .order_by()
        )
        found_commitments.update({(pk, commitment_measure(track, status)): n for pk, status, n in grouped})
        for items, of_recommendations in (("commitments", False), ("recommendations", True)):
            grouped = (
                Implementation.objects.filter(commitment__isnull=of_recommendations, **of_states)
                .values_list("state_id", field)
                .annotate(n=Count("pk"))
                .order_by()
            )
            found_states.update({(pk, state_measure(items, track, status)): n for pk, status, n in grouped})
    evidence = (
        Evidence.objects.public()
        .filter(**{f"implementation__{key}": value for key, value in of_states.items()})
        .values_list("implementation__state_id")
        .annotate(n=Count("pk"), on_commitments=Count("implementation__commitment", distinct=True))
        .order_by()
    )
    for state_id, n, on_commitments in evidence:
        found_states[(state_id, EVIDENCE)] = n
        found_states[(state_id, EVIDENCED)] = on_commitments
    evidenced = (
        Implementation.objects.filter(commitment__isnull=False, **of_commitments)
        .filter(Exists(Evidence.objects.public().filter(implementation=OuterRef("pk"))))
        .values_list("commitment_id")
        .annotate(n=Count("state_id", distinct=True))
        .order_by()
    )
    found_commitments.update({(pk, EVIDENCED): n for pk, n in evidenced})
    return _without_zeros(found_commitments), _without_zeros(found_states)


def kept(*, states=None, commitments=None) -> tuple[dict, dict]:
    """The tallies as they are stored, in the shape of `counted()`."""
    kept_commitments = (
        CommitmentTally.objects.all()
        if commitments is None
        else CommitmentTally.objects.filter(commitment_id__in=commitments)
    )
    kept_states = StateTally.objects.all() if states is None else StateTally.objects.filter(state_id__in=states)
    return (
        _without_zeros({(c, m): n for c, m, n in kept_commitments.values_list("commitment_id", "measure", "n")}),
        _without_zeros({(s, m): n for s, m, n in kept_states.values_list("state_id", "measure", "n")}),
    )


def _without_zeros(found: dict) -> dict:
    return {key: n for key, n in found.items() if n}


def _block_tracked_writes() -> None:
    """Hold off status and evidence writes until the recount commits (PostgreSQL: SHARE locks
    let readers on and make writers wait; a writer already running is waited for, so its change
    is in the recount or applied after it). SQLite runs one write transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Implementation, Evidence))
            cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")


@service
def tallies_rebuild(*, actor=None, states=None, commitments=None) -> int:
    """Recount every tally (`manage.py rebuild_tallies`: after raw SQL, a restore, or to check), or
    those of these states and commitments (ids); returns how many were wrong. From the command line
    and the system (`actor` None: a save outside the services, below) or by an administrator.
    Retires the cached pages of what was wrong."""
    if actor is not None and not permissions.is_administrator(actor):
        raise denied(_("Only administrators recount the tallies."))
    if states is None and commitments is None:
        _block_tracked_writes()
    owners = {"states": states, "commitments": commitments}
    found_commitments, found_states = counted(**owners)
    kept_commitments, kept_states = kept(**owners)
    wrong_commitments = _differing(found_commitments, kept_commitments)
    wrong_states = _differing(found_states, kept_states)
    _replace(CommitmentTally, "commitment_id", found_commitments, wrong_commitments)
    _replace(StateTally, "state_id", found_states, wrong_states)
    if wrong_commitments or wrong_states:
        numbers = Commitment.objects.filter(pk__in={c for c, _m in wrong_commitments}).values_list("number", flat=True)
        codes = State.objects.filter(pk__in={s for s, _m in wrong_states}).values_list("iso2", flat=True)
        touch(
            AGGREGATES,
            *(scope for number in numbers for scope in item_scopes(commitment=number)),
            *(scope for iso2 in codes for scope in item_scopes(state=iso2)),
        )
        logger.info("tallies recounted", extra={"wrong": len(wrong_commitments) + len(wrong_states)})
    return len(wrong_commitments) + len(wrong_states)


def _differing(found: dict, stored: dict) -> set:
    return {key for key in found.keys() | stored.keys() if found.get(key) != stored.get(key)}


def _replace(model, owner: str, found: dict, wrong: set) -> None:
    """Write the recount of the owners (states or commitments) whose tallies were wrong."""
    if not wrong:
        return
    changed = {key[0] for key in wrong}
    model.objects.filter(**{f"{owner}__in": changed}).delete()
    rows = [model(**{owner: pk}, measure=measure, n=n) for (pk, measure), n in sorted(found.items()) if pk in changed]
    model.objects.bulk_create(rows, batch_size=2000)


def _saved_outside_services(sender, instance, raw=False, **kwargs):
    """A save or delete of an implementation or evidence outside the services (a shell, a data
    migration, a test's factory) recounts the tallies of its state and commitment. (`raw`: loaddata,
    e.g. a restore, which loads the tallies too; `rebuild_tallies` after it when in doubt.)"""
    if raw or in_service():
        return
    implementation = instance if sender is Implementation else None
    if implementation is None:
        implementation = (
            Implementation.objects.filter(pk=instance.implementation_id).only("state_id", "commitment_id").first()
        )
    if implementation is None:
        return
    commitments = [implementation.commitment_id] if implementation.commitment_id else []
    tallies_rebuild(states=[implementation.state_id], commitments=commitments)


def connect_signals() -> None:
    """Called from the app's ready(); idempotent thanks to dispatch_uid."""
    for model in (Implementation, Evidence):
        uid = f"gcm-tallies-{model._meta.label_lower}"
        post_save.connect(_saved_outside_services, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_saved_outside_services, sender=model, dispatch_uid=f"{uid}-delete")
