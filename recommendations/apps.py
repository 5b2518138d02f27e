from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = _("Recommendations and implementation")

    def ready(self):
        from .permissions import ensure_role_groups
        from .services.scopes import connect_signals

        connect_signals()  # writes made outside the services retire the cached pages (gcmtracker/scopes.py)

        post_migrate.connect(ensure_role_groups, sender=self)
