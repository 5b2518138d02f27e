"""CSV and JSON downloads of every public list, exactly as the page filtered it (all pages, not one).

A list view describes its columns once; `?format=csv` or `?format=json` on the page's own
address returns the same rows. Columns are listed explicitly, so nothing reaches a download
that was not chosen for it (no owner, internal note, staff comment or unpublished evidence).

CSV cells that a spreadsheet would read as a formula get a leading apostrophe: those starting
with = + - @, a tab, a carriage return or a line feed, with any of their look-alikes (full-width
＝ ＋ － ＠, small ﹦ ﹢ ﹣ ﹫, the minus sign −), also behind leading spaces or invisible characters,
which some spreadsheet programs skip or fold into the ASCII sign.

A download of more than STREAM_AFTER_ROWS rows streams: read from the database in chunks (a
cursor, `QuerySet.iterator`) and written a chunk at a time, so its memory does not grow with its
size; a shorter one is one response, which the public cache keeps.
"""

import csv
import datetime
import decimal
import itertools
import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMATS = ("csv", "json")
_FORMULA_SIGNS = frozenset("=+-@\t\r\n\u2212\u2796\u2795")


@dataclass(frozen=True)
class Column:
    """One column of a download: its machine name (CSV header, JSON key) and how to read it."""

    name: str
    value: Callable[[Any], Any]


def requested_format(request) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def _plain(value):
    """A value as JSON can hold it: dates as ISO 8601, decimals as strings (no float rounding)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def csv_cell(value) -> str:
    """A value as a CSV cell; text a spreadsheet would run as a formula is defused."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, (int, float)):
        return str(value)
    if _starts_like_a_formula(value):
        return "'" + value
    return value


def _starts_like_a_formula(text: str) -> bool:
    """Whether the first visible character is a formula sign or folds into one (NFKC maps the
    full-width and small forms to ASCII). Spaces, no-break spaces and format characters (zero-width
    space, bidi marks) before it are skipped, as some spreadsheet programs skip them."""
    for char in text:
        if char in _FORMULA_SIGNS:
            return True
        if char.isspace() or unicodedata.category(char) in ("Cf", "Zs"):
            continue
        return unicodedata.normalize("NFKC", char)[:1] in _FORMULA_SIGNS
    return False


# Rows a download holds in memory before it starts streaming: a list no longer than this is sent
# as one response (which the public cache keeps); a longer one streams, a chunk at a time, read
# from the database with a cursor in chunks of ITERATOR_CHUNK rows.
STREAM_AFTER_ROWS = 2000
ITERATOR_CHUNK = 2000
_ROWS_PER_CHUNK = 500


class _Line:
    """What csv.writer writes to: each row comes back as its text."""

    def write(self, text):
        return text


def _rows(objects: Iterable):
    if isinstance(objects, QuerySet):
        return objects.iterator(chunk_size=ITERATOR_CHUNK)
    return iter(objects)


def _csv_chunks(columns, rows):
    writer = csv.writer(_Line())
    # A byte-order mark lets spreadsheet programs read the file as UTF-8 (names like Côte d'Ivoire).
    yield "\ufeff" + writer.writerow([column.name for column in columns])
    lines = []
    for obj in rows:
        lines.append(writer.writerow([csv_cell(column.value(obj)) for column in columns]))
        if len(lines) >= _ROWS_PER_CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def _json_chunks(columns, rows, head: dict):
    """The body, a row at a time: the head's keys, then "results", then "count" (known last)."""
    yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "results": ['
    count = 0
    for row in rows:
        plain = {column.name: _plain(column.value(row)) for column in columns}
        yield ("\n  " if not count else ",\n  ") + json.dumps(plain, ensure_ascii=False)
        count += 1
    yield f'\n ],\n "count": {count}\n}}'


def download_response(request, *, fmt: str, filename: str, columns: list[Column], objects: Iterable):
    """The rows as an attachment named `filename`.csv or .json, with the filters that produced them.

    Up to STREAM_AFTER_ROWS rows, one response; more stream (StreamingHttpResponse), so a
    download of any size takes the memory of a chunk, and its first bytes leave at once."""
    stamp = timezone.localdate().isoformat()
    rows = _rows(objects)
    first = list(itertools.islice(rows, STREAM_AFTER_ROWS + 1))
    rows = itertools.chain(first, rows)
    if fmt == "csv":
        chunks, content_type = _csv_chunks(columns, rows), "text/csv; charset=utf-8"
    else:
        filters = {key: value for key, value in request.GET.items() if key not in ("format", "page") and value}
        head = {"filters": filters, "generated": stamp}
        chunks, content_type = _json_chunks(columns, rows, head), "application/json; charset=utf-8"
    if len(first) > STREAM_AFTER_ROWS:
        response = StreamingHttpResponse(chunks, content_type=content_type)
    else:
        response = HttpResponse("".join(chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    return response


# --- Columns that more than one area downloads ---------------------------------------------------

# An implementation's row in every public table's download (commitment, state, recommendation
# and disagreement pages); each page puts its own first column in front.
IMPLEMENTATION_COLUMNS = [
    Column("state_iso2", lambda i: i.state.iso2),
    Column("state", lambda i: i.state.name),
    Column("regional_group", lambda i: i.state.regional_group),
    Column("reported_status", lambda i: i.status),
    Column("assessed_status", lambda i: i.assessment),
    Column("report_and_assessment_differ", lambda i: i.disagrees),
    Column("position", lambda i: i.position),
    Column("lead_agency", lambda i: i.lead_agency),
    Column("last_update", lambda i: i.last_reviewed),
    Column("last_evidenced", lambda i: i.last_evidenced),
    Column("public_evidence_count", lambda i: i.evidence_count),
    Column("out_of_date", lambda i: i.out_of_date),
]
