"""Bulk import of fixtures (reference data), the import_data command, and the error and template
exports."""

import json

import pytest
from django.core.management import CommandError, call_command

from recommendations.downloads import csv_cell
from recommendations.imports import Action, Kind, error_rows, run_import, template_rows
from recommendations.models import (
    Commitment,
    Implementation,
    State,
)
from tests.test_import import STATUS_HEADER, csv_bytes, grid, import_status, in_english, refuses, status_row  # noqa: F401 (in_english: autouse)

pytestmark = pytest.mark.django_db


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
