"""Public pages for events and documents. Every list answers `?format=csv` and `?format=json` as filtered."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("documents/", views.document_list, name="document-list"),
    path("documents/<slug:slug>/", views.document_detail, name="document-detail"),
    path("<slug:slug>/", views.event_detail, name="event-detail"),
]
