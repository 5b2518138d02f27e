"""The tallies (recommendations/models/tallies.py: per state and per commitment, statuses on each
track and published evidence) are kept by the writes in their own transaction: after any mix of
writes through every door that changes them they equal a fresh count, on SQLite and PostgreSQL,
and concurrent writers on PostgreSQL lose no update. The pages that showed aggregates read them."""

import random
import threading
import time
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations import services
from recommendations.choices import EVIDENCED_STATUSES, Status, Track
from recommendations.imports import Kind, run_import
from recommendations.models import Evidence, Implementation, State, StateTally
from recommendations.services import tallies
from tests.arrange import setup_writes
from tests.factories import EvidenceFactory, ImplementationFactory, RecommendationFactory, UserFactory
from tests.test_import import STATUS_HEADER, csv_bytes

pytestmark = pytest.mark.django_db

STATES = ["FR", "KE", "BR", "JP", "DE"]


def assert_tallies_are_counts():
    assert tallies.kept() == tallies.counted()


def _status_change(implementation, rng, track):
    status = rng.choice(Status.values)
    evidenced = status in EVIDENCED_STATUSES
    return services.StatusChange(
        implementation=implementation,
        status=status,
        comment="Random change",
        rationale="In force." if evidenced else "",
        track=track,
        new_evidence=services.NewEvidence(title="Report", url="https://example.org/r") if evidenced else None,
    )


def _import(editor, rng, today):
    rows = []
    for iso2 in rng.sample(STATES, 3):
        status = rng.choice([s for s in Status.values if s not in EVIDENCED_STATUSES])
        track = rng.choice(Track.values)
        row = {"state": iso2, "commitment": str(rng.randint(1, 10)), "track": track, "status": status}
        row.update({"effective_date": today.isoformat(), "comment": "Imported", "rationale": "", "evidence_urls": ""})
        rows.append([row[name] for name in STATUS_HEADER])
    data = csv_bytes(STATUS_HEADER, rows)
    report = run_import(kind=Kind.STATUS_UPDATES, filename="u.csv", data=data, user=editor, apply=True)
    assert report.ok, report.errors


def test_a_random_mix_of_writes_keeps_the_tallies_equal_to_a_fresh_count(editor, administrator):
    rng = random.Random(18)
    today = timezone.localdate()
    with setup_writes():
        extra = RecommendationFactory()
    items = list(Implementation.objects.filter(state__iso2__in=STATES).select_related("state"))
    for step in range(60):
        kind = rng.choice(["status", "status", "bulk", "import", "publish", "unpublish", "track"])
        if kind == "status":
            change = _status_change(rng.choice(items), rng, rng.choice(Track.values))
            services.implementation_set_status_bulk(changes=[change], actor=editor)
        elif kind == "bulk":  # a few items, both tracks, the same item twice
            chosen = rng.sample(items, 4)
            changes = [_status_change(i, rng, rng.choice(Track.values)) for i in [*chosen, chosen[0]]]
            services.implementation_set_status_bulk(changes=changes, actor=editor)
        elif kind == "import":
            _import(editor, rng, today)
        elif kind == "publish":
            evidence = services.evidence_add(
                implementation=rng.choice(items), actor=editor, title="Law", kind="law", url="https://example.org/law"
            )
            services.evidence_verify(evidence=evidence, actor=editor, publish=rng.random() < 0.8)
        elif kind == "unpublish":
            public = list(Evidence.objects.public().filter(implementation__in=items).order_by("pk"))
            if public:
                services.evidence_unpublish(evidence=rng.choice(public), actor=editor)
        else:
            state = State.objects.get(iso2=rng.choice(STATES))
            items.append(services.implementation_track(actor=administrator, state=state, recommendation=extra))
        for item in items:
            item.refresh_from_db(fields=["status", "assessment", "version"])
        if step % 20 == 19:
            assert_tallies_are_counts()
    assert Evidence.objects.public().filter(implementation__in=items).exists()
    assert_tallies_are_counts()
    assert tallies.tallies_rebuild() == 0


def test_the_seed_counts_every_state_at_no_information_on_each_commitment():
    kept_commitments, kept_states = tallies.kept()
    states = State.objects.count()
    assert kept_commitments[(1, f"{Track.REPORTED}:{Status.NO_INFORMATION}")] <= states
    assert_tallies_are_counts()


