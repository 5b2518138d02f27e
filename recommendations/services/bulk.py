"""The one status service: a list of status changes applied in order, all or nothing.

`implementation_set_status` (one change, from a page, the API or the demo) is this service with
a list of one; the admin's bulk action and the importer call it with many. The rules (permission,
status and track, comment, evidence and public rationale for the evidenced statuses, effective
dates) are written once, in `_plan_status_changes`, and the history is written in a few queries
whatever the number of changes, with the per-state and per-commitment status tallies
(`tallies.statuses_changed`) in the same transaction.

A change may carry new evidence (`NewEvidence`, e.g. a file uploaded with the status form): it is
added through the evidence service in the same transaction, and its stored file is removed again
if the transaction rolls back (`context.discard_file_on_failure`).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import EVIDENCED_STATUSES, EvidenceKind, Status, Track
from ..models import Evidence, Implementation, StatusUpdate
from .context import service
from .evidence import create_evidence
from .logs import logger
from .scopes import status_scopes, touch
from .stale import check_version
from .tallies import statuses_changed


@dataclass(frozen=True)
class NewEvidence:
    """Evidence to add with a status change (a URL and/or a file checked by `uploads`)."""

    title: str
    kind: str = EvidenceKind.REPORT
    url: str = ""
    file: object = None
    date: datetime.date | None = None
    description: str = ""


@dataclass(frozen=True)
class StatusChange:
    """One change of status: the arguments `implementation_set_status` takes."""

    implementation: Implementation
    status: str
    comment: str
    rationale: str = ""
    track: str = Track.REPORTED
    evidence: tuple[Evidence, ...] = ()
    effective_date: datetime.date | None = None
    new_evidence: NewEvidence | None = None
    expected_version: int | None = field(default=None, compare=False)


class BulkStatusError(Exception):
    """Some changes break the rules. `errors` maps each one's position to {field: message};
    a refused permission is under the key "permission". Nothing was written."""

    def __init__(self, errors: dict[int, dict[str, str]]):
        super().__init__(_("%(count)d status changes were refused.") % {"count": len(errors)})
        self.errors = errors


_STATUSES, _TRACKS = frozenset(Status.values), frozenset(Track.values)


def latest_review(last_reviewed: datetime.date | None, effective_date: datetime.date) -> datetime.date:
    """An implementation's last update is the latest effective date of either track's history.

    Each track only refuses dates before its own latest update, so an update may be dated before
    the other track's latest (a report of March recorded after an assessment of May): the last
    update must not move back to it.
    """
    return max(last_reviewed, effective_date) if last_reviewed else effective_date


def _check_change(change, locked, evidence, effective_date, latest, today) -> dict[str, str]:
    """The rules of one status change: {field: message}, empty when it is fine."""
    track, status = change.track, change.status
    found = {}
    if status not in _STATUSES:
        found["status"] = _("“%(status)s” is not a status.") % {"status": status}
    if track not in _TRACKS:
        found["track"] = _("“%(track)s” is not a track.") % {"track": track}
    if not (change.comment or "").strip():
        found["comment"] = _("Say what changed and why.")
    if any(item.implementation_id != locked.pk for item in evidence):
        found["evidence"] = _("Evidence must belong to this implementation.")
    if status in EVIDENCED_STATUSES:
        if not evidence:
            found["evidence"] = _("A move to “%(status)s” needs at least one piece of evidence.") % {
                "status": Status(status).label
            }
        if not (change.rationale or "").strip():
            found["rationale"] = _("A move to “%(status)s” needs a public rationale.") % {
                "status": Status(status).label
            }
    if effective_date > today:
        found["effective_date"] = _("The effective date cannot be in the future.")
    if latest and effective_date < latest:
        found["effective_date"] = _("The effective date cannot be before the latest update (%(date)s).") % {
            "date": latest.isoformat()
        }
    return found


def _plan_status_changes(changes, actor, implementations, latest_dates, today, added=None):
    """Walk the changes in order, each checked against the ones accepted before it.

    Returns the errors and, for the accepted changes, (change, evidence, previous status,
    effective date). `latest_dates` is advanced as changes are accepted, so a later change of
    the same implementation and track is checked against an earlier one in the same batch.
    `added` holds the evidence just added for a change's `new_evidence`, by position.
    """
    errors, accepted = {}, []
    current = {}
    for index, change in enumerate(changes):
        locked = implementations[change.implementation.pk]
        track = change.track
        if not permissions.can_set_track(actor, locked, track):
            errors[index] = {"permission": _("You may not change the status of %(item)s.") % {"item": locked}}
            continue
        evidence = [*change.evidence, *((added or {}).get(index, ()))]
        if change.new_evidence is not None and added is None:  # a check without writing: it would be there
            evidence.append(Evidence(implementation_id=locked.pk))
        key = (locked.pk, track)
        effective_date = change.effective_date or today
        found = _check_change(change, locked, evidence, effective_date, latest_dates.get(key), today)
        if found:
            errors[index] = found
            continue
        if key not in current:
            current[key] = locked.status if track == Track.REPORTED else locked.assessment
        accepted.append((change, evidence, current[key], effective_date))
        current[key] = change.status
        latest_dates[key] = effective_date
    return errors, accepted


def _status_context(changes, *, lock: bool):
    """The implementations the changes touch (locked for update when writing, in id order so two
    writers cannot deadlock) and the latest effective date of each one's tracks."""
    ids = sorted({change.implementation.pk for change in changes})
    implementations = {}
    queryset = Implementation.objects.select_related("state", "commitment", "recommendation").order_by("pk")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    for start in range(0, len(ids), 5000):
        implementations.update((i.pk, i) for i in queryset.filter(pk__in=ids[start : start + 5000]))
    latest_dates = {}
    for start in range(0, len(ids), 5000):
        rows = (
            StatusUpdate.objects.filter(implementation_id__in=ids[start : start + 5000])
            .values_list("implementation_id", "track")
            .annotate(latest=Max("effective_date"))
            .order_by()
        )
        latest_dates.update(((pk, track), latest) for pk, track, latest in rows)
    return implementations, latest_dates


