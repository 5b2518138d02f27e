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
    "events.Phase": 3,
    "events.Document": 20,
    "events.Event": 76,
    "events.EventSession": 12,
    "events.Participant": 54,
    "events.EventListing": 95,
    "events.ParticipantListing": 11,
    "recommendations.State": 195,
    "recommendations.SDGTarget": 3,
    "recommendations.Theme": 7,
    "recommendations.Commitment": 10,
    "recommendations.CommitmentAction": 22,
    "recommendations.Recommendation": 99,
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
        "gfmd-briefing-paper-ws1": 14,
        "gfmd-dialogue-ws1-report": 24,
        "gfmd-human-rights-working-session-report": 34,
        "gfmd-roundtables-2-1-2-2-report": 27,
    }


# Every kind of item per source document, under the source's own headings (the README's table).
EXPECTED_ITEMS_PER_DOCUMENT = {
    "gfmd-briefing-paper-ws1": {"recommendation": 3, "key": 8, "guiding_question": 3},
    "gfmd-dialogue-ws1-report": {"political": 11, "practical": 13, "statement by a participant": 4},
    "gfmd-human-rights-working-session-report": {
        "political": 3,
        "practical": 13,
        "guiding_question": 3,
        "takeaway": 10,
        "convergence": 2,
        "challenge": 3,
        "statement by a participant": 2,
        "event": 1,
    },
    "gfmd-roundtables-2-1-2-2-report": {
        "inclusion_model": 3,
        "tool": 8,
        "guiding_question": 1,
        "issue": 10,
        "means_of_implementation": 3,
        "statement": 2,
        "statement by a participant": 43,
        "event": 2,
    },
    "issue-brief-1": {"commitment": 10, "commitment action": 22, "issue area": 4},
    "main-preparatory-events": {"event": 16},
    # Events mentioned in passing: the high-level meeting, the modalities resolution's adoption, the
    # informal briefing, the two deadlines and the steering committee's call for membership.
    "general-concept-note": {"event": 2, "participant listing": 3},
    "annex-i-stakeholder-participation": {"event": 4},
    "cofacilitators-letter-2017-04-13": {"event": 1, "participant listing": 3},
    "pga-letter-2017-04-13": {"event": 1, "participant listing": 3},
    # How the letters, the concept note and the agenda name the co-facilitators and the
    # Secretary-General of the conference (issue 17, (c)).
    "srsg-letter-2017-04-13": {"participant listing": 1},
    "procedural-note-its1": {"participant listing": 1},
    "sg-workplan": {"event": 68},
}


def test_every_kind_of_item_per_source_document_has_its_pinned_count():
    from events.models import EventListing, Participant, ParticipantListing
    from recommendations.models import CommitmentAction, Theme

    found = {}

    def add(document, kind, n):
        found.setdefault(document, {})[kind] = found.get(document, {}).get(kind, 0) + n

    for document, kind, n in Recommendation.objects.values_list("document__slug", "kind").annotate(n=Count("id")):
        add(document, kind, n)
    for document, n in EventListing.objects.values_list("document__slug").annotate(n=Count("id")):
        add(document, "event", n)
    for document, n in ParticipantListing.objects.values_list("document__slug").annotate(n=Count("id")):
        add(document, "participant listing", n)
    for document, n in Commitment.objects.values_list("document__slug").annotate(n=Count("id")):
        add(document, "commitment", n)
    for document, n in CommitmentAction.objects.values_list("commitment__document__slug").annotate(n=Count("id")):
        add(document, "commitment action", n)
    for document, n in Theme.objects.filter(kind="issue_area").values_list("document__slug").annotate(n=Count("id")):
        add(document, "issue area", n)
    # Statements made by named states and people, in the report of their event.
    report_of = {
        "gfmd-dialogue-gcm-2017": "gfmd-dialogue-ws1-report",
        "gfmd-working-session-human-rights": "gfmd-human-rights-working-session-report",
        "gfmd-roundtable-2-1": "gfmd-roundtables-2-1-2-2-report",
        "gfmd-roundtable-2-2": "gfmd-roundtables-2-1-2-2-report",
    }
    statements = Participant.objects.exclude(statement="").values_list("event__slug").annotate(n=Count("id"))
    for event, n in statements:
        add(report_of[event], "statement by a participant", n)
    assert found == EXPECTED_ITEMS_PER_DOCUMENT


def test_origin_is_kept_apart_from_the_document_and_event_that_cite_it():
    key = Recommendation.objects.filter(kind="key").select_related("document__event")
    assert key.count() == 8
    for recommendation in key:
        # First made at a GFMD meeting in its own year; only cited at the 2017 Dialogue.
        assert recommendation.event_id is None
        assert recommendation.origin_text == "GFMD Discussions"
        assert 2007 <= recommendation.year_from <= recommendation.year_to <= 2014
        assert recommendation.document.event.slug == "gfmd-dialogue-gcm-2017"
    assert set(key.values_list("year_text", flat=True)) >= {"2008", "2012", "2013-2014"}


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


LISTING = {
    "model": "events.eventlisting",
    "fields": {
        "event": ["thematic-session-1"],
        "order": 9,
        "document": ["no-such-document"],
        "place_in_source": "Table, row 1",
        "title": "Human rights of all migrants",
        "date_text": "8-9 May 2017",
        "date_precision": "day",
        "start_date": "2017-05-08",
        "end_date": "2017-05-09",
    },
}