def test_writes_outside_the_services_recount_what_they_wrote(editor):
    implementation = ImplementationFactory(state=State.objects.get(iso2="FR"), status=Status.PLANNED)
    assert_tallies_are_counts()
    EvidenceFactory(implementation=implementation, verified=True, visibility="public")
    assert_tallies_are_counts()
    with setup_writes():
        implementation.assessment = Status.IN_PROGRESS
        implementation.save()
    assert_tallies_are_counts()


def test_rebuild_tallies_corrects_what_raw_sql_left_wrong():
    france = State.objects.get(iso2="FR")
    with setup_writes():
        StateTally.objects.filter(state=france).update(n=999)
        StateTally.objects.update_or_create(state=france, measure="nothing:at:all", defaults={"n": 5})
    out = StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "were wrong" in out.getvalue() and " 0 were wrong" not in out.getvalue()
    assert_tallies_are_counts()
    out = StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "0 were wrong" in out.getvalue()


def test_only_administrators_recount_the_tallies(editor, administrator):
    with pytest.raises(PermissionDenied):
        tallies.tallies_rebuild(actor=editor)
    assert tallies.tallies_rebuild(actor=administrator) == 0


def test_the_pages_that_showed_aggregates_read_the_tallies(client, editor):
    france = Implementation.objects.get(state__iso2="FR", commitment__number=1)
    services.implementation_set_status(implementation=france, status=Status.PLANNED, actor=editor, comment="Plan")
    for url in ("/", "/states/", "/commitments/"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        read = [q["sql"] for q in queries.captured_queries if "recommendations_implementation" in q["sql"]]
        # No count over the implementations or the evidence: the state list's "last update" probe
        # (one row of one index per state) is all that reads them.
        assert not [sql for sql in read if "COUNT(" in sql and "tally" not in sql], read


# --- Concurrent writers (PostgreSQL: SQLite runs one write transaction at a time) -------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_status_writes_lose_no_update():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises write transactions; row locks are PostgreSQL's")
    with setup_writes():
        editor = UserFactory(role="editor")
    pairs = [
        (Implementation.objects.get(state__iso2=iso2, commitment__number=1), status)
        for iso2, status in (("FR", Status.PLANNED), ("KE", Status.IN_PROGRESS), ("BR", Status.NOT_STARTED))
    ]
    start = threading.Barrier(len(pairs))
    failures = []

    def writer(implementation, first):
        try:
            start.wait()
            # Each writer moves its item back and forth between two statuses, the others the other
            # way round, holding its transaction open a moment so that the others wait on its rows.
            for round_ in range(6):
                status = first if round_ % 2 == 0 else Status.NOT_APPLICABLE
                with transaction.atomic():
                    implementation.refresh_from_db()
                    services.implementation_set_status(
                        implementation=implementation, status=status, actor=editor, comment=f"Round {round_}"
                    )
                    time.sleep(0.02)
        except Exception as exc:
            failures.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert_tallies_are_counts()
    kept_commitments, _states = tallies.kept()
    assert kept_commitments[(1, f"{Track.REPORTED}:{Status.NOT_APPLICABLE}")] >= len(pairs)


def test_a_dated_import_on_the_assessed_track_keeps_them_too(editor):
    # The demo writes through the same services (tests/test_demo.py checks its tallies).
    rows = [["FR", "2", Track.ASSESSED, Status.IN_PROGRESS, "2020-01-01", "c", "", ""]]
    data = csv_bytes(STATUS_HEADER, rows)
    assert run_import(kind=Kind.STATUS_UPDATES, filename="u.csv", data=data, user=editor, apply=True).ok
    assert_tallies_are_counts()


def test_a_fixture_load_of_implementations_recounts_them(tmp_path):
    import json

    from recommendations.models import Recommendation

    france, recommendation = State.objects.get(iso2="FR"), Recommendation.objects.order_by("pk").first()
    row = {
        "model": "recommendations.implementation",
        "pk": 990001,
        "fields": {
            "state": france.pk,
            "recommendation": recommendation.pk,
            "status": Status.PLANNED,
            "assessment": Status.NO_INFORMATION,
            "created_at": "2020-01-01T00:00:00Z",
            "updated_at": "2020-01-01T00:00:00Z",
        },
    }
    path = tmp_path / "implementations.json"
    path.write_text(json.dumps([row]), encoding="utf-8")
    services.load_fixtures(paths=[path], models={"recommendations.implementation"})
    assert Implementation.objects.filter(pk=990001, status=Status.PLANNED).exists()
    assert_tallies_are_counts()
