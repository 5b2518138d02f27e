"""Bulk status change: one status, one comment and one piece of evidence applied to many
implementations. Each row still goes through the single-row services (and so through `permissions` and the
evidence rule); the whole batch is one transaction, so all rows change or none do."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import EvidenceKind, Track
from ..models import Implementation, StatusUpdate
from .evidence import evidence_add
from .implementations import implementation_set_status


@dataclass
class BulkEvidence:
    """Evidence to attach to every selected implementation (each gets its own copy)."""

    title: str
    url: str
    kind: str = EvidenceKind.REPORT


class BulkRefused(Exception):
    """One implementation of the batch was refused; nothing was applied."""

    def __init__(self, implementation: Implementation, reason: str):
        self.implementation, self.reason = implementation, reason
        super().__init__(
            _("Nothing was changed: %(item)s was refused: %(reason)s") % {"item": implementation, "reason": reason}
        )


def _reason(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@transaction.atomic
def implementations_bulk_set_status(
    *,
    implementations: Sequence[Implementation],
    status: str,
    actor,
    comment: str,
    rationale: str = "",
    track: str = Track.REPORTED,
    evidence: BulkEvidence | None = None,
) -> list[StatusUpdate]:
    """Apply one status to every implementation, or to none: the first refusal rolls all back."""
    if not implementations:
        raise ValidationError({"implementations": _("Select at least one implementation.")})
    updates = []
    for implementation in implementations:
        try:
            attached = []
            if evidence is not None:
                attached.append(
                    evidence_add(
                        implementation=implementation,
                        actor=actor,
                        title=evidence.title,
                        kind=evidence.kind,
                        url=evidence.url,
                    )
                )
            updates.append(
                implementation_set_status(
                    implementation=implementation,
                    status=status,
                    actor=actor,
                    comment=comment,
                    rationale=rationale,
                    track=track,
                    evidence=attached,
                )
            )
        except (PermissionDenied, ValidationError) as exc:
            raise BulkRefused(implementation, _reason(exc)) from exc
    return updates
