"""Checking cells, for every spreadsheet kind: `Rows` turns the cells of a row into values (a state, an
implementation, a choice, a date) and records an error by row and column for a bad one."""

import datetime
import functools
import re

from django.db import models
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Commitment, Implementation, Recommendation, State
from .report import COLUMNS, ImportReport

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Rows:
    """Resolves the states, items and implementations a file names with a few queries up front,
    and turns cells into values, recording an error (and returning None) for a bad one."""

    def __init__(self, report: ImportReport, rows, user):
        self.report, self.user = report, user
        self.states = {state.iso2: state for state in State.objects.all()}
        self.commitments = {str(number): pk for pk, number in Commitment.objects.values_list("pk", "number")}
        codes = {values.get("recommendation") for _number, values in rows} - {"", None}
        self.recommendations = dict(Recommendation.objects.filter(code__in=codes).values_list("code", "pk"))
        self.implementations = {}
        named = {values.get("state", "").upper() for _number, values in rows}
        state_ids = [self.states[code].pk for code in named if code in self.states]
        if COLUMNS[report.kind].item and state_ids:
            queryset = Implementation.objects.filter(state_id__in=state_ids).filter(
                models.Q(commitment_id__in=self.commitments.values())
                | models.Q(recommendation_id__in=self.recommendations.values())
            )
            for implementation in queryset:
                key = (implementation.state_id, implementation.commitment_id, implementation.recommendation_id)
                self.implementations[key] = implementation
        self.seen: dict[tuple, int] = {}
        self.commitment_label = _("commitment %(number)s")  # translated once, not once a row

    def item(self, values) -> str:
        """The tracked item a row names, for the preview's list of rows."""
        if values.get("commitment"):
            return self.commitment_label % {"number": values["commitment"]}
        return values.get("recommendation", "")

    def error(self, row, name, message):
        self.report.error(row, name, message)

    def state(self, row, values, may_edit=permissions.can_edit_state):
        code = values.get("state", "").upper()
        state = self.states.get(code)
        if state is None:
            self.error(row, "state", _("“%(code)s” is not an ISO 3166 alpha-2 code of a state.") % {"code": code})
        elif not may_edit(self.user, state.pk):
            self.error(row, "state", _("%(state)s is outside your scope.") % {"state": state.name})
            return None
        return state

    def implementation(self, row, values) -> Implementation | None:
        commitment, recommendation = values.get("commitment", ""), values.get("recommendation", "")
        if bool(commitment) == bool(recommendation):
            self.error(row, "commitment", _("Give either a commitment number or a recommendation code."))
            return None
        commitment_id = recommendation_id = None
        if commitment:
            commitment_id = self.commitments.get(commitment)
            if commitment_id is None:
                self.error(row, "commitment", _("There is no commitment “%(number)s”.") % {"number": commitment})
        else:
            recommendation_id = self.recommendations.get(recommendation)
            if recommendation_id is None:
                self.error(
                    row, "recommendation", _("There is no recommendation “%(code)s”.") % {"code": recommendation}
                )
        state = self.state(row, values)
        if state is None or (commitment_id or recommendation_id) is None:
            return None
        implementation = self.implementations.get((state.pk, commitment_id, recommendation_id))
        if implementation is None:
            self.error(
                row,
                "recommendation" if recommendation else "commitment",
                _("%(state)s does not track this item.") % {"state": state.name},
            )
        return implementation

    def choice(self, row, values, name, choices, default=None):
        value = values.get(name, "")
        if not value and default is not None:
            return default
        if value not in _values(choices):
            self.error(
                row,
                name,
                _("“%(value)s” is not one of: %(choices)s.") % {"value": value, "choices": ", ".join(choices.values)},
            )
            return None
        return value

    def date(self, row, values, name, required=True):
        value = values.get(name, "")
        if not value and not required:
            return None
        date = parse_date(value)
        if date is None:
            self.error(row, name, _("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": value})
        return date

    def required(self, row, values, name):
        value = values.get(name, "")
        if not value:
            self.error(row, name, _("This cell may not be empty."))
        return value

    def unique(self, row, key) -> bool:
        """A key given twice makes the second row an error: which one should win is not ours to guess."""
        first = self.seen.setdefault(key, row)
        if first != row:
            self.error(row, "", _("This row repeats row %(row)d.") % {"row": first})
            return False
        return True


@functools.cache
def _values(choices) -> frozenset[str]:
    return frozenset(choices.values)  # Django builds the list anew on each access


def parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if _DATE.match(value) else None
    except ValueError:
        return None


def failed(report: ImportReport, since: int) -> bool:
    return len(report.errors) > since
