"""Email each owner a digest of their overdue and untouched items.

Run it once a day, e.g. from cron (times in the server's zone):

    15 6 * * *  cd /srv/gcmtracker && .venv/bin/python manage.py send_digests

Owners with nothing overdue or untouched get no email. `--dry-run` lists who would get one.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from recommendations.staff import notifications


class Command(BaseCommand):
    help = "Email each owner one digest of their overdue and untouched items (run daily by cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list who would get an email; send nothing")
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, dry_run, date, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from exc
        sent = notifications.send_digests(today=today, dry_run=dry_run)
        for email, overdue, untouched in sent:
            self.stdout.write(f"{email}: {overdue} overdue, {untouched} untouched")
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(sent)} digest(s)."))
