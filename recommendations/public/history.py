"""A state's public history as one list, newest first: its status updates (`selectors.public_history`)
and its public change records (`selectors.public_changes`: lead agency, due date, position,
evidence published or unpublished, indicator values...), each in plain words and never with the
name of the staff member who made it.

One page costs a fixed number of queries whatever the length of the history: a COUNT over one
narrow UNION of both lists' keys (kind, id, day, time), that UNION's page, then the page's rows of
each kind (and the status updates' public evidence).
"""

from django.core.paginator import Page, Paginator
from django.db.models import DateField, F, IntegerField, Value
from django.db.models.functions import TruncDate

from .. import selectors

STATUS, CHANGE = 0, 1


def _keys(state):
    updates = (
        selectors.public_history()
        .filter(state=state)
        .order_by()
        .annotate(kind=Value(STATUS, IntegerField()), day=F("effective_date"), at=F("created_at"))
        .values_list("kind", "pk", "day", "at")
    )
    changes = (
        selectors.public_changes()
        .filter(state=state)
        .order_by()
        .annotate(
            kind=Value(CHANGE, IntegerField()),
            day=TruncDate("created_at", output_field=DateField()),
            at=F("created_at"),
        )
        .values_list("kind", "pk", "day", "at")
    )
    return updates, changes


class _Count:
    """What the paginator counts: the UNION's rows, in one COUNT over it."""

    def __init__(self, keys):
        self.keys = keys
        self._total = None

    def count(self):
        if self._total is None:
            self._total = self.keys.count()
        return self._total

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        return []  # the page's rows are read from the UNION, below


def state_history_page(state, number, *, per_page: int) -> Page:
    """Page `number` of the state's history (as `Paginator.get_page`: a number that is not one gives
    the first page, one past the end the last). Each entry is a StatusUpdate or a ChangeRecord; the
    template tells them apart by `entry_kind` ("status" or "change")."""
    updates, changes = _keys(state)
    union = updates.union(changes, all=True)
    page = Paginator(_Count(union), per_page).get_page(number)
    start = (page.number - 1) * per_page
    keys = list(union.order_by("-day", "-at", "-kind", "-pk")[start : start + per_page])
    status_ids = [pk for kind, pk, _day, _at in keys if kind == STATUS]
    change_ids = [pk for kind, pk, _day, _at in keys if kind == CHANGE]
    rows = {}
    if status_ids:
        for update in selectors.public_history().filter(pk__in=status_ids):
            update.entry_kind = "status"
            rows[(STATUS, update.pk)] = update
    if change_ids:
        for record in selectors.public_changes().filter(pk__in=change_ids):
            record.entry_kind = "change"
            rows[(CHANGE, record.pk)] = record
    page.object_list = [rows[(kind, pk)] for kind, pk, _day, _at in keys if (kind, pk) in rows]
    return page
