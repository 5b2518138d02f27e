"""Bulk import: what a dry run reports, what applying writes (all or nothing, once), what bad files
get told, who may import what, and that the bulk status service keeps the single-row rules."""

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation
from openpyxl import Workbook

from recommendations import services
from recommendations.choices import Position, Status, Track
from recommendations.downloads import csv_cell
from recommendations.imports import Action, Kind, error_rows, run_import, template_rows
from recommendations.models import (
    Commitment,
    Evidence,
    Implementation,
    Indicator,
    Measurement,
    State,
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


# --- Fixtures -----------------------------------------------------------------------------------


def state_record(iso2="XT", name="Testonia", **fields):
    base = {"iso2": iso2, "iso3": iso2 + "T", "numeric": "999", "name": name, "membership": "member"}
    base.update({"regional_group": "weog", "region": "europe", "subregion": ""}, **fields)
    return {"model": "recommendations.state", "fields": base}


def test_fixture_dry_run_compares_natural_keys_and_writes_nothing(administrator):
    france = json.loads(json.dumps(state_record("FR", "France", iso3="FRA", numeric="250")))
    france["fields"]["subregion"] = State.objects.get(iso2="FR").subregion
    kenya = state_record("KE", "Kenya (renamed)", iso3="KEN", numeric="404")
    data = json.dumps([france, kenya, state_record()]).encode()
    report = run_import(kind=Kind.FIXTURE, filename="states.json", data=data, user=administrator)
    assert report.ok, report.errors
    assert [change.action for change in report.changes] == [Action.UNCHANGED, Action.UPDATE, Action.CREATE]
    assert not State.objects.filter(iso2="XT").exists()


def test_administrator_applies_a_yaml_fixture_once(administrator):
    data = (
        b"- model: recommendations.state\n  fields: {iso2: XT, iso3: XTT, numeric: '999', name: Testonia,\n"
        b"    membership: member, regional_group: weog, region: europe}\n"
    )
    report = run_import(kind=Kind.FIXTURE, filename="new.yaml", data=data, user=administrator, apply=True)
    assert report.applied, report.errors
    assert Implementation.objects.filter(state__iso2="XT").count() == Commitment.objects.count()
    again = run_import(kind=Kind.FIXTURE, filename="new.yaml", data=data, user=administrator, apply=True)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1}


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b'[{"model": "recommendations.state", "fields": {', "malformed JSON"),
        (json.dumps([state_record(), state_record()]).encode(), "repeats the key"),
        (json.dumps([{"model": "recommendations.state", "fields": {"colour": "red"}}]).encode(), "no field colour"),
        ("[]".encode("utf-16"), "not UTF-8"),
    ],
)
def test_a_bad_fixture_is_refused_with_the_seeding_message(administrator, data, says):
    report = run_import(kind=Kind.FIXTURE, filename="bad.json", data=data, user=administrator, apply=True)
    refuses(report, (None, "file"))
    assert says in report.errors[0].message
    assert not State.objects.filter(iso2="XT").exists()


def test_malformed_yaml_is_refused(administrator):
    report = run_import(kind=Kind.FIXTURE, filename="bad.yaml", data=b"- model: [unclosed\n", user=administrator)
    refuses(report, (None, "file"))
    assert "malformed YAML" in report.errors[0].message


# --- The command --------------------------------------------------------------------------------


def test_command_dry_runs_by_default_and_applies_with_the_flag(editor, tmp_path, capsys):
    path = tmp_path / "updates.csv"
    path.write_bytes(csv_bytes(STATUS_HEADER, [status_row()]))
    call_command("import_data", str(path), kind="status_updates", user="editor")
    assert "1 to create" in capsys.readouterr().out
    assert not grid("FR", 1).updates.exists()
    call_command("import_data", str(path), kind="status_updates", user="editor", apply=True)
    assert "1 created" in capsys.readouterr().out
    assert grid("FR", 1).updates.count() == 1


def test_command_lists_row_errors_and_fails(focal_point_france, tmp_path, capsys):
    path = tmp_path / "updates.csv"
    path.write_bytes(csv_bytes(STATUS_HEADER, [status_row(), status_row(state="KE")]))
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_data", str(path), kind="status_updates", user="fp_france", apply=True)
    assert "row 3, state: Kenya is outside your scope" in capsys.readouterr().err
    assert not grid("FR", 1).updates.exists()


