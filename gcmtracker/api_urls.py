"""The REST API under /api/v1/: one router for both apps."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
