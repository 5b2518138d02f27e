from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from recommendations.imports import Kind, run_import

SHOWN_ERRORS = 200


class Command(BaseCommand):
    help = (
        "Import a spreadsheet (CSV or XLSX) of status updates, implementations, evidence or measurements, "
        "or a reference-data fixture (JSON or YAML), as USERNAME would from the admin page. Without --apply it "
        "only reports what would be created, updated or left unchanged, and every error by row and column. "
        "With --apply it writes everything in one transaction, or nothing if any row is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv, .xlsx, .json, .yaml or .yml file")
        parser.add_argument("--kind", required=True, choices=Kind.values)
        parser.add_argument("--user", required=True, help="import as this user; their role and scope apply")
        parser.add_argument("--apply", action="store_true", help="write the changes (default: dry run)")

    def handle(self, *args, file, kind, user, apply, **options):
        try:
            actor = get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user “{user}”.") from None
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        report = run_import(kind=kind, filename=path.name, data=data, user=actor, apply=apply)
        counts = report.counts
        summary = f"{counts['create']} to create, {counts['update']} to update, {counts['unchanged']} unchanged."
        if not report.ok:
            for error in report.errors[:SHOWN_ERRORS]:
                where = "file" if error.row is None else f"row {error.row}"
                column = f", {error.field}" if error.field else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            if len(report.errors) > SHOWN_ERRORS:
                self.stderr.write(f"... and {len(report.errors) - SHOWN_ERRORS} more errors.")
            raise CommandError(f"Nothing was written: {len(report.errors)} errors. ({summary})")
        if report.applied:
            done = f"{counts['create']} created, {counts['update']} updated, {counts['unchanged']} unchanged."
            self.stdout.write(self.style.SUCCESS(f"Imported {path.name}: {done}"))
        else:
            self.stdout.write(f"Dry run of {path.name}, nothing written: {summary} Run again with --apply to write.")
