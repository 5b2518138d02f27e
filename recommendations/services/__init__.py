"""Every write of the tracker. Pages, API, admin, imports, commands and the demo all call these
functions, and nothing else writes tracked data (tests/write_guard.py checks it in every test).

Each one is a `@service` (context.py): one transaction, with its permission check through
`permissions`, its validation, and a change record of what it wrote (changes.py; a status
change's record is its status update). The services are split by what they write:
- `bulk.py`: the status service: a list of changes, all or none; one change is a list of one;
- `implementations.py`: one status change, the assignment, tracking an item;
- `evidence.py`: adding, verifying, publishing and unpublishing evidence;
- `measurements.py`: indicator measurements;
- `records.py`: the records staff edit as they are (reference data, cycles, indicators,
  corridors, scopes), as the admin and the demo write them;
- `events.py`: the events' records (events, listings, sessions, participants, documents, phases),
  as the admin writes them, with their listings' disagreements recomputed;
- `reference.py`: loading the source fixtures (`manage.py seed`, the fixture import);
- `stakeholders.py`: stakeholder organisations and contributors: registration, email
  confirmation, an editor's approval or rejection;
- `stakeholder_reports.py`: stakeholder reports: submitting, editing, moderating;
- `rounds.py`: reporting rounds: opening, editing, closing (which freezes the results), a
  state's "no change, confirmed", the reminders sent;
- `stale.py`: refusing a write that started from an old version;
- `uploads.py`: the checks an evidence file passes before it is stored.
"""

from .bulk import (
    BulkStatusError,
    NewEvidence,
    StatusChange,
    implementation_set_status_bulk,
    implementation_status_changes_check,
)
from .context import current_door, door, in_service, service
from .events import event_record_delete, event_record_save
from .evidence import evidence_add, evidence_unpublish, evidence_verify
from .implementations import (
    assignment_errors,
    implementation_assign,
    implementation_set_status,
    implementation_track,
    implementations_flag_demo,
)
from .measurements import measurement_delete, measurement_save
from .records import record_delete, record_save
from .reference import load_fixtures
from .rounds import round_close, round_confirm_unchanged, round_edit, round_open, round_reminder_record
from .stakeholder_reports import Link, find_implementation, report_edit, report_moderate, report_submit
from .stakeholders import StaleModeration, contributor_confirm_email, organisation_moderate, organisation_register
from .stale import StaleEdit, assignment_differences, check_version

__all__ = [
    "BulkStatusError",
    "Link",
    "NewEvidence",
    "StaleEdit",
    "StaleModeration",
    "StatusChange",
    "assignment_differences",
    "assignment_errors",
    "check_version",
    "contributor_confirm_email",
    "current_door",
    "door",
    "event_record_delete",
    "event_record_save",
    "evidence_add",
    "evidence_unpublish",
    "evidence_verify",
    "find_implementation",
    "implementation_assign",
    "implementation_set_status",
    "implementation_set_status_bulk",
    "implementation_status_changes_check",
    "implementation_track",
    "implementations_flag_demo",
    "in_service",
    "load_fixtures",
    "measurement_delete",
    "measurement_save",
    "organisation_moderate",
    "organisation_register",
    "record_delete",
    "record_save",
    "report_edit",
    "report_moderate",
    "report_submit",
    "round_close",
    "round_confirm_unchanged",
    "round_edit",
    "round_open",
    "round_reminder_record",
    "service",
]
