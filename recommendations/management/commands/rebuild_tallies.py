from django.core.management.base import BaseCommand

from recommendations.services.tallies import tallies_rebuild


class Command(BaseCommand):
    help = (
        "Recount the per-state and per-commitment tallies (statuses on each track, published evidence) "
        "from the implementations and the evidence, in one transaction. The writes keep them up to date; "
        "run this after writing the tables with raw SQL (bench/generate.py) or to check them."
    )

    def handle(self, *args, verbosity, **options):
        wrong = tallies_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Tallies recounted: {wrong} were wrong and are corrected."))
