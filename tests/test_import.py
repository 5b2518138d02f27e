"""Bulk import: what a dry run reports, what applying writes (all or nothing, once), what bad files
get told, who may import what. Fixtures, the command and exports: tests/test_import_fixtures.py;
the bulk status service against the single-row one: tests/test_import_bulk_service.py."""

import csv
import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from recommendations.choices import Position, Status, Track
from recommendations.imports import Kind, run_import
from recommendations.models import (
    Commitment,
    Evidence,
    Implementation,
    Indicator,
    Measurement,
    StatusUpdate,
)
from tests.factories import EvidenceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


STATUS_HEADER = ["state", "commitment", "track", "status", "effective_date", "comment", "rationale", "evidence_urls"]


def csv_bytes(header, rows, *, bom=False, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def status_row(state="FR", commitment="1", status=Status.IN_PROGRESS, date="2020-03-01", comment="Law tabled", **more):
    row = {"state": state, "commitment": commitment, "track": Track.REPORTED, "status": status}
    row.update({"effective_date": date, "comment": comment, "rationale": "", "evidence_urls": ""})
    row.update(more)
    return [row[name] for name in STATUS_HEADER]


def import_status(user, rows, apply=False, **kwargs):
    data = csv_bytes(STATUS_HEADER, rows)
    return run_import(kind=Kind.STATUS_UPDATES, filename="updates.csv", data=data, user=user, apply=apply, **kwargs)


def grid(iso2, number):
    return Implementation.objects.get(state__iso2=iso2, commitment__number=number)


def errors_of(report):
    return {(error.row, error.field) for error in report.errors}


# --- Status updates: dry run, apply, again ------------------------------------------------------


def test_dry_run_reports_rows_to_create_and_writes_nothing(editor):
    before = StatusUpdate.objects.count()
    report = import_status(editor, [status_row(), status_row(state="KE", commitment="2")])
    assert report.ok, report.errors
    assert report.counts == {"create": 2, "update": 0, "unchanged": 0}
    assert not report.applied
    assert StatusUpdate.objects.count() == before


def test_applying_writes_history_and_current_status_in_one_go(editor):
    report = import_status(
        editor,
        [
            status_row(status=Status.PLANNED, date="2020-01-01"),
            status_row(status=Status.IN_PROGRESS, date="2020-06-01", comment="Started"),
        ],
        apply=True,
    )
    assert report.applied, report.errors
    implementation = grid("FR", 1)
    assert implementation.status == Status.IN_PROGRESS
    assert implementation.last_reviewed == datetime.date(2020, 6, 1)
    history = list(implementation.updates.order_by("effective_date").values_list("previous_status", "status"))
    assert history == [(Status.NO_INFORMATION, Status.PLANNED), (Status.PLANNED, Status.IN_PROGRESS)]
    assert implementation.updates.first().author == editor


def test_importing_the_same_file_again_changes_nothing(editor):
    rows = [status_row(), status_row(state="KE")]
    assert import_status(editor, rows, apply=True).applied
    version = grid("FR", 1).version
    again = import_status(editor, rows, apply=True)
    assert again.ok
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert grid("FR", 1).version == version
    assert StatusUpdate.objects.filter(implementation__commitment__number=1).count() == 2


def test_a_move_to_implemented_needs_evidence_named_by_its_url(editor):
    evidence = EvidenceFactory(implementation=grid("FR", 3), url="https://example.org/law")
    bare = import_status(editor, [status_row(commitment="3", status=Status.IMPLEMENTED, rationale="In force")])
    assert errors_of(bare) == {(2, "evidence_urls")}
    report = import_status(
        editor,
        [status_row(commitment="3", status=Status.IMPLEMENTED, rationale="In force", evidence_urls=evidence.url)],
        apply=True,
    )
    assert report.applied, report.errors
    assert list(grid("FR", 3).updates.get().evidence.all()) == [evidence]


def test_evidence_of_another_implementation_is_refused(editor):
    EvidenceFactory(implementation=grid("KE", 3), url="https://example.org/kenyan-law")
    report = import_status(
        editor,
        [
            status_row(
                commitment="3", status=Status.IMPLEMENTED, rationale="x", evidence_urls="https://example.org/kenyan-law"
            )
        ],
    )
    assert errors_of(report) == {(2, "evidence_urls")}


def test_spreadsheet_with_bom_semicolons_or_xlsx_reads_the_same(editor):
    rows = [status_row(), status_row(state="KE")]
    for data, name in (
        (csv_bytes(STATUS_HEADER, rows, bom=True), "a.csv"),
        (csv_bytes(STATUS_HEADER, rows, delimiter=";"), "b.csv"),
        (xlsx_bytes(STATUS_HEADER, rows), "c.xlsx"),
    ):
        report = run_import(kind=Kind.STATUS_UPDATES, filename=name, data=data, user=editor)
        assert report.ok, (name, report.errors)
        assert report.counts["create"] == 2, name


def test_xlsx_dates_and_numbers_are_read_as_text(editor):
    rows = [["FR", 1, "reported", "planned", datetime.datetime(2020, 1, 2), "typed as a date", "", ""]]
    report = run_import(kind=Kind.STATUS_UPDATES, filename="s.xlsx", data=xlsx_bytes(STATUS_HEADER, rows), user=editor)
    assert report.ok, report.errors
    assert "2020-01-02" in report.changes[0].label


def xlsx_bytes(header, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Bad input: a clear message, nothing written ------------------------------------------------


def refuses(report, *expected):
    assert not report.ok and not report.applied
    for row, field in expected:
        assert (row, field) in errors_of(report), report.errors


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (status_row(state="ZZ"), "state"),
        (status_row(commitment="99"), "commitment"),
        (status_row(status="done"), "status"),
        (status_row(date="01/03/2020"), "effective_date"),
        (status_row(date="2020-02-30"), "effective_date"),
        (status_row(comment=""), "comment"),
        (status_row(track="secret"), "track"),
        (status_row(date=(datetime.date.today() + datetime.timedelta(days=2)).isoformat()), "effective_date"),
    ],
)
def test_a_bad_cell_is_an_error_of_its_row_and_column_and_nothing_is_written(editor, row, field):
    before = StatusUpdate.objects.count()
    report = import_status(editor, [status_row(state="KE"), row], apply=True)
    refuses(report, (3, field))
    assert StatusUpdate.objects.count() == before


