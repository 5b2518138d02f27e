import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate

security_logger = logging.getLogger("gcmtracker.security")


def create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """`migrate` also creates the database cache's table (settings.CACHES), so no install step
    can forget `createcachetable`; it is a no-op when the table exists or the cache is Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes locked a username out after AXES_FAILURE_LIMIT failures: one line, no password."""
    security_logger.warning("login locked out", extra={"username": username, "ip_address": ip_address})


class GcmTrackerConfig(AppConfig):
    """The project package as an app: its import jobs, the lock-out log and the cache table."""

    name = "gcmtracker"
    verbose_name = "GCM Tracker"

    def ready(self):
        from axes.signals import user_locked_out

        user_locked_out.connect(log_lockout, dispatch_uid="gcm-log-lockout")
        # Django sends post_migrate only to apps with models, which this package has none of: hang it
        # on the sessions app, migrated by every `migrate`.
        from django.apps import apps

        post_migrate.connect(
            create_cache_table, sender=apps.get_app_config("sessions"), dispatch_uid="gcm-create-cache-table"
        )
