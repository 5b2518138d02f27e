"""Backup and restore (README, "Backup and restore"): a dump of a populated database restores with
nothing lost: the same rows in every table and the same status history, field for field."""

import datetime
import os
import shutil
import subprocess
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from recommendations import services
from recommendations.choices import EvidenceKind, Status, Track
from recommendations.models import Evidence, Implementation, StatusUpdate
from tests.arrange import setup_writes


def row_counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed or model._meta.auto_created
    }


def history() -> dict[str, list[dict]]:
    return {
        "updates": list(StatusUpdate.objects.order_by("pk").values()),
        # The link rows' own ids mean nothing (loaddata recreates links from each update's list):
        # compare the links themselves.
        "update_evidence": list(
            StatusUpdate.evidence.through.objects.order_by("statusupdate_id", "evidence_id").values(
                "statusupdate_id", "evidence_id"
            )
        ),
        "evidence": list(Evidence.objects.order_by("pk").values()),
        "implementations": list(Implementation.objects.order_by("pk").values()),
    }


def assert_same_rows(restored: dict[str, list[dict]], original: dict[str, list[dict]]):
    """Equal, or a message naming the table, row and fields that differ."""
    for table, rows in original.items():
        assert len(restored[table]) == len(rows), table
        for after, before in zip(restored[table], rows, strict=True):
            changed = {field: (before[field], after[field]) for field in before if before[field] != after[field]}
            assert not changed, f"{table} row {before.get('id', before)}: {changed}"


def make_history(editor):
    """A history like the staff's: evidence added, verified and published, then status moves on both tracks."""
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=1)
    law = services.evidence_add(
        implementation=implementation,
        actor=editor,
        title="Loi relative à l'accès à la justice",
        kind=EvidenceKind.LAW,
        url="https://example.org/loi",
    )
    services.evidence_verify(evidence=law, actor=editor, publish=True)
    a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
    services.implementation_set_status(
        implementation=implementation,
        status=Status.PLANNED,
        actor=editor,
        comment="Announced.",
        effective_date=a_year_ago,
    )
    services.implementation_set_status(
        implementation=implementation,
        status=Status.PARTIALLY_IMPLEMENTED,
        actor=editor,
        comment="The law is in force.",
        rationale="The law was adopted and is in force.",
        evidence=[law],
    )
    services.implementation_set_status(
        implementation=implementation, status=Status.IN_PROGRESS, actor=editor, comment="Review.", track=Track.ASSESSED
    )
    for iso2 in ("KE", "MX", "PH"):
        other = Implementation.objects.get(state__iso2=iso2, commitment__number=3)
        services.implementation_set_status(implementation=other, status=Status.NOT_STARTED, actor=editor, comment="-")


@pytest.fixture
def populated(db, editor):
    make_history(editor)
    assert StatusUpdate.objects.count() >= 6


def test_dumpdata_and_loaddata_restore_everything(populated, tmp_path):
    """The portable path (SQLite and PostgreSQL alike)."""
    counts, rows = row_counts(), history()
    backup = tmp_path / "backup.xml"

    # The README's portable backup. Primary keys are kept (users, states… keep their ids); content
    # types and permissions, which `migrate` recreates with other ids, are referred to by name.
    call_command(
        "dumpdata",
        output=str(backup),
        format="xml",  # JSON rounds timestamps to milliseconds: the history's order could change.
        all=True,
        use_natural_foreign_keys=True,
        exclude=["contenttypes", "auth.permission", "sessions"],
        verbosity=0,
    )
    if connection.vendor == "postgresql":
        # Django's foreign keys are deferred; TRUNCATE refuses while this transaction has checks pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # An empty database as `migrate` leaves it: content types, permissions and role groups only.
    # A restore is the operator's, below the application: no service, as the README says.
    with setup_writes():
        call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert StatusUpdate.objects.count() == 0

    with setup_writes():
        call_command("loaddata", str(backup), verbosity=0)

    assert row_counts() == counts
    assert_same_rows(history(), rows)


POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.skipif(not POSTGRES, reason="pg_dump/pg_restore needs PostgreSQL (DATABASE_URL)")
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
@pytest.mark.django_db(transaction=True)
def test_pg_dump_restores_into_a_new_database_with_nothing_lost(editor, tmp_path):
    make_history(editor)
    settings_dict = connection.settings_dict
    source = settings_dict["NAME"]
    target = f"gcm_restore_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    common = ["-h", settings_dict.get("HOST") or "localhost", "-p", str(settings_dict.get("PORT") or 5432)]
    common += ["-U", settings_dict["USER"]] if settings_dict.get("USER") else []
    dump = tmp_path / "gcm.dump"

    subprocess.run(["pg_dump", *common, "-Fc", "-f", dump, source], check=True, env=env)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        subprocess.run(
            ["pg_restore", *common, "--no-owner", "--exit-on-error", "-d", target, dump], check=True, env=env
        )
        tables = sorted(row_counts())
        restored_counts = {}
        restored_history = {}
        import psycopg

        with psycopg.connect(
            host=settings_dict.get("HOST") or "localhost",
            port=settings_dict.get("PORT") or 5432,
            user=settings_dict.get("USER") or None,
            password=settings_dict.get("PASSWORD") or None,
            dbname=target,
        ) as restored:
            for table in tables:
                restored_counts[table] = restored.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in (StatusUpdate._meta.db_table, StatusUpdate.evidence.through._meta.db_table):
                restored_history[table] = restored.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()
        with connection.cursor() as cursor:
            for table in restored_history:
                cursor.execute(f'SELECT * FROM "{table}" ORDER BY id')
                assert cursor.fetchall() == restored_history[table]

        assert restored_counts == row_counts()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
