from django.apps import AppConfig


class GcmTrackerConfig(AppConfig):
    """The project package as an app, so it can connect the public cache to the data models."""

    name = "gcmtracker"
    verbose_name = "GCM Tracker"

    def ready(self):
        from .cache import connect_signals

        connect_signals()