def test_every_bad_row_is_reported_not_just_the_first(editor):
    rows = [status_row(state="ZZ"), status_row(), status_row(status="done", state="KE")]
    rows.append(status_row(state="KE", commitment="3", status=Status.IMPLEMENTED))  # refused by the service's rules
    report = import_status(editor, rows, apply=True)
    assert errors_of(report) == {(2, "state"), (4, "status"), (5, "evidence_urls"), (5, "rationale")}
    assert [error.row for error in report.errors] == [2, 4, 5, 5]


def test_duplicate_rows_are_refused_naming_the_first(editor):
    report = import_status(editor, [status_row(), status_row(state="KE"), status_row(comment="again")])
    refuses(report, (4, ""))
    assert "row 2" in report.errors[0].message


def test_an_update_dated_before_the_latest_one_is_refused(editor):
    import_status(editor, [status_row(date="2021-01-01")], apply=True)
    report = import_status(editor, [status_row(date="2020-01-01", comment="older")])
    refuses(report, (2, "effective_date"))


def test_missing_and_unknown_columns_are_refused_at_the_header(editor):
    data = csv_bytes(["state", "commitment", "status", "comment", "colour"], [["FR", "1", "planned", "x", "red"]])
    report = run_import(kind=Kind.STATUS_UPDATES, filename="x.csv", data=data, user=editor)
    refuses(report, (1, "effective_date"), (1, "colour"))


