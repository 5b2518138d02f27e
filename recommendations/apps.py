from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_role_groups(sender, **kwargs):
    """One Django group per role, so administrators grant roles in the user admin."""
    from django.contrib.auth.models import Group

    from .choices import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = _("Recommendations and implementation")

    def ready(self):
        post_migrate.connect(ensure_role_groups, sender=self)
