"""What an import is about and what it tells: the kinds that can be imported, their spreadsheet
columns, and the report a run fills in (the changes and the errors, by row and column)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy


class Kind(models.TextChoices):
    STATUS_UPDATES = "status_updates", gettext_lazy("Status updates")
    IMPLEMENTATIONS = "implementations", gettext_lazy("Implementations (owner, lead agency, due date, position)")
    EVIDENCE = "evidence", gettext_lazy("Evidence links")
    MEASUREMENTS = "measurements", gettext_lazy("Indicator measurements")
    FIXTURE = "fixture", gettext_lazy("Reference data fixture (JSON or YAML, as in fixtures/)")


class Action(models.TextChoices):
    CREATE = "create", gettext_lazy("create")
    UPDATE = "update", gettext_lazy("update")
    UNCHANGED = "unchanged", gettext_lazy("unchanged")


@dataclass(frozen=True)
class Columns:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Rows name their tracked item by a "commitment" (number) or a "recommendation" (code) column.
    item: bool = True

    @property
    def all(self) -> tuple[str, ...]:
        return (
            self.required[:1]
            + (("commitment", "recommendation") if self.item else ())
            + self.required[1:]
            + (self.optional)
        )


# The spreadsheet columns of each kind; README and the admin page list the same.
COLUMNS = {
    Kind.STATUS_UPDATES: Columns(
        required=("state", "status", "effective_date", "comment"), optional=("track", "rationale", "evidence_urls")
    ),
    Kind.IMPLEMENTATIONS: Columns(required=("state",), optional=("lead_agency", "due_date", "position", "owner")),
    Kind.EVIDENCE: Columns(required=("state", "title", "kind", "url"), optional=("date", "description")),
    Kind.MEASUREMENTS: Columns(
        required=("state", "indicator", "date", "value"),
        optional=("sex", "age_group", "migratory_status", "review_cycle", "source"),
        item=False,
    ),
}
# Download column names accepted for their import twins, so a downloaded sheet reads back.
ALIASES = {"state_iso2": "state", "iso2": "state"}

SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
FIXTURE_SUFFIXES = (".json", ".yaml", ".yml")
HEADER_ROW = 1  # rows are numbered as a spreadsheet shows them: the header is row 1


class ImportRefused(Exception):
    """The file as a whole cannot be read; nothing was checked row by row, nothing written."""


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the file as a whole
    field: str
    message: str


@dataclass(frozen=True)
class RowChange:
    row: int
    action: str
    label: str


@dataclass
class ImportReport:
    kind: str
    filename: str
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    # Told (rows checked, rows in all) as the check goes: a background import's progress bar.
    progress: Callable[[int, int], None] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Action.values, 0)
        for change in self.changes:
            counts[change.action] += 1
        return counts

    def error(self, row, field_name, message) -> None:
        self.errors.append(RowError(row, field_name, str(message)))

    def add(self, row, action, label) -> None:
        self.changes.append(RowChange(row, action, label))

    def counting(self, rows: list) -> Iterable:
        """The rows, telling `progress` every 1% (at least every 500 rows) and at the end."""
        if self.progress is None:
            yield from rows
            return
        total = len(rows)
        step = max(500, total // 100)
        for done, row in enumerate(rows, start=1):
            yield row
            if done % step == 0:
                self.progress(done, total)
        self.progress(total, total)
