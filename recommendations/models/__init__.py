"""Every model of the app, re-exported so that `from recommendations.models import X` finds it.

The models are split by topic; the app label, the tables and the migrations are those of one app:
- `reference.py`: what should be done and who it concerns (states, commitments, recommendations,
  themes, SDG targets);
- `tracking.py`: how far each state has got (implementations, status history, evidence) and the
  states a staff member may edit;
- `review.py`: review cycles, indicators and measurements;
- `corridors.py`: migration corridors;
- `stakeholders.py`: stakeholder organisations, their contributors and their reports (moderated);
- `rounds.py`: reporting rounds, the states' "no change, confirmed", the frozen results of a
  closed round and the reminders sent;
- `tallies.py`: counts per state and per commitment the writes keep (no aggregation on read);
- `changes.py`: the change record every write leaves (append-only);
- `querysets.py`: the querysets the tracking models use.

The import order below is the order Django registers the models in, which is the order
`dumpdata` writes them and `loaddata` reads them back: reference data first. Keep it.
"""

# ruff: noqa: I001 (the order is deliberate, see above)
from .reference import (
    Commitment,
    CommitmentAction,
    Recommendation,
    SDGTarget,
    SourceText,
    State,
    Theme,
    localized_state_name,
    sorted_by_localized_name,
    validate_translations,
)
from .tracking import Evidence, Implementation, StateScope, StatusUpdate, evidence_upload_to
from .review import Indicator, Measurement, ReviewCycle
from .corridors import Corridor, CorridorState
from .stakeholders import Contributor, Organisation, StakeholderEvidence, StakeholderReport
from .rounds import ReportingRound, RoundConfirmation, RoundReminder, RoundStateResult
from .tallies import CommitmentTally, StateTally

# isort: split
# Last: registered after the models it refers to, it keeps their dump order (tests/test_backup.py).
from .changes import ChangeRecord

__all__ = [
    "ChangeRecord",
    "Commitment",
    "CommitmentAction",
    "CommitmentTally",
    "Contributor",
    "Corridor",
    "CorridorState",
    "Evidence",
    "Implementation",
    "Indicator",
    "Measurement",
    "Organisation",
    "Recommendation",
    "ReportingRound",
    "ReviewCycle",
    "RoundConfirmation",
    "RoundReminder",
    "RoundStateResult",
    "SDGTarget",
    "SourceText",
    "StakeholderEvidence",
    "StakeholderReport",
    "State",
    "StateScope",
    "StateTally",
    "StatusUpdate",
    "Theme",
    "evidence_upload_to",
    "localized_state_name",
    "sorted_by_localized_name",
    "validate_translations",
]
