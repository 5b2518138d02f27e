"""URL map. Public pages, staff pages and the admin are language-prefixed (no prefix for English:
/fr/admin/ is the French admin, /admin/ the English one); the API, feeds and evidence downloads
keep stable, unprefixed addresses."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from gcmtracker.accounts import ThrottledPasswordResetView, two_factor
from gcmtracker.health import healthz, readyz
from gcmtracker.login import LoginView
from recommendations.public import urls as public_urls
from recommendations.staff import files as evidence_files
from recommendations.stakeholders import views as stakeholder_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("gcmtracker.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("feeds/", include(public_urls.feeds)),
    path("evidence/<int:pk>/file/", evidence_files.evidence_file, name="evidence-file"),
    path("stakeholder-evidence/<int:pk>/file/", stakeholder_views.evidence_file, name="stakeholder-evidence-file"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Before Django's own: the same page, throttled per address asked for and per client.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/two-factor/", two_factor, name="two-factor"),
    path("accounts/login/", LoginView.as_view(), name="login"),  # says how many tries are left
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/", include("recommendations.staff.urls")),
    path("stakeholders/", include("recommendations.stakeholders.urls")),
    path("events/", include("events.urls")),
    path("", include("recommendations.accountability.urls")),
    path("", include("recommendations.review.urls")),
    path("", include("recommendations.public.urls")),
    prefix_default_language=False,
)

# A 404 under /api/ answers JSON, as the API's other errors do (and as its schema says).
handler404 = "gcmtracker.api_filters.api_not_found"
