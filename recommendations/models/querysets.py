"""Named queries: each method says what a query means, so views and the API read as sentences."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Visibility


class ImplementationQuerySet(models.QuerySet):
    def for_state(self, state):
        return self.filter(state=state)

    def of_commitments(self):
        return self.filter(commitment__isnull=False)

    def of_recommendations(self):
        return self.filter(recommendation__isnull=False)


class StatusUpdateQuerySet(models.QuerySet):
    """History is append-only: bulk update and delete are refused like single-row ones."""

    def update(self, **kwargs):
        raise ValidationError(_("Status history is append-only: updates cannot be changed."))

    def delete(self):
        raise ValidationError(_("Status history is append-only: updates cannot be deleted."))

    def as_of(self, date):
        return self.filter(effective_date__lte=date)

    def changes(self):
        """Updates that moved the status. A review that confirms the status (planned, still
        planned) stays in the history, but is not a change: not in the feeds or "latest changes"."""
        return self.exclude(status=models.F("previous_status"))


class EvidenceQuerySet(models.QuerySet):
    def public(self):
        """Verified evidence an editor has published: the only evidence the public may see."""
        return self.filter(visibility=Visibility.PUBLIC, verified=True)