def implementation_status_changes_check(*, changes: Sequence[StatusChange], actor) -> dict[int, dict[str, str]]:
    """What `implementation_set_status_bulk` would refuse, without writing or locking anything."""
    implementations, latest_dates = _status_context(changes, lock=False)
    errors, _accepted = _plan_status_changes(changes, actor, implementations, latest_dates, timezone.localdate())
    return errors


def _save_current_status(implementations, accepted, now) -> None:
    """Write each touched implementation's new current status.

    One UPDATE per distinct outcome (same new status, date and number of changes), not Django's
    bulk_update, whose CASE per row and field costs seconds of Python for a few thousand rows; an
    import leaves few distinct outcomes, and at worst this is one UPDATE per implementation.
    """
    tracks, counts = defaultdict(set), Counter()
    for change, _evidence, _previous, _date in accepted:
        tracks[change.implementation.pk].add(change.track)
        counts[change.implementation.pk] += 1
    outcomes = defaultdict(list)
    for pk, touched in tracks.items():
        locked = implementations[pk]
        fields = {"last_reviewed": locked.last_reviewed}
        if Track.REPORTED in touched:
            fields.update(status=locked.status, status_changed_at=now)
        if Track.ASSESSED in touched:
            fields.update(assessment=locked.assessment, assessment_changed_at=now)
        outcomes[(tuple(sorted(fields.items())), counts[pk])].append(pk)
    for (fields, count), pks in outcomes.items():
        for start in range(0, len(pks), 5000):
            Implementation.objects.filter(pk__in=pks[start : start + 5000]).update(
                **dict(fields), version=F("version") + count, updated_at=now
            )


