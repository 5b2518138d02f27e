"""Fuzzing the importer's readers (CSV, XLSX, JSON, YAML fixtures) and the evidence upload checker
with hypothesis: whatever the bytes, the importer answers with its own report (never another
exception) and writes nothing unless every row was fine; the upload checker refuses with a
ValidationError or accepts. Examples are few per kind, to keep CI short."""

import contextlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations import imports
from recommendations.models import ChangeRecord, Evidence, State, StatusUpdate
from recommendations.services.uploads import validate_evidence_file

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)

# Bytes that look a little like each format, so the fuzzing reaches past the first check.
CSV_LIKE = st.lists(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), max_size=6), max_size=6).map(
    lambda rows: "\n".join(
        ",".join(cells) for cells in [["state", "commitment", "status", "effective_date", "comment"], *rows]
    ).encode("utf-8", "surrogatepass")
)
JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
).map(lambda value: __import__("json").dumps(value).encode())
YAML_LIKE = st.text(alphabet="[]{}:-&*!|>'\"#\n abc123", max_size=200).map(str.encode)


# Any member name a ZIP can hold: zipfile cuts a name at its first NUL, and "\x00" would leave none.
MEMBER_NAMES = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=10)


@st.composite
def zips(draw):
    """ZIP containers with office-like member names and arbitrary member bytes."""
    names = ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "word/document.xml", "mimetype"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(
        buffer, "w", compression=draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    ) as archive:
        for name in draw(st.lists(st.sampled_from(names) | MEMBER_NAMES, max_size=5, unique=True)):
            archive.writestr(name, draw(st.binary(max_size=200)))
    data = buffer.getvalue()
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    return data if draw(st.booleans()) else data[:cut]  # whole, or truncated


def _written():
    # Every write of tracked data leaves a change record (services), whatever the model; the counts
    # beside it would show a write that somehow went around the services.
    return (ChangeRecord.objects.count(), StatusUpdate.objects.count(), Evidence.objects.count(), State.objects.count())


def _importer_never_fails_otherwise(user, kind, filename, data):
    before = _written()
    report = imports.run_import(kind=kind, filename=filename, data=data, user=user, apply=True)
    assert isinstance(report, imports.ImportReport)
    if not report.ok:
        assert _written() == before


@FUZZ
@given(data=st.binary(max_size=300) | CSV_LIKE)
def test_any_csv_bytes_get_a_report(administrator, data):
    _importer_never_fails_otherwise(administrator, "status_updates", "rows.csv", data)


@FUZZ
@given(data=st.binary(max_size=300) | zips())
def test_any_xlsx_bytes_get_a_report(administrator, data):
    _importer_never_fails_otherwise(administrator, "status_updates", "rows.xlsx", data)


@FUZZ
@given(data=st.binary(max_size=300) | JSON_LIKE)
def test_any_json_fixture_bytes_get_a_report(administrator, data):
    _importer_never_fails_otherwise(administrator, "fixture", "data.json", data)


@FUZZ
@given(data=st.binary(max_size=300) | YAML_LIKE)
def test_any_yaml_fixture_bytes_get_a_report(administrator, data):
    _importer_never_fails_otherwise(administrator, "fixture", "data.yaml", data)


@FUZZ
@given(
    name=st.sampled_from(["a.pdf", "a.png", "a.csv", "a.docx", "a.xlsx", "a.odt", "a.ods", "a.exe", "../a.pdf"]),
    data=st.binary(min_size=0, max_size=300) | zips(),
)
def test_the_upload_checker_accepts_or_refuses_with_a_validation_error(name, data):
    with contextlib.suppress(ValidationError):
        validate_evidence_file(SimpleUploadedFile(name, data))
