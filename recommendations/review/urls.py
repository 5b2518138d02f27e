"""Review and follow-up pages: cycles, follow-up reports, reporting rounds, indicators. Public;
mounted at the site root inside the language prefix, like the other public pages. (Staff
measurement entry and the rounds' staff pages are /staff/ pages: staff/urls.py.)
"""

from django.urls import path

from . import cycles, round_pages

app_name = "cycles"
urlpatterns = [
    path("cycles/", cycles.cycle_list, name="cycle-list"),
    path("cycles/<slug:slug>/", cycles.cycle_detail, name="cycle-detail"),
    path("cycles/<slug:slug>/states/<str:iso2>/", cycles.state_report, name="state-report"),
    path("rounds/", round_pages.round_list, name="round-list"),
    path("rounds/<slug:slug>/", round_pages.round_detail, name="round-detail"),
    path("indicators/<slug:code>/", cycles.indicator_detail, name="indicator-detail"),
]