def _add_new_evidence(changes, actor, implementations, is_demo):
    """Add each change's new evidence (its permission and checks are the evidence service's)."""
    added, errors = {}, {}
    for index, change in enumerate(changes):
        if change.new_evidence is None:
            continue
        new = change.new_evidence
        try:
            added[index] = [
                create_evidence(
                    implementation=implementations[change.implementation.pk],
                    actor=actor,
                    title=new.title,
                    kind=new.kind,
                    url=new.url,
                    file=new.file,
                    date=new.date,
                    description=new.description,
                    is_demo=is_demo,
                )
            ]
        except PermissionDenied as exc:
            errors[index] = {"permission": str(exc)}
        except ValidationError as exc:
            found = exc.message_dict if hasattr(exc, "error_dict") else {"evidence": exc.messages}
            errors[index] = {name: " ".join(messages) for name, messages in found.items()}
    return added, errors


@service
def implementation_set_status_bulk(
    *, changes: Sequence[StatusChange], actor, is_demo: bool = False, batch_size: int = 2000
) -> list[StatusUpdate]:
    """Apply the changes in order, all or nothing.

    Raises StaleEdit when a change names a version that is no longer current, and BulkStatusError
    with every refused change otherwise; either way nothing is written.
    """
    changes = list(changes)
    if not changes:
        return []
    implementations, latest_dates = _status_context(changes, lock=True)
    for change in changes:
        locked = implementations[change.implementation.pk]
        if permissions.can_set_track(actor, locked, change.track):
            check_version(locked, change.expected_version)
    added, evidence_errors = _add_new_evidence(changes, actor, implementations, is_demo)
    today = timezone.localdate()
    errors, accepted = _plan_status_changes(changes, actor, implementations, latest_dates, today, added)
    for index, found in evidence_errors.items():
        errors[index] = {**found, **errors.get(index, {})} if "permission" not in found else found
    if errors:
        raise BulkStatusError(dict(sorted(errors.items())))

    now = timezone.now()
    role = permissions.user_role(actor) or ""
    before = {pk: {Track.REPORTED: i.status, Track.ASSESSED: i.assessment} for pk, i in implementations.items()}
    updates = []
    for change, _evidence, previous, effective_date in accepted:
        locked = implementations[change.implementation.pk]
        updates.append(
            StatusUpdate(
                implementation_id=locked.pk,
                state_id=locked.state_id,
                track=change.track,
                status=change.status,
                previous_status=previous,
                effective_date=effective_date,
                comment=change.comment.strip(),
                rationale=(change.rationale or "").strip(),
                author=actor,
                author_role=role,
                is_demo=is_demo,
                created_at=now,
            )
        )
        if change.track == Track.REPORTED:
            locked.status, locked.status_changed_at = change.status, now
        else:
            locked.assessment, locked.assessment_changed_at = change.status, now
        locked.last_reviewed = latest_review(locked.last_reviewed, effective_date)
        locked.version += 1
        locked.updated_at = now
    StatusUpdate.objects.bulk_create(updates, batch_size=batch_size)
    Through = StatusUpdate.evidence.through
    links = [
        Through(statusupdate_id=update.pk, evidence_id=item.pk)
        for update, (_change, evidence, _previous, _date) in zip(updates, accepted, strict=True)
        for item in dict.fromkeys(evidence)
    ]
    Through.objects.bulk_create(links, batch_size=batch_size)
    _save_current_status(implementations, accepted, now)
    statuses_changed(
        (locked, before[pk], {Track.REPORTED: locked.status, Track.ASSESSED: locked.assessment})
        for pk, locked in implementations.items()
    )
    # bulk_create and update() send no model signals: declare what the statuses show on.
    earliest = {}  # each implementation's earliest effective date: one dated before today changes the past
    for change, _evidence, _previous, effective_date in accepted:
        pk = change.implementation.pk
        earliest[pk] = min(earliest.get(pk, effective_date), effective_date)
    touch(*{scope for pk, day in earliest.items() for scope in status_scopes(implementations[pk], day)})
    logger.info("statuses set in bulk", extra={"changes": len(updates)})
    for change in changes:
        locked = implementations[change.implementation.pk]
        change.implementation.__dict__.update({k: getattr(locked, k) for k in ("status", "assessment", "version")})
    return updates
