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
"""

import csv
import datetime
import decimal
import functools
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions, seeding, services
from .choices import EvidenceKind, MigratoryStatus, Position, Sex, Status, Track
from .models import (
    Commitment,
    Evidence,
    Implementation,
    Indicator,
    Measurement,
    Recommendation,
    ReviewCycle,
    State,
    StatusUpdate,
)


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
        return self.required[:1] + (("commitment", "recommendation") if self.item else ()) + self.required[1:] + (
            self.optional
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

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def may_import(user, kind: str) -> bool:
    """Administrators anything; editors status data; focal points status data of their own states
    (which rows those are is checked row by row)."""
    if kind == Kind.FIXTURE:
        return permissions.can_import_reference_data(user)
    if kind == Kind.IMPLEMENTATIONS:
        return permissions.can_assign(user)
    return permissions.is_staff_member(user)


def importable_kinds(user) -> list[Kind]:
    return [kind for kind in Kind if may_import(user, kind)]


def run_import(*, kind: str, filename: str, data: bytes, user, apply: bool = False) -> ImportReport:
    """Check the file and, when `apply` is set and every row is fine, write it all in one transaction."""
    report = ImportReport(kind=kind, filename=PurePath(filename or "").name)
    if kind not in Kind.values:
        report.error(None, "kind", _("“%(kind)s” is not something that can be imported.") % {"kind": kind})
        return report
    if not may_import(user, kind):
        report.error(None, "kind", _("You may not import %(kind)s.") % {"kind": Kind(kind).label})
        return report
    try:
        check_size(len(data))
        if kind == Kind.FIXTURE:
            _import_fixture(report, data, user, apply)
        else:
            header, rows = read_table(report.filename, data)
            if _check_header(report, kind, header):
                _IMPORTERS[kind](report, rows, user, apply)
    except ImportRefused as exc:
        report.error(None, "file", str(exc))
    report.applied = apply and report.ok
    report.errors.sort(key=lambda error: error.row or 0)  # stable: a row's errors keep their column order
    return report


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
        )


# --- Reading ---------------------------------------------------------------------------------


def read_table(filename: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower-cased names) and the non-empty rows, as (row number, {column: text})."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        table = _csv_rows(data)
    elif suffix == ".xlsx":
        table = _xlsx_rows(data)
    else:
        raise ImportRefused(_("Upload a spreadsheet as .csv (UTF-8) or .xlsx."))
    try:
        number, header = next(table)
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    header = [ALIASES.get(name, name) for name in (cell.strip().lower() for cell in header)]
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, cells in table:
        if not any(cell.strip() for cell in cells):
            continue
        extra = cells[len(header) :]
        if any(cell.strip() for cell in extra):
            raise ImportRefused(
                _("Row %(row)d has %(cells)d cells but the header names %(columns)d columns.")
                % {"row": number, "cells": len(cells), "columns": len(header)}
            )
        rows.append((number, {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}))
    return header, rows


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            _("The file is not UTF-8 text (byte %(position)d). Save it as “CSV UTF-8” and upload it again.")
            % {"position": exc.start + 1}
        ) from None
    if "\x00" in text:
        raise ImportRefused(_("The file holds NUL bytes: it is not a CSV text file."))
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to a European locale save with semicolons: follow what the header uses.
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise ImportRefused(
            _("Malformed CSV at line %(line)d: %(problem)s.") % {"line": reader.line_num, "problem": exc}
        ) from None


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
        if expanded > 20 * settings.IMPORT_MAX_BYTES:  # a "zip bomb" is refused before it is unpacked
            raise ImportRefused(_("The workbook unpacks to more than the size limit allows."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportRefused:
        raise
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise ImportRefused(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_xlsx_text(value) for value in values]
    finally:
        workbook.close()


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_header(report: ImportReport, kind: str, header: list[str]) -> bool:
    columns = COLUMNS[kind]
    known = set(columns.all)
    seen = set()
    for name in header:
        if not name:
            report.error(HEADER_ROW, "", _("A column has no name."))
        elif name not in known:
            report.error(
                HEADER_ROW,
                name,
                _("Unknown column “%(name)s”. The columns are: %(columns)s.")
                % {"name": name, "columns": ", ".join(columns.all)},
            )
        elif name in seen:
            report.error(HEADER_ROW, name, _("The column “%(name)s” appears twice.") % {"name": name})
        seen.add(name)
    for name in columns.required:
        if name not in seen:
            report.error(HEADER_ROW, name, _("The column “%(name)s” is missing.") % {"name": name})
    if columns.item and not {"commitment", "recommendation"} & seen:
        report.error(HEADER_ROW, "commitment", _("Name the item in a “commitment” or “recommendation” column."))
    return report.ok


# --- Checking cells --------------------------------------------------------------------------


class _Rows:
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


def _failed(report: ImportReport, since: int) -> bool:
    return len(report.errors) > since


# --- Status updates --------------------------------------------------------------------------


def _import_status_updates(report, rows, user, apply):
    check = _Rows(report, rows, user)
    evidence_urls = {}
    if any(values.get("evidence_urls") for _n, values in rows):
        ids = [implementation.pk for implementation in check.implementations.values()]
        for item in Evidence.objects.filter(implementation_id__in=ids).exclude(url=""):
            evidence_urls[(item.implementation_id, item.url)] = item
    dates = [date for _n, values in rows if (date := parse_date(values.get("effective_date", "")))]
    recorded = set()
    if check.implementations and dates:
        recorded = set(
            StatusUpdate.objects.filter(
                implementation_id__in=[i.pk for i in check.implementations.values()],
                effective_date__range=(min(dates), max(dates)),
            ).values_list("implementation_id", "track", "status", "effective_date", "comment")
        )
    changes, change_rows = [], []
    for row, values in rows:
        since = len(report.errors)
        implementation = check.implementation(row, values)
        track = check.choice(row, values, "track", Track, default=Track.REPORTED)
        status = check.choice(row, values, "status", Status)
        effective_date = check.date(row, values, "effective_date")
        comment = check.required(row, values, "comment")
        if implementation and track and not permissions.can_set_track(user, implementation, track):
            check.error(row, "track", _("Only the secretariat sets the assessed status."))
        evidence = []
        for url in values.get("evidence_urls", "").split():
            item = evidence_urls.get((getattr(implementation, "pk", None), url))
            if item is None:
                check.error(row, "evidence_urls", _("No evidence of this item has the URL %(url)s.") % {"url": url})
            evidence.append(item)
        if _failed(report, since) or not check.unique(row, (implementation.pk, track, effective_date)):
            continue
        label = f"{values['state'].upper()} {check.item(values)} · {track}: {status} ({effective_date})"
        if (implementation.pk, track, status, effective_date, comment) in recorded:
            report.add(row, Action.UNCHANGED, label)
            continue
        report.add(row, Action.CREATE, label)
        change_rows.append(row)
        changes.append(
            services.StatusChange(
                implementation=implementation,
                status=status,
                comment=comment,
                rationale=values.get("rationale", ""),
                track=track,
                evidence=tuple(evidence),
                effective_date=effective_date,
            )
        )
    if not changes:
        return
    if not apply or not report.ok:  # the service's own checks too, so the preview lists every error
        errors = services.implementation_status_changes_check(changes=changes, actor=user)
        _report_service_errors(report, change_rows, errors)
        return
    try:
        services.implementation_set_status_bulk(changes=changes, actor=user)
    except services.BulkStatusError as exc:
        _report_service_errors(report, change_rows, exc.errors)


# The service names the argument at fault; the sheet calls some of them differently.
_SERVICE_FIELDS = {"permission": "state", "evidence": "evidence_urls"}


def _report_service_errors(report, change_rows, errors):
    for index, found in sorted(errors.items()):
        for name, message in found.items():
            report.error(change_rows[index], _SERVICE_FIELDS.get(name, name), message)


# --- Implementations, evidence, measurements: a service call per row -------------------------


def _write_rows(report, writes: list[tuple[int, Callable]], apply: bool) -> None:
    """Run each row's service call in its own savepoint, so every refusal is reported, then keep
    it all (applying, no errors) or roll it all back (a dry run, or any error)."""
    if not writes:
        return
    with transaction.atomic():
        for row, write in writes:
            try:
                with transaction.atomic():
                    write()
            except ValidationError as exc:
                for name, messages in _message_dict(exc).items():
                    for message in messages:
                        report.error(row, "" if name == "__all__" else name, message)
            except PermissionDenied as exc:
                report.error(row, "state", str(exc))
        if not (apply and report.ok):
            transaction.set_rollback(True)


def _message_dict(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _import_implementations(report, rows, user, apply):
    check = _Rows(report, rows, user)
    columns = set(rows[0][1]) if rows else set()
    usernames = {values.get("owner") for _n, values in rows} - {"", None}
    owners = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    writes = []
    for row, values in rows:
        since = len(report.errors)
        implementation = check.implementation(row, values)
        due_date = check.date(row, values, "due_date", required=False)
        position = check.choice(row, values, "position", Position, default=Position.NO_RESPONSE)
        owner = owners.get(values.get("owner", ""))
        if values.get("owner") and owner is None:
            check.error(row, "owner", _("There is no user “%(name)s”.") % {"name": values["owner"]})
        if _failed(report, since) or not check.unique(row, implementation.pk):
            continue
        # A column left out keeps what is recorded; a cell left empty clears it.
        wanted = {
            "owner_id": owner.pk if owner else None,
            "lead_agency": values.get("lead_agency", ""),
            "due_date": due_date,
            "position": position,
        }
        for name, column in (("owner_id", "owner"), ("lead_agency", "lead_agency"), ("due_date", "due_date")):
            if column not in columns:
                wanted[name] = getattr(implementation, name)
        if "position" not in columns:
            wanted["position"] = implementation.position
        label = f"{values['state'].upper()} {check.item(values)}"
        if all(getattr(implementation, name) == value for name, value in wanted.items()):
            report.add(row, Action.UNCHANGED, label)
            continue
        report.add(row, Action.UPDATE, label)
        arguments = {
            "implementation": implementation,
            "owner": owner if "owner" in columns else implementation.owner,
            "lead_agency": wanted["lead_agency"],
            "due_date": wanted["due_date"],
            "position": wanted["position"],
        }
        writes.append((row, lambda arguments=arguments: services.implementation_assign(actor=user, **arguments)))
    _write_rows(report, writes, apply)


def _import_evidence(report, rows, user, apply):
    check = _Rows(report, rows, user)
    ids = [implementation.pk for implementation in check.implementations.values()]
    recorded = set(Evidence.objects.filter(implementation_id__in=ids).values_list("implementation_id", "url"))
    writes = []
    for row, values in rows:
        since = len(report.errors)
        implementation = check.implementation(row, values)
        kind = check.choice(row, values, "kind", EvidenceKind)
        title = check.required(row, values, "title")
        url = check.required(row, values, "url")
        date = check.date(row, values, "date", required=False)
        if _failed(report, since) or not check.unique(row, (implementation.pk, url)):
            continue
        label = f"{values['state'].upper()} {check.item(values)} · {url}"
        if (implementation.pk, url) in recorded:
            report.add(row, Action.UNCHANGED, label)
            continue
        report.add(row, Action.CREATE, label)
        arguments = {
            "implementation": implementation,
            "title": title,
            "kind": kind,
            "url": url,
            "date": date,
            "description": values.get("description", ""),
        }
        writes.append((row, lambda arguments=arguments: services.evidence_add(actor=user, **arguments)))
    _write_rows(report, writes, apply)


def _import_measurements(report, rows, user, apply):
    check = _Rows(report, rows, user)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={v.get("indicator") for _n, v in rows})}
    cycles = {c.slug: c for c in ReviewCycle.objects.filter(slug__in={v.get("review_cycle") for _n, v in rows})}
    recorded = {}
    for m in Measurement.objects.filter(indicator__in=indicators.values()):
        key = (m.indicator_id, m.state_id, m.date, m.sex, m.age_group, m.migratory_status)
        recorded[key] = (m.value, m.review_cycle_id, m.source)
    writes = []
    for row, values in rows:
        since = len(report.errors)
        state = check.state(row, values, may_edit=permissions.can_enter_measurement)
        indicator = indicators.get(values.get("indicator", ""))
        if indicator is None:
            check.error(row, "indicator", _("There is no indicator “%(code)s”.") % {"code": values.get("indicator")})
        date = check.date(row, values, "date")
        try:
            value = decimal.Decimal(values.get("value", "").replace(",", "."))
            if not value.is_finite():
                raise decimal.InvalidOperation
        except decimal.InvalidOperation:
            check.error(row, "value", _("“%(value)s” is not a number.") % {"value": values.get("value", "")})
        sex = check.choice(row, values, "sex", Sex, default=Sex.TOTAL)
        migratory_status = check.choice(row, values, "migratory_status", MigratoryStatus, default=MigratoryStatus.ALL)
        cycle = cycles.get(values.get("review_cycle", ""))
        if values.get("review_cycle") and cycle is None:
            message = _("There is no review cycle “%(slug)s”.") % {"slug": values["review_cycle"]}
            check.error(row, "review_cycle", message)
        if _failed(report, since):
            continue
        age_group = values.get("age_group", "")
        key = (indicator.pk, state.pk, date, sex, age_group, migratory_status)
        if not check.unique(row, key):
            continue
        label = f"{state.iso2} {indicator.code} {date}: {value}"
        source = values.get("source", "")
        held = recorded.get(key)
        if held == (value, cycle.pk if cycle else None, source):
            report.add(row, Action.UNCHANGED, label)
            continue
        report.add(row, Action.CREATE if held is None else Action.UPDATE, label)
        arguments = {
            "indicator": indicator,
            "state": state,
            "date": date,
            "value": value,
            "sex": sex,
            "age_group": age_group,
            "migratory_status": migratory_status,
            "review_cycle": cycle,
            "source": source,
        }
        writes.append((row, lambda arguments=arguments: services.measurement_save(actor=user, **arguments)))
    _write_rows(report, writes, apply)


_IMPORTERS = {
    Kind.STATUS_UPDATES: _import_status_updates,
    Kind.IMPLEMENTATIONS: _import_implementations,
    Kind.EVIDENCE: _import_evidence,
    Kind.MEASUREMENTS: _import_measurements,
}


# --- Fixtures --------------------------------------------------------------------------------


def _import_fixture(report, data: bytes, user, apply):
    """Load reference data with `seeding` (validated, one transaction). Which records would be
    created, changed or left alone is found by comparing natural keys and fields with the database."""
    name = PurePath(report.filename).name
    if PurePath(name).suffix.lower() not in FIXTURE_SUFFIXES:
        raise ImportRefused(_("Upload a fixture as .json, .yaml or .yml."))
    safe_name = re.sub(r"[^\w.-]", "_", name)
    with tempfile.TemporaryDirectory(prefix="gcm-import-") as folder:
        path = Path(folder) / safe_name
        path.write_bytes(data)
        try:
            records = seeding.read_records(path)
            seeding.check_records(records)
        except seeding.FixtureError as exc:
            raise ImportRefused(str(exc)) from None
        for record in records:
            action = _fixture_action(record)
            report.add(record.index + 1, action, f"{record.model} {', '.join(str(p) for p in record.key)}")
        with transaction.atomic():
            try:
                seeding.seed([path], verbosity=0)
            except seeding.FixtureError as exc:
                report.error(None, "file", str(exc))
            if not (apply and report.ok):
                transaction.set_rollback(True)


def _fixture_action(record) -> str:
    model = apps.get_model(record.model)
    try:
        existing = model._default_manager.get_by_natural_key(*record.key)
    except model.DoesNotExist:
        return Action.CREATE
    stored = json.loads(
        serializers.serialize("json", [existing], use_natural_foreign_keys=True, use_natural_primary_keys=True)
    )[0]["fields"]
    for name, value in record.fields.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            same = sorted(map(_natural, value or [])) == sorted(map(_natural, stored.get(name) or []))
        elif model_field.is_relation:
            same = _natural(value) == _natural(stored.get(name))
        else:
            try:
                same = model_field.to_python(value) == model_field.to_python(stored.get(name))
            except ValidationError:
                same = False
        if not same:
            return Action.UPDATE
    return Action.UNCHANGED


def _natural(value):
    """A natural key as written in a fixture ("FR", ["FR"] or ["event", 2]) in one comparable form."""
    if isinstance(value, (list, tuple)):
        return tuple(str(part) for part in value)
    return (str(value),) if value is not None else None


# --- Exports ---------------------------------------------------------------------------------


def template_rows(kind: str) -> list[list[str]]:
    """The header of a kind's spreadsheet, for a blank template to fill in."""
    return [list(COLUMNS[kind].all)]


def error_rows(report_errors) -> list[list]:
    """The errors as spreadsheet rows (escape them with `downloads.csv_cell` on the way out)."""
    return [["row", "column", "error"]] + [[e.row or "", e.field, e.message] for e in report_errors]
