"""Writes of implementations: a status change (the bulk status service with one change) and the
assignment (owner, lead agency, due date, position, internal note), each with its change record.
`services/__init__.py` lists every service.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import Track
from ..models import Evidence, Implementation, StatusUpdate
from . import changes
from .bulk import BulkStatusError, NewEvidence, StatusChange, implementation_set_status_bulk
from .context import service
from .logs import denied, logger
from .stale import check_version
from .tallies import implementations_added


def _lock(implementation: Implementation) -> Implementation:
    return (
        Implementation.objects.select_for_update(of=("self",))
        .select_related("state", "commitment", "recommendation", "owner")
        .get(pk=implementation.pk)
    )


def implementation_set_status(
    *,
    implementation: Implementation,
    status: str,
    actor,
    comment: str,
    rationale: str = "",
    track: str = Track.REPORTED,
    evidence: Iterable[Evidence] = (),
    new_evidence: NewEvidence | None = None,
    effective_date: datetime.date | None = None,
    expected_version: int | None = None,
    is_demo: bool = False,
) -> StatusUpdate:
    """Append a status update on one track and make it the implementation's current status:
    `implementation_set_status_bulk` with one change, its refusal raised as PermissionDenied or
    ValidationError. `new_evidence` is added in the same transaction and attached."""
    change = StatusChange(
        implementation=implementation,
        status=status,
        comment=comment,
        rationale=rationale,
        track=track,
        evidence=tuple(evidence),
        effective_date=effective_date,
        new_evidence=new_evidence,
        expected_version=expected_version,
    )
    try:
        [update] = implementation_set_status_bulk(changes=[change], actor=actor, is_demo=is_demo)
    except BulkStatusError as exc:
        errors = exc.errors[0]
        if "permission" in errors:
            raise denied(errors["permission"]) from None
        raise ValidationError(errors) from None
    logger.info(
        "status set",
        extra={
            "implementation": implementation.pk,
            "track": track,
            "status": status,
            "version": implementation.version,
        },
    )
    return update


def assignment_errors(*, implementation: Implementation, owner) -> dict[str, str]:
    """Why `owner` may not own this implementation ({field: message}; empty when they may). The
    admin's form asks it before saving, so its refusal is shown on the form."""
    if owner is not None and not permissions.is_staff_member(owner):
        return {"owner": _("The owner must be a staff member with a role.")}
    if owner is not None and not permissions.can_edit_state(owner, implementation.state_id):
        return {"owner": _("The owner's scope does not include %(state)s.") % {"state": implementation.state}}
    return {}


@service
def implementation_assign(
    *,
    implementation: Implementation,
    actor,
    owner=None,
    lead_agency: str = "",
    due_date: datetime.date | None = None,
    position: str | None = None,
    internal_note: str | None = None,
    expected_version: int | None = None,
    notify: bool = True,
) -> Implementation:
    """Set who owns an implementation, the lead agency, due date, the state's position and (when
    given) the internal note. A new owner is emailed once the write commits, whichever door
    assigned them (`notify=False`: demo data)."""
    locked = _lock(implementation)
    if not permissions.can_assign(actor, locked):
        raise denied(_("Only the secretariat assigns owners and due dates."))
    check_version(locked, expected_version)
    errors = assignment_errors(implementation=locked, owner=owner)
    if errors:
        raise ValidationError(errors)
    before = changes.snapshot(locked)
    previous_owner_id = locked.owner_id
    locked.owner, locked.lead_agency, locked.due_date = owner, lead_agency.strip(), due_date
    if position is not None:
        locked.position = position
    if internal_note is not None:
        locked.internal_note = internal_note
    locked.version += 1
    locked.full_clean(exclude=["state", "commitment", "recommendation", "owner"])
    locked.save()
    changes.record(actor=actor, instance=locked, before=before)
    logger.info("assigned", extra={"implementation": locked.pk, "owner": owner.pk if owner else None})
    if notify and owner is not None and owner.pk != previous_owner_id:
        from ..staff import notifications

        transaction.on_commit(lambda: notifications.notify_assignment(implementation=locked, owner=owner, actor=actor))
    return locked


@service
def implementation_track(
    *, actor, state, commitment=None, recommendation=None, is_demo: bool = False
) -> Implementation:
    """Start tracking an item for a state (administrators; the demo's tracked recommendations).
    Returns the existing row when the item is already tracked."""
    if not permissions.is_administrator(actor):
        raise denied(_("Only administrators start tracking an item."))
    found = Implementation.objects.filter(state=state, commitment=commitment, recommendation=recommendation).first()
    if found is not None:
        return found
    implementation = Implementation(state=state, commitment=commitment, recommendation=recommendation, is_demo=is_demo)
    implementation.full_clean()
    implementation.save()
    implementations_added([implementation])
    changes.record(actor=actor, instance=implementation, before={})
    return implementation


@service
def implementations_flag_demo(*, actor, ids) -> int:
    """Flag implementations as demo data (`manage.py demo`, which touched them)."""
    if not permissions.is_administrator(actor):
        raise denied(_("Only administrators flag demo data."))
    flagged = 0
    for implementation in Implementation.objects.select_for_update(of=("self",)).filter(pk__in=ids, is_demo=False):
        before = changes.snapshot(implementation)
        implementation.is_demo = True
        implementation.save(update_fields=["is_demo", "updated_at"])
        changes.record(actor=actor, instance=implementation, before=before)
        flagged += 1
    return flagged
