"""A state's public history as one list, newest first: its status updates (`selectors.public_history`)
and its public change records (`selectors.public_changes`: lead agency, due date, position,
evidence published or unpublished, indicator values...), each in plain words and never with the
name of the staff member who made it.

One page costs a fixed number of queries whatever the length of the history: one page and one key
more of one narrow UNION of both lists' keys (kind, id, day, time), then the page's rows of each
kind (and the status updates' public evidence), or only those of the entries the cache does not
hold (`{% history_entries %}`: an entry, once written, changes only with the evidence it shows).
The history is paged without its total ("Page 3", previous and next): counting the UNION cost
more than the rest of the history (issue 18), and a count kept as a tally would have to follow
every evidence publication back and forth (an unpublished piece of evidence hides what was said of
it before). Only a page past the end counts, to give the last page.
"""

from collections.abc import Sequence

from django.core.paginator import Paginator
from django.db import connections, router
from django.db.models import DateField, F, IntegerField, Value
from django.db.models.functions import TruncDate

from gcmtracker.compiled import CompiledQuery

from .. import selectors
from ..models import StatusUpdate

STATUS, CHANGE = 0, 1


def _keys(state_id: int):
    updates = (
        selectors.public_history()
        .filter(state_id=state_id)
        .order_by()
        .annotate(kind=Value(STATUS, IntegerField()), day=F("effective_date"), at=F("created_at"))
        .values_list("kind", "pk", "day", "at")
    )
    changes = (
        selectors.public_changes()
        .filter(state_id=state_id)
        .order_by()
        .annotate(
            kind=Value(CHANGE, IntegerField()),
            day=TruncDate("created_at", output_field=DateField()),
            at=F("created_at"),
        )
        .values_list("kind", "pk", "day", "at")
    )
    return updates, changes


def _window_query(state_id: int, start: int, size: int):
    """`size` keys of the UNION from `start`, newest first. Where the database takes a LIMIT in
    each part of a UNION (PostgreSQL; not SQLite), each list gives only its newest `start + size`
    first, read along its (state, newest first) index, rather than the whole history being sorted
    for one page (1.5 ms of PostgreSQL's time for a state with 5,000 updates)."""
    updates, changes = _keys(state_id)
    newest = ("-day", "-at", "-pk")
    if connections[router.db_for_read(StatusUpdate)].features.supports_slicing_ordering_in_compound:
        updates, changes = updates.order_by(*newest)[: start + size], changes.order_by(*newest)[: start + size]
    return updates.union(changes, all=True).order_by("-day", "-at", "-kind", "-pk")[start : start + size]


# Compiled once a process per page position: building and compiling the UNION took two thirds
# of its cost (gcmtracker.compiled). Only its kinds and ids are read.
_WINDOW = CompiledQuery(StatusUpdate, _window_query)


def _window(state, start: int, size: int) -> list[tuple[int, int]]:
    return [(kind, pk) for kind, pk, _day, _at in _WINDOW.rows(state.pk, shape=(start, size))]


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


class HistoryPage(Sequence):
    """One page of the history, known without the history's length: its entries' keys, its number
    and whether a next page exists (includes/_pager.html draws it). The entries themselves are
    read when first used, or only those the cache misses (`entries`: `{% history_entries %}`)."""

    def __init__(self, keys: list[tuple[int, int]], number: int, has_next: bool):
        self.keys = keys
        self.number = number
        self._has_next = has_next
        self._entries = None

    @property
    def object_list(self) -> list:
        if self._entries is None:
            found = self.entries(self.keys)
            self._entries = [found[key] for key in self.keys if key in found]
        return self._entries

    def entries(self, keys) -> dict:
        """{key: its StatusUpdate or ChangeRecord}: two queries at most. Each is marked with
        `entry_kind` ("status" or "change") for the template."""
        status_ids = [pk for kind, pk in keys if kind == STATUS]
        change_ids = [pk for kind, pk in keys if kind == CHANGE]
        rows = {}
        if status_ids:
            for update in selectors.public_history().filter(pk__in=status_ids):
                update.entry_kind = "status"
                rows[(STATUS, update.pk)] = update
        if change_ids:
            for record in selectors.public_changes().filter(pk__in=change_ids):
                record.entry_kind = "change"
                rows[(CHANGE, record.pk)] = record
        return rows

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, index):
        if not isinstance(index, int | slice):  # a template's `page.has_next` tries page["has_next"] first
            raise TypeError(index)
        return self.object_list[index]

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def state_history_page(state, number, *, per_page: int) -> HistoryPage:
    """Page `number` of the state's history (as `Paginator.get_page`: a number that is not one gives
    the first page, one past the end the last): one query for its keys. Each entry is a
    StatusUpdate or a ChangeRecord; the template tells them apart by `entry_kind` ("status" or
    "change")."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    keys = _window(state, start, per_page + 1) if start < 2**31 else []
    if not keys and number > 1:  # past the end: the last page, which only the total tells
        updates, changes = _keys(state.pk)
        number = Paginator(_Count(updates.union(changes, all=True)), per_page).get_page(number).number
        start = (number - 1) * per_page
        keys = _window(state, start, per_page + 1)
    has_next = len(keys) > per_page
    return HistoryPage(keys[:per_page], number, has_next)
