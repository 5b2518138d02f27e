"""Bulk import of spreadsheets (CSV, XLSX) and Django fixtures (JSON, YAML), for the admin page and
the `import_data` command alike.

One pass in four steps: read the file (a file that cannot be read is refused as a whole), check
the header, check every row (errors are kept by row and column, and checking goes on so the
user sees them all at once), then write everything in one transaction, or nothing if any row
was refused. A dry run stops before writing, or, where only the write itself can tell (fixtures,
and the few rows of the other non-status kinds), writes and rolls back.

Writes go through `services` like every other door: status rows through the bulk form of
`implementation_set_status` (the same rules, history written in a few queries), the rest through
`implementation_assign`, `evidence_add` and `measurement_save`, row by row. Who may import what
is decided by `permissions`; a row outside the user's scope is an error of that row.

Importing the same file again changes nothing: a status row equal to a recorded update, evidence
with a URL the implementation already has, and values already held are "unchanged".

This module runs an import and is the surface the admin page, the command and the tests use. The
steps live beside it: `report` (the kinds, their columns, the report), `reading` (CSV and XLSX, the
header), `cells` (checking cells), `kinds` (the importer of each spreadsheet kind) and `fixtures`.
"""

import logging
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .. import permissions, services
from ..choices import Door
from .cells import parse_date
from .fixtures import import_fixture
from .kinds import IMPORTERS
from .reading import check_header, read_table
from .report import (
    ALIASES,
    COLUMNS,
    FIXTURE_SUFFIXES,
    HEADER_ROW,
    SPREADSHEET_SUFFIXES,
    Action,
    Columns,
    ImportRefused,
    ImportReport,
    Kind,
    RowChange,
    RowError,
)

logger = logging.getLogger("recommendations.imports")

__all__ = [
    "ALIASES",
    "COLUMNS",
    "FIXTURE_SUFFIXES",
    "HEADER_ROW",
    "SPREADSHEET_SUFFIXES",
    "Action",
    "Columns",
    "ImportRefused",
    "ImportReport",
    "Kind",
    "RowChange",
    "RowError",
    "check_size",
    "error_rows",
    "importable_kinds",
    "parse_date",
    "read_table",
    "run_import",
    "template_rows",
]


def importable_kinds(user) -> list[Kind]:
    return [kind for kind in Kind if permissions.can_import(user, kind)]


def run_import(*, kind: str, filename: str, data: bytes, user, apply: bool = False, progress=None) -> ImportReport:
    """Check the file and, when `apply` is set and every row is fine, write it all in one transaction.
    `progress(done, total)` is told how many rows were checked as the check goes."""
    report = ImportReport(kind=kind, filename=PurePath(filename or "").name, progress=progress)
    try:
        return _run_import(report, kind, data, user, apply)
    finally:
        # One line per import, whichever door ran it (admin page, task, command).
        logger.info(
            "import %s" % ("applied" if report.applied else "refused" if report.errors else "checked"),
            extra={
                "kind": kind,
                "file": report.filename,
                "apply": apply,
                "errors": len(report.errors),
                **report.counts,
            },
        )


def _run_import(report: ImportReport, kind: str, data: bytes, user, apply: bool) -> ImportReport:
    if kind not in Kind.values:
        report.error(None, "kind", _("“%(kind)s” is not something that can be imported.") % {"kind": kind})
        return report
    if not permissions.can_import(user, kind):
        report.error(None, "kind", _("You may not import %(kind)s.") % {"kind": Kind(kind).label})
        return report
    try:
        check_size(len(data))
        with services.door(Door.IMPORT):  # the change records say the rows came by import
            if kind == Kind.FIXTURE:
                import_fixture(report, data, user, apply)
            else:
                header, rows = read_table(report.filename, data)
                if check_header(report, kind, header):
                    IMPORTERS[kind](report, rows, user, apply)
    except ImportRefused as exc:
        report.error(None, "file", str(exc))
    report.applied = apply and report.ok
    report.errors.sort(key=lambda error: error.row or 0)  # stable: a row's errors keep their column order
    return report


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(_("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)})


# --- Exports ---------------------------------------------------------------------------------


def template_rows(kind: str) -> list[list[str]]:
    """The header of a kind's spreadsheet, for a blank template to fill in."""
    return [list(COLUMNS[kind].all)]


def error_rows(report_errors) -> list[list]:
    """The errors as spreadsheet rows (escape them with `downloads.csv_cell` on the way out)."""
    return [["row", "column", "error"]] + [[e.row or "", e.field, e.message] for e in report_errors]