@pytest.mark.parametrize(
    ("filename", "data", "says"),
    [
        ("latin1.csv", "state,commitment\nCôte d'Ivoire,1\n".encode("latin-1"), "not UTF-8"),
        (
            "broken.csv",
            b'state,commitment,status,effective_date,comment\nFR,1,"planned"x,2020-01-01,c\n',
            "Malformed CSV",
        ),
        ("nul.csv", b"state,commitment\x00,status\n", "not a CSV text file"),
        ("empty.csv", b"", "empty"),
        ("fake.xlsx", b"this is not a workbook", "not a readable .xlsx"),
        ("notes.txt", b"state\nFR\n", ".csv"),
        ("wide.csv", b"state,commitment\nFR,1,extra\n", "header names 2 columns"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(editor, filename, data, says):
    report = run_import(kind=Kind.STATUS_UPDATES, filename=filename, data=data, user=editor, apply=True)
    refuses(report, (None, "file"))
    assert says in report.errors[0].message


def test_a_file_over_the_size_limit_is_refused(editor, settings):
    settings.IMPORT_MAX_BYTES = 100
    report = import_status(editor, [status_row(comment="x" * 200)], apply=True)
    refuses(report, (None, "file"))
    assert "larger than the limit" in report.errors[0].message


# --- Who may import what ------------------------------------------------------------------------


def test_focal_point_imports_their_states_rows_and_others_are_out_of_scope(focal_point_france, focal_point_kenya):
    report = import_status(focal_point_france, [status_row(), status_row(state="KE")], apply=True)
    refuses(report, (3, "state"))
    assert "outside your scope" in report.errors[0].message
    assert not StatusUpdate.objects.filter(implementation=grid("FR", 1)).exists()
    assert import_status(focal_point_france, [status_row()], apply=True).applied
    assert import_status(focal_point_kenya, [status_row(state="KE")], apply=True).applied


def test_focal_point_cannot_import_the_assessed_track(focal_point_france):
    report = import_status(focal_point_france, [status_row(track=Track.ASSESSED)])
    refuses(report, (2, "track"))


@pytest.mark.parametrize(
    ("persona", "kinds"),
    [
        ("focal_point_france", {Kind.STATUS_UPDATES, Kind.EVIDENCE, Kind.MEASUREMENTS}),
        ("editor", {Kind.STATUS_UPDATES, Kind.EVIDENCE, Kind.MEASUREMENTS, Kind.IMPLEMENTATIONS}),
        ("administrator", set(Kind)),
    ],
)
def test_each_role_may_import_its_kinds(request, persona, kinds):
    from recommendations.imports import importable_kinds

    assert set(importable_kinds(request.getfixturevalue(persona))) == kinds


def test_people_without_a_role_import_nothing(db):
    nobody = UserFactory(username="nobody")
    report = import_status(nobody, [status_row()])
    refuses(report, (None, "kind"))


def test_editor_cannot_import_a_fixture(editor):
    report = run_import(kind=Kind.FIXTURE, filename="states.json", data=b"[]", user=editor)
    refuses(report, (None, "kind"))


# --- Other kinds --------------------------------------------------------------------------------


def test_editor_imports_owners_lead_agencies_and_positions_once(editor, focal_point_france):
    header = ["state", "commitment", "lead_agency", "due_date", "position", "owner"]
    rows = [["FR", "4", "Ministry of the Interior", "2026-12-31", Position.SUPPORTED, "fp_france"]]
    data = csv_bytes(header, rows)
    report = run_import(kind=Kind.IMPLEMENTATIONS, filename="i.csv", data=data, user=editor, apply=True)
    assert report.applied and report.counts["update"] == 1, report.errors
    implementation = grid("FR", 4)
    assert (implementation.lead_agency, implementation.owner, implementation.position) == (
        "Ministry of the Interior",
        focal_point_france,
        Position.SUPPORTED,
    )
    again = run_import(kind=Kind.IMPLEMENTATIONS, filename="i.csv", data=data, user=editor, apply=True)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1}


def test_an_owner_outside_the_state_is_refused_by_the_service_in_the_dry_run(editor, focal_point_kenya):
    data = csv_bytes(["state", "commitment", "owner"], [["FR", "4", "fp_kenya"]])
    report = run_import(kind=Kind.IMPLEMENTATIONS, filename="i.csv", data=data, user=editor)
    refuses(report, (2, "owner"))
    assert grid("FR", 4).owner is None


def test_evidence_links_are_added_once(focal_point_france):
    header = ["state", "commitment", "title", "kind", "date", "url", "description"]
    rows = [["FR", "5", "Loi 2020-1", "law", "2020-02-02", "https://example.org/loi", "Text of the law"]]
    data = csv_bytes(header, rows)
    report = run_import(kind=Kind.EVIDENCE, filename="e.csv", data=data, user=focal_point_france, apply=True)
    assert report.applied, report.errors
    evidence = Evidence.objects.get(implementation=grid("FR", 5))
    assert (evidence.title, evidence.added_by, evidence.verified) == ("Loi 2020-1", focal_point_france, False)
    again = run_import(kind=Kind.EVIDENCE, filename="e.csv", data=data, user=focal_point_france, apply=True)
    assert again.counts["unchanged"] == 1 and Evidence.objects.filter(implementation=grid("FR", 5)).count() == 1


def test_an_invalid_evidence_url_is_an_error_of_its_row(editor):
    data = csv_bytes(["state", "commitment", "title", "kind", "url"], [["FR", "5", "T", "law", "not a url"]])
    report = run_import(kind=Kind.EVIDENCE, filename="e.csv", data=data, user=editor, apply=True)
    refuses(report, (2, "url"))
    assert not Evidence.objects.filter(implementation=grid("FR", 5)).exists()


def test_measurements_are_created_then_updated_then_unchanged(focal_point_france):
    indicator = Indicator.objects.create(
        commitment=Commitment.objects.get(number=1), code="test-ind", name="Test", unit="%", direction="higher"
    )
    header = ["indicator", "state", "date", "value", "sex"]

    def run(value, user=focal_point_france, state="FR"):
        data = csv_bytes(header, [["test-ind", state, "2020-12-31", value, "female"]])
        return run_import(kind=Kind.MEASUREMENTS, filename="m.csv", data=data, user=user, apply=True)

    assert run("12.5").counts["create"] == 1
    assert run("13").counts["update"] == 1
    assert run("13.000").counts["unchanged"] == 1
    assert Measurement.objects.get(indicator=indicator).value == 13
    refuses(run("1", state="KE"), (2, "state"))
    refuses(run("lots"), (2, "value"))
