"""A write that names the version it started from is refused when the record moved on since.

`StaleEdit` is what every door shows the same way: the staff page and the admin re-show the
form with what changed (409), the API answers 412. `assignment_differences` is the diff both
the staff page and the admin list.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..choices import Position
from ..models import Implementation, StatusUpdate
from .logs import logger


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


def check_version(locked: Implementation, expected_version: int | None) -> None:
    """Raise StaleEdit when `expected_version` is given and is not the locked row's version."""
    if expected_version is not None and locked.version != expected_version:
        logger.warning(
            "stale edit refused",
            extra={
                "implementation": locked.pk,
                "expected_version": expected_version,
                "current_version": locked.version,
            },
        )
        changes = list(
            locked.updates.select_related("author").filter(
                created_at__gte=locked.updated_at - datetime.timedelta(days=1)
            )[:5]
        )
        raise StaleEdit(current=locked, changes=changes)


def assignment_differences(implementation: Implementation, submitted: dict) -> list[dict]:
    """Assignment fields where the saved value now differs from what the person submitted
    (cleaned values: the owner a user): [{"label", "saved", "mine"}]."""
    positions = dict(Position.choices)
    fields = (
        (_("Owner"), implementation.owner, submitted.get("owner")),
        (_("Lead agency"), implementation.lead_agency, submitted.get("lead_agency")),
        (_("Due date"), implementation.due_date, submitted.get("due_date")),
        (_("Position"), positions.get(implementation.position), positions.get(submitted.get("position"))),
    )
    return [
        {"label": label, "saved": saved, "mine": mine}
        for label, saved, mine in fields
        if (saved or None) != (mine or None)
    ]
