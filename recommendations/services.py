"""Every write of the tracker. Pages, API, admin actions and imports all call these functions.

Each one checks permission through `permissions`, validates, and writes what belongs together
in one transaction: a status update and the implementation's current status move together, or
neither does.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .choices import EVIDENCED_STATUSES, Status, Track, Visibility
from .models import Evidence, Implementation, StatusUpdate


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
        raise StaleEdit(current=locked, changes=changes)


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
        raise PermissionDenied(_("You may not change the status of %(item)s.") % {"item": locked})
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
    locked.last_reviewed = effective_date
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
) -> Implementation:
    """Set who owns an implementation, the lead agency, due date and the state's position."""
    locked = _lock(implementation)
    if not permissions.can_assign(actor, locked):
        raise PermissionDenied(_("Only the secretariat assigns owners and due dates."))
    _check_version(locked, expected_version)
    if owner is not None and not permissions.is_staff_member(owner):
        raise ValidationError({"owner": _("The owner must be a staff member with a role.")})
    if owner is not None and not permissions.can_edit_state(owner, locked.state_id):
        raise ValidationError({"owner": _("The owner's scope does not include %(state)s.") % {"state": locked.state}})
    locked.owner, locked.lead_agency, locked.due_date = owner, lead_agency.strip(), due_date
    if position is not None:
        locked.position = position
    locked.version += 1
    locked.full_clean(exclude=["state", "commitment", "recommendation", "owner"])
    locked.save()
    return locked


@transaction.atomic
def evidence_add(
    *,
    implementation: Implementation,
    actor,
    title: str,
    kind: str,
    url: str = "",
    file=None,
    date: datetime.date | None = None,
    description: str = "",
    is_demo: bool = False,
) -> Evidence:
    """Attach evidence (a URL and/or a file already checked by `uploads.validate_evidence_file`).
    New evidence is staff-only and unverified until an editor verifies and publishes it."""
    if not permissions.can_add_evidence(actor, implementation):
        raise PermissionDenied(_("You may not add evidence to %(item)s.") % {"item": implementation})
    evidence = Evidence(
        implementation=implementation,
        title=title.strip(),
        kind=kind,
        url=url.strip(),
        date=date,
        description=description.strip(),
        added_by=actor,
        is_demo=is_demo,
    )
    if file is not None:
        evidence.original_filename = getattr(file, "name", "")[-255:]
        evidence.size = getattr(file, "size", None)
        evidence.content_type = getattr(file, "gcm_content_type", "") or ""
        evidence.file = file
    if not evidence.url and not evidence.file:
        raise ValidationError({"url": _("Give a URL or upload a file.")})
    evidence.full_clean(exclude=["implementation", "added_by", "file"])
    evidence.save()
    return evidence


@transaction.atomic
def evidence_verify(*, evidence: Evidence, actor, publish: bool = False) -> Evidence:
    """Mark evidence as checked by the secretariat and, when asked, publish it."""
    if not permissions.can_publish_evidence(actor, evidence):
        raise PermissionDenied(_("Only the secretariat verifies and publishes evidence."))
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    now = timezone.now()
    if not evidence.verified:
        evidence.verified, evidence.verified_by, evidence.verified_at = True, actor, now
    if publish and evidence.visibility != Visibility.PUBLIC:
        evidence.visibility, evidence.published_at = Visibility.PUBLIC, now
    evidence.save()
    return evidence


@transaction.atomic
def evidence_unpublish(*, evidence: Evidence, actor) -> Evidence:
    if not permissions.can_publish_evidence(actor, evidence):
        raise PermissionDenied(_("Only the secretariat verifies and publishes evidence."))
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    evidence.visibility, evidence.published_at = Visibility.STAFF, None
    evidence.save()
    return evidence
