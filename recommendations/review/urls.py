"""Review and follow-up pages: cycles, follow-up reports, indicators. Public; mounted at the site
root inside the language prefix, like the other public pages. (Staff measurement entry is a
/staff/ page: staff/urls.py.)
"""

from django.urls import path

from . import cycles

app_name = "cycles"
urlpatterns = [
    path("cycles/", cycles.cycle_list, name="cycle-list"),
    path("cycles/<slug:slug>/", cycles.cycle_detail, name="cycle-detail"),
    path("cycles/<slug:slug>/states/<str:iso2>/", cycles.state_report, name="state-report"),
    path("indicators/<slug:code>/", cycles.indicator_detail, name="indicator-detail"),
]
