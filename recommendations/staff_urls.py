"""Staff pages (login required)."""

app_name = "staff"
urlpatterns = []
