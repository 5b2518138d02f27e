"""Writes of implementations: status (one or in bulk) and assignment. Pages, API, admin actions
and imports all call these functions (`services/__init__.py` lists every service).

Each one checks permission through `permissions`, validates, and writes what belongs together
in one transaction: a status update and the implementation's current status move together, or
neither does.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gcmtracker.cache import bump_data_version

from .. import permissions
from ..choices import EVIDENCED_STATUSES, Status, Track
from ..models import Evidence, Implementation, StatusUpdate
from .logs import denied, logger


@dataclass
class StaleEdit(Exception):
    """Someone saved the implementation after the editor loaded it. Nothing was written."""

    current: Implementation
    changes: list[StatusUpdate]

    def __str__(self):
        return _(
            "This record was changed by someone else since you opened it (now version %(version)s). "
            "Nothing was saved: review their change and try again."
        ) % {"version": self.current.version}


def _lock(implementation: Implementation) -> Implementation:
    return Implementation.objects.select_for_update().select_related("state").get(pk=implementation.pk)


def _check_version(locked: Implementation, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        changes = list(
            locked.updates.select_related("author").filter(
                created_at__gte=locked.updated_at - datetime.timedelta(days=1)
            )[:5]
        )
        logger.warning(
            "stale edit refused",
            extra={
                "implementation": locked.pk,
                "expected_version": expected_version,
                "current_version": locked.version,
            },
        )
        raise StaleEdit(current=locked, changes=changes)


def latest_review(last_reviewed: datetime.date | None, effective_date: datetime.date) -> datetime.date:
    """An implementation's last update is the latest effective date of either track's history.

    Each track only refuses dates before its own latest update, so an update may be dated before
    the other track's latest (a report of March recorded after an assessment of May): the last
    update must not move back to it.
    """
    return max(last_reviewed, effective_date) if last_reviewed else effective_date


@transaction.atomic
def implementation_set_status(
    *,
    implementation: Implementation,
    status: str,
    actor,
    comment: str,
    rationale: str = "",
    track: str = Track.REPORTED,
    evidence: Iterable[Evidence] = (),
    effective_date: datetime.date | None = None,
    expected_version: int | None = None,
    is_demo: bool = False,
) -> StatusUpdate:
    """Append a status update on one track and make it the implementation's current status.

    Moving to partially implemented or implemented needs at least one piece of evidence of this
    implementation and a rationale that will be shown in public.
    """
    locked = _lock(implementation)
    if not permissions.can_set_track(actor, locked, track):
        raise denied(_("You may not change the status of %(item)s.") % {"item": locked})
    _check_version(locked, expected_version)

    errors = {}
    if status not in Status.values:
        errors["status"] = _("“%(status)s” is not a status.") % {"status": status}
    if track not in Track.values:
        errors["track"] = _("“%(track)s” is not a track.") % {"track": track}
    if not (comment or "").strip():
        errors["comment"] = _("Say what changed and why.")
    evidence = list(evidence)
    if any(item.implementation_id != locked.pk for item in evidence):
        errors["evidence"] = _("Evidence must belong to this implementation.")
    if status in EVIDENCED_STATUSES:
        if not evidence:
            errors["evidence"] = _("A move to “%(status)s” needs at least one piece of evidence.") % {
                "status": Status(status).label
            }
        if not (rationale or "").strip():
            errors["rationale"] = _("A move to “%(status)s” needs a public rationale.") % {
                "status": Status(status).label
            }
    today = timezone.localdate()
    effective_date = effective_date or today
    if effective_date > today:
        errors["effective_date"] = _("The effective date cannot be in the future.")
    latest = locked.updates.filter(track=track).order_by("-effective_date", "-created_at", "-id").first()
    if latest and effective_date < latest.effective_date:
        errors["effective_date"] = _("The effective date cannot be before the latest update (%(date)s).") % {
            "date": latest.effective_date.isoformat()
        }
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    previous = locked.status if track == Track.REPORTED else locked.assessment
    update = StatusUpdate.objects.create(
        implementation=locked,
        state_id=locked.state_id,
        track=track,
        status=status,
        previous_status=previous,
        effective_date=effective_date,
        comment=comment.strip(),
        rationale=(rationale or "").strip(),
        author=actor,
        author_role=permissions.user_role(actor) or "",
        is_demo=is_demo,
        created_at=now,
    )
    if evidence:
        update.evidence.set(evidence)
    if track == Track.REPORTED:
        locked.status, locked.status_changed_at = status, now
    else:
        locked.assessment, locked.assessment_changed_at = status, now
    locked.last_reviewed = latest_review(locked.last_reviewed, effective_date)
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "status_changed_at",
            "assessment",
            "assessment_changed_at",
            "last_reviewed",
            "version",
            "updated_at",
        ]
    )
    implementation.__dict__.update({k: getattr(locked, k) for k in ("status", "assessment", "version")})
    logger.info(
        "status set",
        extra={"implementation": locked.pk, "track": track, "status": status, "version": locked.version},
    )
    return update


@transaction.atomic
def implementation_assign(
    *,
    implementation: Implementation,
    actor,
    owner=None,
    lead_agency: str = "",
    due_date: datetime.date | None = None,
    position: str | None = None,
    expected_version: int | None = None,
    notify: bool = True,
) -> Implementation:
    """Set who owns an implementation, the lead agency, due date and the state's position.
    A new owner is emailed once the write commits, whichever door assigned them (`notify=False`: demo data)."""
    locked = _lock(implementation)
    if not permissions.can_assign(actor, locked):
        raise denied(_("Only the secretariat assigns owners and due dates."))
    _check_version(locked, expected_version)
    if owner is not None and not permissions.is_staff_member(owner):
        raise ValidationError({"owner": _("The owner must be a staff member with a role.")})
    if owner is not None and not permissions.can_edit_state(owner, locked.state_id):
        raise ValidationError({"owner": _("The owner's scope does not include %(state)s.") % {"state": locked.state}})
    previous_owner_id = locked.owner_id
    locked.owner, locked.lead_agency, locked.due_date = owner, lead_agency.strip(), due_date
    if position is not None:
        locked.position = position
    locked.version += 1
    locked.full_clean(exclude=["state", "commitment", "recommendation", "owner"])
    locked.save()
    if notify and owner is not None and owner.pk != previous_owner_id:
        from ..staff import notifications

        transaction.on_commit(lambda: notifications.notify_assignment(implementation=locked, owner=owner, actor=actor))
    logger.info("assigned", extra={"implementation": locked.pk, "owner": owner.pk if owner else None})
    return locked


# --- Bulk status changes (the importer) ---------------------------------------
#
# `implementation_set_status_bulk` applies the very rules of `implementation_set_status` (same
# permission, same checks, same messages, same history rows) to many changes at once, in a few
# queries instead of several per change. Its result is what calling the single-row service for
# each change in order would give; tests/test_import.py holds the two side by side.


@dataclass(frozen=True)
class StatusChange:
    """One change asked for in bulk: the arguments `implementation_set_status` takes."""

    implementation: Implementation
    status: str
    comment: str
    rationale: str = ""
    track: str = Track.REPORTED
    evidence: tuple[Evidence, ...] = ()
    effective_date: datetime.date | None = None


class BulkStatusError(Exception):
    """Some changes break the rules. `errors` maps each one's position to {field: message};
    a refused permission is under the key "permission". Nothing was written."""

    def __init__(self, errors: dict[int, dict[str, str]]):
        super().__init__(_("%(count)d status changes were refused.") % {"count": len(errors)})
        self.errors = errors


_STATUSES, _TRACKS = frozenset(Status.values), frozenset(Track.values)


def _plan_status_changes(changes, actor, implementations, latest_dates, today):
    """Walk the changes in order as the single-row service would, one after another.

    Returns the errors and, for the accepted changes, (change, previous status, effective date).
    `latest_dates` is advanced as changes are accepted, so a later change of the same
    implementation and track is checked against an earlier one in the same batch.
    """
    errors, accepted = {}, []
    current = {}
    for index, change in enumerate(changes):
        locked = implementations[change.implementation.pk]
        track, status = change.track, change.status
        if not permissions.can_set_track(actor, locked, track):
            errors[index] = {"permission": _("You may not change the status of %(item)s.") % {"item": locked}}
            continue
        found = {}
        if status not in _STATUSES:
            found["status"] = _("“%(status)s” is not a status.") % {"status": status}
        if track not in _TRACKS:
            found["track"] = _("“%(track)s” is not a track.") % {"track": track}
        if not (change.comment or "").strip():
            found["comment"] = _("Say what changed and why.")
        if any(item.implementation_id != locked.pk for item in change.evidence):
            found["evidence"] = _("Evidence must belong to this implementation.")
        if status in EVIDENCED_STATUSES:
            if not change.evidence:
                found["evidence"] = _("A move to “%(status)s” needs at least one piece of evidence.") % {
                    "status": Status(status).label
                }
            if not (change.rationale or "").strip():
                found["rationale"] = _("A move to “%(status)s” needs a public rationale.") % {
                    "status": Status(status).label
                }
        effective_date = change.effective_date or today
        if effective_date > today:
            found["effective_date"] = _("The effective date cannot be in the future.")
        latest = latest_dates.get((locked.pk, track))
        if latest and effective_date < latest:
            found["effective_date"] = _("The effective date cannot be before the latest update (%(date)s).") % {
                "date": latest.isoformat()
            }
        if found:
            errors[index] = found
            continue
        key = (locked.pk, track)
        if key not in current:
            current[key] = locked.status if track == Track.REPORTED else locked.assessment
        accepted.append((change, current[key], effective_date))
        current[key] = status
        latest_dates[key] = effective_date
    return errors, accepted


def _status_context(changes, *, lock: bool):
    """The implementations the changes touch (locked for update when writing, in id order so two
    imports cannot deadlock) and the latest effective date of each one's tracks."""
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
    """Write each touched implementation's new current status, as `implementation_set_status` saves it.

    One UPDATE per distinct outcome (same new status, date and number of changes), not Django's
    bulk_update, whose CASE per row and field costs seconds of Python for a few thousand rows; an
    import leaves few distinct outcomes, and at worst this is one UPDATE per implementation.
    """
    tracks, counts = defaultdict(set), Counter()
    for change, _previous, _date in accepted:
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


