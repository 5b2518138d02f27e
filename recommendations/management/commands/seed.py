from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.imports.seeding import FixtureError, fixture_paths, seed


class Command(BaseCommand):
    help = (
        "Load the source data in fixtures/ (or the given files) and give every state a row for every "
        "commitment. Validates every record first and writes all or nothing; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="fixture files (default: every file in fixtures/)")

    def handle(self, *args, files, verbosity, **options):
        paths = [Path(f) for f in files] or fixture_paths()
        try:
            created = seed(paths, verbosity=verbosity)
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(paths)} fixture files; {created} new implementation rows."))
