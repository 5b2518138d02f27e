"""Every write of the tracker. Pages, API, admin actions and imports all call these functions.

Each one checks permission through `permissions`, validates, and writes what belongs together
in one transaction. The services are split by what they write:
- `implementations.py`: status (one or in bulk) and assignment;
- `evidence.py`: adding, verifying, publishing and unpublishing evidence;
- `measurements.py`: indicator measurements;
- `bulk.py`: one status applied to many implementations (the admin action);
- `uploads.py`: the checks an evidence file passes before it is stored.
"""

from .evidence import evidence_add, evidence_unpublish, evidence_verify
from .implementations import (
    BulkStatusError,
    StaleEdit,
    StatusChange,
    implementation_assign,
    implementation_set_status,
    implementation_set_status_bulk,
    implementation_status_changes_check,
)
from .measurements import measurement_save

__all__ = [
    "BulkStatusError",
    "StaleEdit",
    "StatusChange",
    "evidence_add",
    "evidence_unpublish",
    "evidence_verify",
    "implementation_assign",
    "implementation_set_status",
    "implementation_set_status_bulk",
    "implementation_status_changes_check",
    "measurement_save",
]
