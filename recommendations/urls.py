"""Public pages of the tracker."""

app_name = "recommendations"
urlpatterns = []
