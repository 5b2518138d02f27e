"""Fill a PostgreSQL database with benchmark data at scale, on top of the real seed data.

    DATABASE_URL=postgres://root@127.0.0.1:5432/gcm_bench python bench/generate.py \
        --items 1000 --updates 1000000 --evidence 100000

Tracked items are the 10 commitments and the 93 real recommendations and other source items plus synthetic ones
(code "bench-…") up to --items; every state gets an implementation of every item. Status
updates and evidence are spread over the implementations. All generated rows are marked
`is_demo` where the model has the flag. The big tables are filled by INSERT … SELECT on the
server (generate_series), which writes a million rows in seconds; no row passes through Python;
then the per-state and per-commitment tallies are recounted (`manage.py rebuild_tallies`).
Run by bench/run.py; safe to run alone on an empty, migrated and seeded database.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcmtracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from events.models import Document  # noqa: E402
from recommendations.choices import EvidenceKind, RecommendationKind, Status  # noqa: E402
from recommendations.models import (  # noqa: E402
    Commitment,
    Evidence,
    Implementation,
    Recommendation,
    State,
    StatusUpdate,
    Theme,
)

STATUSES = "ARRAY[" + ",".join(f"'{value}'" for value in Status.values) + "]"
KINDS = "ARRAY[" + ",".join(f"'{value}'" for value in EvidenceKind.values) + "]"


def step(label):
    def wrap(function):
        def run(*args, **kwargs):
            started = time.monotonic()
            result = function(*args, **kwargs)
            print(f"  {label}: {result} ({time.monotonic() - started:.1f} s)", flush=True)
            return result

        return run

    return wrap


@step("synthetic recommendations")
def add_recommendations(items: int) -> int:
    missing = items - Commitment.objects.count() - Recommendation.objects.count()
    if missing <= 0:
        return 0
    document, _created = Document.objects.get_or_create(
        slug="bench-synthetic", defaults={"title": "Synthetic recommendations for the benchmark", "kind": "other"}
    )
    start = Recommendation.objects.filter(document=document).count()
    kinds = RecommendationKind.values
    Recommendation.objects.bulk_create(
        [
            Recommendation(
                code=f"bench-{n}",
                document=document,
                order=n,
                kind=kinds[n % len(kinds)],
                text=f"Synthetic benchmark recommendation {n}: ensure access to services for all migrants.",
                year_from=2010 + n % 10,
                year_to=2010 + n % 10,
                year_text=str(2010 + n % 10),
            )
            for n in range(start + 1, start + missing + 1)
        ],
        batch_size=2000,
    )
    added = list(Recommendation.objects.filter(document=document, order__gt=start))
    commitments = list(Commitment.objects.order_by("number"))
    themes = list(Theme.objects.all())
    Recommendation.commitments.through.objects.bulk_create(
        [
            Recommendation.commitments.through(recommendation=rec, commitment=commitments[i % len(commitments)])
            for i, rec in enumerate(added)
        ],
        batch_size=5000,
    )
    Recommendation.themes.through.objects.bulk_create(
        [
            Recommendation.themes.through(recommendation=rec, theme=themes[i % len(themes)])
            for i, rec in enumerate(added)
        ],
        batch_size=5000,
    )
    return len(added)


@step("implementations")
def add_implementations() -> int:
    table = Implementation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (state_id, commitment_id, recommendation_id, status, assessment, position,
                                 lead_agency, internal_note, version, is_demo, created_at, updated_at)
            SELECT s.id, NULL, r.id, 'no_information', 'no_information', 'no_response', '', '', 1, true, now(), now()
            FROM {State._meta.db_table} s CROSS JOIN {Recommendation._meta.db_table} r
            WHERE NOT EXISTS (SELECT 1 FROM {table} i WHERE i.state_id = s.id AND i.recommendation_id = r.id)
            """
        )
        return cursor.rowcount


