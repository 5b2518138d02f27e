"""Review and follow-up pages: cycles, follow-up reports, indicators; and staff measurement entry.

Mounted at the site root inside the language prefix, like the other public pages.
"""

from django.urls import path

from . import cycles, indicators

app_name = "cycles"
urlpatterns = [
    path("cycles/", cycles.cycle_list, name="cycle-list"),
    path("cycles/<slug:slug>/", cycles.cycle_detail, name="cycle-detail"),
    path("cycles/<slug:slug>/states/<str:iso2>/", cycles.state_report, name="state-report"),
    path("indicators/<slug:code>/", indicators.indicator_detail, name="indicator-detail"),
    path("staff/measurements/new/", indicators.measurement_new, name="measurement-new"),
]
