"""The source data loads in one command, idempotently, and bad fixtures are refused whole."""

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count

from recommendations.imports.seeding import fixture_paths
from recommendations.models import Commitment, Implementation, Recommendation, State

pytestmark = pytest.mark.django_db


def table_snapshot():
    """Every row of every project table, as plain values, ordered: equal snapshots mean equal tables."""
    snapshot = {}
    for app_label in ("events", "recommendations"):
        for model in apps.get_app_config(app_label).get_models():
            rows = list(model.objects.order_by("pk").values())
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                rows.append(sorted(through.objects.values_list(*[f.attname for f in through._meta.fields[1:]])))
            snapshot[model._meta.label] = rows
    return snapshot


# The counts the README states. A change to fixtures/ that moves one must move the README too.
EXPECTED_COUNTS = {
    "events.Phase": 5,
    "events.Document": 13,
    "events.Event": 70,
    "events.EventSession": 12,
    "events.Participant": 54,
    "recommendations.State": 195,
    "recommendations.SDGTarget": 3,
    "recommendations.Theme": 7,
    "recommendations.Commitment": 10,
    "recommendations.CommitmentAction": 22,
    "recommendations.Recommendation": 88,
    "recommendations.Implementation": 1950,
}


def test_the_real_data_is_loaded_with_the_documented_counts():
    counts = {label: apps.get_model(label).objects.count() for label in EXPECTED_COUNTS}
    assert counts == EXPECTED_COUNTS
    assert State.objects.filter(membership="member").count() == 193
    assert Implementation.objects.filter(commitment__isnull=False).count() == 195 * Commitment.objects.count()
    per_document = dict(
        Recommendation.objects.values_list("document__slug").annotate(n=Count("id")).values_list("document__slug", "n")
    )
    assert per_document == {
        "gfmd-briefing-paper-ws1": 11,
        "gfmd-dialogue-ws1-report": 24,
        "gfmd-human-rights-working-session-report": 33,
        "gfmd-roundtables-2-1-2-2-report": 20,
    }


def test_gfmd_recommendations_first_made_in_2012_about_discrimination_are_findable():
    found = Recommendation.objects.filter(year_from__lte=2012, year_to__gte=2012, themes__slug="issue-area-c")
    assert set(found.values_list("code", flat=True)) == {"gfmd-bp-key-03", "gfmd-bp-key-06", "gfmd-bp-key-07"}


def test_fuzzy_dates_keep_the_source_wording():
    from events.models import Event

    tentative = Event.objects.filter(tentative=True)
    assert tentative.exists()
    assert all(event.date_text for event in tentative)
    undated = Event.objects.filter(date_precision="unknown")
    assert not undated.exclude(start_date=None).exists()


def test_loading_twice_changes_nothing():
    before = table_snapshot()
    call_command("seed", verbosity=0)
    assert table_snapshot() == before


def write(tmp_path, name, records):
    path = tmp_path / name
    path.write_text(records if isinstance(records, str) else json.dumps(records), encoding="utf-8")
    return path


def assert_refused(path, *expected):
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("recommendations").get_models()}
    with pytest.raises(CommandError) as caught:
        call_command("seed", str(path), verbosity=0)
    message = str(caught.value)
    assert path.name in message
    for part in expected:
        assert part in message
    assert {m._meta.label: m.objects.count() for m in apps.get_app_config("recommendations").get_models()} == counts


NEW_STATE = {
    "model": "recommendations.state",
    "fields": {
        "iso2": "ZZ",
        "iso3": "ZZZ",
        "numeric": "999",
        "name": "Nowhere",
        "membership": "member",
        "regional_group": "weog",
        "region": "europe",
    },
}


def test_malformed_json_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "broken.json", '[{"model": "recommendations.state", "fields": {]')
    assert_refused(path, "malformed JSON", "line 1")


def test_unknown_state_code_is_refused_and_nothing_is_written(tmp_path):
    record = {
        "model": "events.participant",
        "fields": {"event": ["thematic-session-1"], "order": 999, "role": "speaker", "state": ["XX"]},
    }
    path = write(tmp_path, "people.json", [NEW_STATE, record])
    assert_refused(path, "record 2", "XX", "does not exist")
    assert not State.objects.filter(iso2="ZZ").exists()


def test_missing_commitment_is_refused(tmp_path):
    record = {"model": "recommendations.commitmentaction", "fields": {"commitment": [99], "number": 1, "text": "x"}}
    path = write(tmp_path, "actions.json", [NEW_STATE, record])
    assert_refused(path, "record 2", "99")
    assert not State.objects.filter(iso2="ZZ").exists()


def test_repeated_key_is_refused(tmp_path):
    path = write(tmp_path, "twice.json", [NEW_STATE, NEW_STATE])
    assert_refused(path, "record 2", "repeats the key", "record 1")


def test_unknown_field_is_refused(tmp_path):
    record = {"model": "recommendations.state", "fields": {**NEW_STATE["fields"], "capital": "Nowhere City"}}
    assert_refused(write(tmp_path, "extra.json", [record]), "capital")


def test_a_database_error_rolls_everything_back(tmp_path):
    # Valid references, but the name collides with France's: the database refuses the second row,
    # and the first (new) row must not stay behind.
    clash = {
        "model": "recommendations.state",
        "fields": {**NEW_STATE["fields"], "iso2": "ZY", "iso3": "ZZY", "numeric": "998", "name": "France"},
    }
    assert_refused(write(tmp_path, "clash.json", [NEW_STATE, clash]))
    assert not State.objects.filter(iso2="ZZ").exists()


def test_fixture_files_are_all_found():
    names = {p.name for p in fixture_paths()}
    assert "states.json" in names
    assert Recommendation.objects.exists() or len(names) == 1