@step("status updates")
def add_status_updates(total: int) -> int:
    """Up to `total` updates, a few per implementation: dated 200 days apart, every fifth an assessment."""
    missing = total - StatusUpdate.objects.count()
    if missing <= 0:
        return 0
    implementations = Implementation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE bench_impl AS SELECT id, state_id, (row_number() OVER (ORDER BY id) - 1) AS idx "
            f"FROM {implementations}"
        )
        cursor.execute("SELECT count(*) FROM bench_impl")
        count = cursor.fetchone()[0]
        cursor.execute(
            f"""
            INSERT INTO {StatusUpdate._meta.db_table} (implementation_id, state_id, track, status,
                previous_status, effective_date, comment, rationale, author_id, author_role, is_demo, created_at)
            SELECT b.id, b.state_id,
                   CASE WHEN k %% 5 = 4 THEN 'assessed' ELSE 'reported' END,
                   ({STATUSES})[1 + (b.id * 7 + k * 3) %% 7],
                   CASE WHEN k = 0 THEN 'no_information' ELSE ({STATUSES})[1 + (b.id * 7 + (k - 1) * 3) %% 7] END,
                   DATE '2019-01-01' + (k * 200 + b.id %% 150)::int,
                   'Benchmark data.', '', NULL, 'editor', true,
                   (DATE '2019-01-01' + (k * 200 + b.id %% 150)::int) + time '12:00' + (n %% 3600) * interval '1 second'
            FROM generate_series(0, %s - 1) AS n
            CROSS JOIN LATERAL (SELECT (n / %s)::int AS k) AS kk
            JOIN bench_impl b ON b.idx = n %% %s
            """,
            [missing, count, count],
        )
        inserted = cursor.rowcount
        cursor.execute("DROP TABLE bench_impl")
        # The current status of each track is the latest update's (as services write it).
        for track, status, changed in (
            ("reported", "status", "status_changed_at"),
            ("assessed", "assessment", "assessment_changed_at"),
        ):
            cursor.execute(
                f"""
                UPDATE {implementations} i SET {status} = u.status, {changed} = u.created_at,
                       last_reviewed = GREATEST(i.last_reviewed, u.effective_date), version = i.version + 1
                FROM (SELECT DISTINCT ON (implementation_id) implementation_id, status, created_at, effective_date
                      FROM {StatusUpdate._meta.db_table} WHERE track = %s
                      ORDER BY implementation_id, effective_date DESC, created_at DESC, id DESC) u
                WHERE i.id = u.implementation_id
                """,
                [track],
            )
    return inserted


@step("evidence")
def add_evidence(total: int) -> int:
    """Evidence spread over the implementations; 7 in 10 verified and public, the rest staff-only."""
    missing = total - Evidence.objects.count()
    if missing <= 0:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE bench_impl AS SELECT id, (row_number() OVER (ORDER BY id) - 1) AS idx "
            f"FROM {Implementation._meta.db_table}"
        )
        cursor.execute("SELECT count(*) FROM bench_impl")
        count = cursor.fetchone()[0]
        cursor.execute(
            f"""
            INSERT INTO {Evidence._meta.db_table} (implementation_id, title, kind, date, url, file, original_filename,
                content_type, size, description, added_by_id, added_at, verified, verified_by_id, verified_at,
                visibility, published_at, is_demo)
            SELECT b.id, 'Benchmark evidence ' || n, ({KINDS})[1 + n %% 8], DATE '2019-01-01' + (n %% 1500)::int,
                   'https://example.org/bench/' || n, '', '', '', NULL, '', NULL, now(),
                   n %% 10 < 7, NULL, CASE WHEN n %% 10 < 7 THEN now() END,
                   CASE WHEN n %% 10 < 7 THEN 'public' ELSE 'staff' END, CASE WHEN n %% 10 < 7 THEN now() END, true
            FROM generate_series(0, %s - 1) AS n
            JOIN bench_impl b ON b.idx = (n * 7919) %% %s
            """,
            [missing, count],
        )
        inserted = cursor.rowcount
        cursor.execute("DROP TABLE bench_impl")
    return inserted


@step("tallies recounted (wrong before)")
def recount_tallies() -> int:
    # The rows above came through raw SQL, not the services that keep the tallies.
    from recommendations.services.tallies import tallies_rebuild

    return tallies_rebuild()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1000, help="tracked items per state (default 1000)")
    parser.add_argument("--updates", type=int, default=1_000_000, help="status updates in all (default 1,000,000)")
    parser.add_argument("--evidence", type=int, default=100_000, help="evidence records in all (default 100,000)")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    started = time.monotonic()
    with transaction.atomic():
        add_recommendations(args.items)
        add_implementations()
        add_status_updates(args.updates)
        add_evidence(args.evidence)
        recount_tallies()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  totals: {State.objects.count()} states, {Commitment.objects.count() + Recommendation.objects.count()} "
        f"tracked items, {Implementation.objects.count()} implementations, {StatusUpdate.objects.count()} status "
        f"updates, {Evidence.objects.count()} evidence ({time.monotonic() - started:.0f} s)",
        flush=True,
    )


if __name__ == "__main__":
    main()