def test_command_refuses_an_unknown_user(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(b"state\n")
    with pytest.raises(CommandError, match="no user"):
        call_command("import_data", str(path), kind="status_updates", user="ghost")


# --- Exports ------------------------------------------------------------------------------------


def test_error_and_template_exports_defuse_spreadsheet_formulas(editor):
    report = import_status(editor, [status_row(status='=HYPERLINK("http://evil")'), status_row(state="@SUM(1)")])
    cells = [csv_cell(cell) for row in error_rows(report.errors) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert template_rows(Kind.STATUS_UPDATES)[0][:2] == ["state", "commitment"]


# --- The bulk service keeps the single-row rules ------------------------------------------------


def single_errors(change, actor):
    """What implementation_set_status says about one change (rolled back either way)."""
    try:
        with transaction.atomic():
            services.implementation_set_status(
                implementation=change.implementation,
                status=change.status,
                actor=actor,
                comment=change.comment,
                rationale=change.rationale,
                track=change.track,
                evidence=change.evidence,
                effective_date=change.effective_date,
            )
            transaction.set_rollback(True)
    except PermissionDenied as exc:
        return {"permission": str(exc)}
    except ValidationError as exc:
        return {name: messages[0] for name, messages in exc.message_dict.items()}
    return {}


def test_bulk_check_refuses_exactly_what_the_single_service_refuses(editor, focal_point_france):
    france, kenya = grid("FR", 6), grid("KE", 6)
    services.implementation_set_status(
        implementation=france,
        status=Status.PLANNED,
        actor=editor,
        comment="c",
        effective_date=datetime.date(2021, 1, 1),
    )
    own = EvidenceFactory(implementation=france)
    other = EvidenceFactory(implementation=kenya)
    today = datetime.date.today()
    cases = [
        (editor, services.StatusChange(france, Status.IN_PROGRESS, "ok", effective_date=datetime.date(2021, 2, 1))),
        (editor, services.StatusChange(france, "done", "c", effective_date=datetime.date(2021, 2, 1))),
        (editor, services.StatusChange(france, Status.PLANNED, "c", track="secret")),
        (editor, services.StatusChange(france, Status.PLANNED, "  ")),
        (editor, services.StatusChange(france, Status.IMPLEMENTED, "c")),
        (editor, services.StatusChange(france, Status.PARTIALLY_IMPLEMENTED, "c", rationale="r", evidence=(other,))),
        (editor, services.StatusChange(france, Status.IMPLEMENTED, "c", rationale="r", evidence=(own,))),
        (editor, services.StatusChange(france, Status.PLANNED, "c", effective_date=today + datetime.timedelta(1))),
        (editor, services.StatusChange(france, Status.PLANNED, "c", effective_date=datetime.date(2020, 1, 1))),
        (focal_point_france, services.StatusChange(kenya, Status.PLANNED, "c")),
        (focal_point_france, services.StatusChange(france, Status.PLANNED, "c", track=Track.ASSESSED)),
        (focal_point_france, services.StatusChange(france, Status.PLANNED, "c")),
    ]
    for actor, change in cases:
        bulk = services.implementation_status_changes_check(changes=[change], actor=actor).get(0, {})
        assert bulk == single_errors(change, actor), change


JANUARY, FEBRUARY = datetime.date(2020, 1, 1), datetime.date(2020, 2, 1)


def test_bulk_apply_writes_what_the_single_service_writes_one_by_one(editor):
    evidence = {number: EvidenceFactory(implementation=grid("FR", number)) for number in (7, 8)}

    def changes(number):
        implementation = grid("FR", number)
        return [
            services.StatusChange(
                implementation, Status.PLANNED, " planned ", effective_date=datetime.date(2020, 1, 1)
            ),
            services.StatusChange(
                implementation,
                Status.NOT_STARTED,
                "assessed",
                track=Track.ASSESSED,
                effective_date=datetime.date(2020, 2, 1),
            ),
            services.StatusChange(
                implementation,
                Status.IMPLEMENTED,
                "done",
                rationale=" in force ",
                evidence=(evidence[number],),
                effective_date=datetime.date(2020, 3, 1),
            ),
        ]

    for change in changes(7):
        services.implementation_set_status(
            implementation=change.implementation,
            status=change.status,
            actor=editor,
            comment=change.comment,
            rationale=change.rationale,
            track=change.track,
            evidence=change.evidence,
            effective_date=change.effective_date,
        )
    services.implementation_set_status_bulk(changes=changes(8), actor=editor)

    def written(number):
        implementation = grid("FR", number)
        updates = [
            (
                u.track,
                u.previous_status,
                u.status,
                u.effective_date,
                u.comment,
                u.rationale,
                u.author_id,
                u.author_role,
                [e.implementation_id == implementation.pk for e in u.evidence.all()],
            )
            for u in implementation.updates.order_by("effective_date")
        ]
        state = (implementation.status, implementation.assessment, implementation.version, implementation.last_reviewed)
        return updates, state, bool(implementation.status_changed_at and implementation.assessment_changed_at)

    assert written(8) == written(7)


def test_bulk_apply_refuses_all_when_one_change_is_refused(editor):
    good = services.StatusChange(grid("FR", 9), Status.PLANNED, "c", effective_date=datetime.date(2020, 1, 1))
    bad = services.StatusChange(grid("KE", 9), Status.IMPLEMENTED, "c", effective_date=datetime.date(2020, 1, 1))
    with pytest.raises(services.BulkStatusError) as raised:
        services.implementation_set_status_bulk(changes=[good, bad], actor=editor)
    assert set(raised.value.errors) == {1}
    assert not StatusUpdate.objects.filter(implementation__commitment__number=9).exists()


def test_bulk_apply_retires_the_cached_public_pages(editor):
    from gcmtracker.cache import data_version

    before = data_version()
    change = services.StatusChange(grid("FR", 10), Status.PLANNED, "c", effective_date=JANUARY)
    services.implementation_set_status_bulk(changes=[change], actor=editor)
    assert data_version() != before
