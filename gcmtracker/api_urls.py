"""The REST API under /api/v1/: one router for both apps, each resource under its readable identifier."""

from rest_framework.routers import DefaultRouter

from events import api as events_api
from recommendations import api as recommendations_api

router = DefaultRouter()
router.register("states", recommendations_api.StateViewSet, basename="state")
router.register("themes", recommendations_api.ThemeViewSet, basename="theme")
router.register("commitments", recommendations_api.CommitmentViewSet, basename="commitment")
router.register("recommendations", recommendations_api.RecommendationViewSet, basename="recommendation")
router.register("implementations", recommendations_api.ImplementationViewSet, basename="implementation")
router.register("status-updates", recommendations_api.StatusUpdateViewSet, basename="statusupdate")
router.register("changes", recommendations_api.ChangeRecordViewSet, basename="changerecord")
router.register("evidence", recommendations_api.EvidenceViewSet, basename="evidence")
router.register("stakeholder-reports", recommendations_api.StakeholderReportViewSet, basename="stakeholderreport")
router.register("rounds", recommendations_api.ReportingRoundViewSet, basename="reportinground")
router.register("review-cycles", recommendations_api.ReviewCycleViewSet, basename="reviewcycle")
router.register("indicators", recommendations_api.IndicatorViewSet, basename="indicator")
router.register("measurements", recommendations_api.MeasurementViewSet, basename="measurement")
router.register("phases", events_api.PhaseViewSet, basename="phase")
router.register("events", events_api.EventViewSet, basename="event")
router.register("documents", events_api.DocumentViewSet, basename="document")

urlpatterns = router.urls