@transaction.atomic
def implementation_set_status_bulk(
    *, changes: Sequence[StatusChange], actor, is_demo: bool = False, batch_size: int = 2000
) -> list[StatusUpdate]:
    """Apply the changes in order, all or nothing, as `implementation_set_status` would one by one.

    Raises BulkStatusError with every refused change (and writes nothing) if any is refused.
    """
    changes = list(changes)
    if not changes:
        return []
    implementations, latest_dates = _status_context(changes, lock=True)
    errors, accepted = _plan_status_changes(changes, actor, implementations, latest_dates, timezone.localdate())
    if errors:
        raise BulkStatusError(errors)

    now = timezone.now()
    role = permissions.user_role(actor) or ""
    updates = []
    for change, previous, effective_date in accepted:
        updates.append(
            StatusUpdate(
                implementation_id=change.implementation.pk,
                state_id=implementations[change.implementation.pk].state_id,
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
        locked = implementations[change.implementation.pk]
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
        for update, (change, _previous, _date) in zip(updates, accepted, strict=True)
        for item in dict.fromkeys(change.evidence)
    ]
    Through.objects.bulk_create(links, batch_size=batch_size)
    _save_current_status(implementations, accepted, now)
    # bulk_create and update() send no model signals: retire the cached public pages here.
    bump_data_version()
    transaction.on_commit(bump_data_version)
    for change in changes:
        locked = implementations[change.implementation.pk]
        change.implementation.__dict__.update({k: getattr(locked, k) for k in ("status", "assessment", "version")})
    logger.info("statuses set in bulk", extra={"changes": len(updates)})
    return updates
