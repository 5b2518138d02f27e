"""Atom feeds of public status changes."""

app_name = "feeds"
urlpatterns = []