def test_a_listing_naming_an_unknown_document_is_refused_with_file_and_record(tmp_path):
    from events.models import EventListing

    before = EventListing.objects.count()
    path = write(tmp_path, "listings.json", [NEW_STATE, LISTING])
    assert_refused(path, "record 2", "events.eventlisting thematic-session-1, 9", "no-such-document", "does not exist")
    assert EventListing.objects.count() == before
    assert not State.objects.filter(iso2="ZZ").exists()


def test_a_listing_whose_bounds_contradict_its_wording_is_refused(tmp_path):
    record = {"model": "events.eventlisting", "fields": {**LISTING["fields"], "document": ["sg-workplan"]}}
    record["fields"]["end_date"] = "2017-05-31"
    assert_refused(write(tmp_path, "wrong-bounds.json", [record]), "record 1", "'8-9 May 2017' means 2017-05-08")


def test_a_listing_outside_its_events_bounds_is_refused(tmp_path):
    event = {
        "model": "events.event",
        "fields": {
            "slug": "test-narrow-event",
            "kind": "other",
            "title": "A test event",
            "date_text": "8 May 2017",
            "date_precision": "day",
            "start_date": "2017-05-08",
            "end_date": "2017-05-08",
        },
    }
    listing = {
        "model": "events.eventlisting",
        "fields": {**LISTING["fields"], "event": ["test-narrow-event"], "document": ["sg-workplan"]},
    }
    assert_refused(write(tmp_path, "narrow.json", [event, listing]), "record 2", "outside its event's bounds")


def test_a_tentative_wording_must_be_flagged(tmp_path):
    record = {
        "model": "events.eventlisting",
        "fields": {**LISTING["fields"], "document": ["sg-workplan"], "date_text": "8-9 May 2017 TBC"},
    }
    assert_refused(write(tmp_path, "untentative.json", [record]), "record 1", "tentative but not marked")


def test_events_both_tables_list_have_a_listing_from_each_and_bounds_covering_both():
    from events.models import Event

    both = Event.objects.filter(listings__document__slug="main-preparatory-events").filter(
        listings__document__slug="sg-workplan"
    )
    assert both.count() == 16
    for event in both.prefetch_related("listings"):
        assert event.listed_in.slug == "main-preparatory-events"
        for listing in event.listings.all():
            if listing.start_date:
                assert event.start_date <= listing.start_date and listing.end_date <= event.end_date, event.slug
    assert Event.objects.filter(listings=None).count() == 0
    eca = Event.objects.get(slug="eca-regional-meeting-2017-09")
    assert (eca.sources_differ, eca.differs_on) == (True, "date,title")
    geneva = Event.objects.get(slug="hearing-geneva-2017-10")
    # The table's "TBC" is kept although the workplan's "2 October" has none.
    assert geneva.tentative and [(x.date_text, x.tentative) for x in geneva.listings.all()] == [
        ("4 October 2017 TBC", True),
        ("2 October", False),
    ]
    agreeing = Event.objects.get(slug="escap-regional-meeting-2017-11-06")
    assert not agreeing.sources_differ


def test_stored_bounds_never_contradict_the_wording():
    from events.dates import contradiction
    from events.models import Event, EventListing

    problems = [
        (listing.event.slug, listing.order, problem)
        for listing in EventListing.objects.select_related("event")
        if (
            problem := contradiction(
                listing.date_text, listing.start_date, listing.end_date, listing.date_precision, listing.tentative
            )
        )
    ]
    problems += [
        (event.slug, problem)
        for event in Event.objects.all()
        if (
            problem := contradiction(
                event.date_text, event.start_date, event.end_date, event.date_precision, event.tentative, exact=False
            )
        )
    ]
    assert problems == []
    week = Event.objects.get(slug="pga-documentation-its5-2017-07")
    assert (week.date_text, week.date_precision, str(week.start_date), str(week.end_date)) == (
        "Last week of July",
        "week",
        "2017-07-25",
        "2017-07-31",
    )


def test_only_the_phases_the_sources_define():
    from events.models import Event, Phase

    assert list(Phase.objects.values_list("slug", flat=True)) == [
        "phase-1-consultations",
        "phase-2-stocktaking",
        "phase-3-negotiations",
    ]
    assert Event.objects.get(slug="intergovernmental-conference-2018").phase is None


def test_documents_cited_by_symbol_are_documents_and_the_source_is_kept_where_it_errs():
    from events.models import Document, Event

    cited = Document.objects.filter(cited_by__isnull=False).distinct()
    assert set(cited.values_list("symbol", flat=True)) == {
        "A/RES/71/1",
        "A/RES/71/280",
        "A/70/59",
        "A/71/278",
        "A/71/285",
        "A/HRC/31/35",
        "A/68/292",
    }
    assert set(Document.objects.get(slug="issue-brief-1").cites.values_list("symbol", flat=True)) >= {"A/71/278"}
    # The sources date the high-level meeting 19 September 2017 (it was 2016): kept, with an editorial note.
    meeting = Event.objects.get(slug="high-level-meeting-large-movements")
    assert meeting.date_text == "19 September 2017" and "2016" in meeting.notes
    assert all("2016" in listing.editorial_note for listing in meeting.listings.all())
