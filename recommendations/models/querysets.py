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


@models.ForeignKey.register_lookup
class AnyOf(models.Lookup):
    """`implementation_id__any_of=[ids]`: what `__in` means, with the ids sent as one array
    parameter on PostgreSQL (`= ANY(%s)`) rather than a placeholder each. A state's evidence is
    filtered on its ~1,000 implementation ids (`selectors.state_item_ids`): written as an IN list,
    building and binding the placeholders cost more CPU than the query itself, twice per page."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        if not values:
            return "1 = 0", tuple(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)
