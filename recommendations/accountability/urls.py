"""The accountability pages: disagreements between the two tracks and migration corridors.
Public; mounted at the site root inside the language prefix."""

from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("disagreements/", views.disagreement_list, name="disagreement-list"),
    path("corridors/", views.corridor_list, name="corridor-list"),
    path("corridors/<slug:slug>/", views.corridor_detail, name="corridor-detail"),
]
