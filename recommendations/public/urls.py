"""Public pages of the tracker. Every list answers `?format=csv` and `?format=json` as filtered.

Two lists, mounted once each by gcmtracker/urls.py: `urlpatterns` (the pages, language-prefixed)
and `feeds` (the Atom feeds, at stable unprefixed addresses under /feeds/).
"""

from django.urls import path

from . import search, state_page, views
from .feeds import ChangesFeed, CommitmentChangesFeed, StateChangesFeed

app_name = "recommendations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("about/", views.about, name="about"),
    path("search/", search.search, name="search"),
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments/<int:number>/", views.commitment_detail, name="commitment-detail"),
    path("states/", views.state_list, name="state-list"),
    path("states/<str:iso2>/", state_page.state_detail, name="state-detail"),
    path("recommendations/", views.recommendation_list, name="recommendation-list"),
    path("recommendations/<slug:code>/", views.recommendation_detail, name="recommendation-detail"),
]

feeds = (
    [
        path("changes.atom", ChangesFeed(), name="all"),
        path("states/<str:iso2>.atom", StateChangesFeed(), name="state"),
        path("commitments/<int:number>.atom", CommitmentChangesFeed(), name="commitment"),
    ],
    "feeds",
)
