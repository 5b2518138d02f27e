"""Reading a spreadsheet (CSV or XLSX) into its header and rows, and checking the header against
the columns of the kind. A file that cannot be read is refused as a whole (`ImportRefused`)."""

import csv
import datetime
import io
from pathlib import PurePath

from django.utils.translation import gettext as _

from gcmtracker.limits import LimitExceeded, check_archive

from .report import ALIASES, COLUMNS, HEADER_ROW, ImportRefused, ImportReport


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
        # A "zip bomb" is refused before openpyxl unpacks anything: the members are unpacked in
        # chunks and counted (gcmtracker.limits), declared sizes not trusted.
        check_archive(io.BytesIO(data))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except LimitExceeded as exc:
        raise ImportRefused(str(exc)) from None
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise ImportRefused(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_xlsx_text(value) for value in values]
    except ImportRefused:
        raise
    except Exception as exc:  # a sheet's XML can still be malformed past its first rows
        raise ImportRefused(_("The file is not a readable .xlsx workbook.")) from exc
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


def check_header(report: ImportReport, kind: str, header: list[str]) -> bool:
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
