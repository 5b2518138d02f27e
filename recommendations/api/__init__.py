"""API viewsets of the tracker under /api/v1/.

Reading is open to everyone; what a reader sees of evidence depends on who asks (`permissions.visible_evidence`).
The only writes are on implementations (status, evidence, assignment), and each one is handed to
`services`, which asks `permissions` again: the API decides nothing the pages would decide differently.

Each list runs a fixed number of queries whatever the data size: one count for the page, one for the
rows with their to-one relations joined, and one per prefetched to-many relation
(tests/test_api_queries.py holds the numbers).

The read-only viewsets are in `reads` (reporting rounds in `rounds`, stakeholder reports in
`stakeholders`), the writes (a mixin of `ImplementationViewSet`) in `writes`,
and what both use in `common`.
"""

from .common import ITEM_RELATIONS, etag, evidence_ids_prefetch
from .reads import (
    ID,
    NUMBER,
    SLUG,
    ChangeRecordViewSet,
    CommitmentViewSet,
    EvidenceViewSet,
    ImplementationViewSet,
    IndicatorViewSet,
    MeasurementViewSet,
    RecommendationViewSet,
    ReviewCycleViewSet,
    StateViewSet,
    StatusUpdateViewSet,
    ThemeViewSet,
)
from .rounds import ReportingRoundViewSet
from .stakeholders import StakeholderReportViewSet
from .writes import ImplementationWritesMixin, PreconditionFailed, PreconditionRequired, expected_version

__all__ = [
    "ChangeRecordViewSet",
    "ID",
    "ITEM_RELATIONS",
    "NUMBER",
    "SLUG",
    "CommitmentViewSet",
    "EvidenceViewSet",
    "ImplementationViewSet",
    "ImplementationWritesMixin",
    "IndicatorViewSet",
    "MeasurementViewSet",
    "PreconditionFailed",
    "PreconditionRequired",
    "RecommendationViewSet",
    "ReportingRoundViewSet",
    "ReviewCycleViewSet",
    "StakeholderReportViewSet",
    "StateViewSet",
    "StatusUpdateViewSet",
    "ThemeViewSet",
    "etag",
    "evidence_ids_prefetch",
    "expected_version",
]
