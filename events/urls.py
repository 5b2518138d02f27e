"""Public pages for events and documents."""

app_name = "events"
urlpatterns = []
