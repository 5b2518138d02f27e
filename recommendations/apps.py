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
        from .services.tallies import connect_signals as keep_tallies

        connect_signals()  # writes made outside the services retire the cached pages (gcmtracker/scopes.py)
        keep_tallies()  # and recount the tallies of what they wrote (models/tallies.py)

        post_migrate.connect(ensure_role_groups, sender=self)
