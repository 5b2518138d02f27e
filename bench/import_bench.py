"""How fast the importer writes status updates, next to Django's loaddata of the same rows.

Not a test: run it by hand on PostgreSQL (it refuses anything else) and read the numbers.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python bench/import_bench.py [--rows 100000]

It creates a fresh database beside the one DATABASE_URL names (<name>_import_bench), migrates and
seeds it, and drops it at the end. It builds N status updates spread over the real states x
commitments grid (dated one day apart per implementation, statuses that need no evidence), then:

1. loaddata: the rows as a StatusUpdate fixture (JSON with primary keys, as dumpdata writes it);
   no checks beyond the database's, and the implementations' current status is not updated.
2. the importer on the same rows as CSV: dry run (read and check every row), apply (read, check
   and write history plus current status, one transaction), and the same file again (unchanged).
"""

import argparse
import csv
import datetime
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcmtracker.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from recommendations.choices import Role, Status, Track  # noqa: E402
from recommendations.imports import Kind, run_import  # noqa: E402
from recommendations.models import Implementation, StatusUpdate  # noqa: E402

STATUSES = [Status.NOT_STARTED, Status.PLANNED, Status.IN_PROGRESS, Status.NOT_APPLICABLE]
START = datetime.date(2018, 1, 1)
HEADER = ["state", "commitment", "track", "status", "effective_date", "comment"]


def generate(rows: int):
    """(implementation pk, iso2, commitment number, status, date, comment) for each row, oldest first."""
    grid = list(
        Implementation.objects.filter(commitment__isnull=False)
        .order_by("state__iso2", "commitment__number")
        .values_list("pk", "state__iso2", "commitment__number")
    )
    for i in range(rows):
        pk, iso2, number = grid[i % len(grid)]
        round_ = i // len(grid)
        yield pk, iso2, number, STATUSES[(i + round_) % len(STATUSES)], START + datetime.timedelta(round_), f"row {i}"


def as_csv(data) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for _pk, iso2, number, status, date, comment in data:
        writer.writerow([iso2, number, Track.REPORTED, status, date.isoformat(), comment])
    return out.getvalue().encode()


def as_fixture(data, author) -> bytes:
    now = timezone.now().isoformat()
    previous, records = {}, []
    for index, (pk, iso2, _number, status, date, comment) in enumerate(data, start=1):
        fields = {
            "implementation": pk,
            "state": [iso2],  # by natural key
            "track": Track.REPORTED,
            "status": status,
            "previous_status": previous.get(pk, Status.NO_INFORMATION),
            "effective_date": date.isoformat(),
            "comment": comment,
            "rationale": "",
            "author": author.pk,
            "author_role": Role.ADMINISTRATOR,
            "is_demo": False,
            "created_at": now,
            "evidence": [],
        }
        previous[pk] = status
        records.append({"model": "recommendations.statusupdate", "pk": index, "fields": fields})
    return json.dumps(records).encode()


def clear_history():
    """History is append-only through the ORM; the benchmark empties it with SQL between runs."""
    through = StatusUpdate.evidence.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {through}, {StatusUpdate._meta.db_table} RESTART IDENTITY")
    Implementation.objects.update(status=Status.NO_INFORMATION, status_changed_at=None, last_reviewed=None, version=1)


def timed(label, rows, run):
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {rows:>8} rows {seconds:>8.2f} s {rows / seconds:>10,.0f} rows/s", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows

    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL only: set DATABASE_URL=postgres://... and run it again.")
    database = settings.DATABASES["default"]
    original_name = database["NAME"]
    database.setdefault("TEST", {})["NAME"] = f"{original_name}_import_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("seed", verbosity=0)
        author = get_user_model().objects.create_superuser("bench-admin", "bench@example.org", None)
        data = list(generate(rows))
        print(f"PostgreSQL {connection.pg_version // 10000}, {Implementation.objects.count()} implementations")

        fixture = as_fixture(data, author)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "status_updates.json"
            path.write_bytes(fixture)
            timed("loaddata (no checks, no current status)", rows, lambda: call_command("loaddata", path, verbosity=0))
        assert StatusUpdate.objects.count() == rows
        clear_history()

        spreadsheet = as_csv(data)

        def run(apply):
            report = run_import(
                kind=Kind.STATUS_UPDATES, filename="bench.csv", data=spreadsheet, user=author, apply=apply
            )
            assert report.ok, report.errors[:5]
            return report

        timed("importer dry run (read + check)", rows, lambda: run(False))
        report = timed("importer apply (read + check + write)", rows, lambda: run(True))
        assert report.counts["create"] == rows and StatusUpdate.objects.count() == rows
        again = timed("importer apply again (all unchanged)", rows, lambda: run(True))
        assert again.counts["unchanged"] == rows and StatusUpdate.objects.count() == rows
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
