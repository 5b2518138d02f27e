"""Every scheduled job, from one scheduler entry. Run it once a day:

    cron:     15 6 * * *  cd /srv/gcmtracker && .venv/bin/python manage.py run_scheduled
    systemd:  gcmtracker-scheduled.timer (OnCalendar=*-*-* 06:15), see the README
    compose:  the `scheduler` service

Jobs, each run even when another failed (the command then exits 1, and each failure is logged):

- digests: each owner's email of overdue and stale items, queued as tasks (the worker sends them,
  retrying a failed send);
- round-reminders: the open reporting rounds' notices to focal points of states that have not
  reported everything: the opening (a round that opens today, a state added since), a reminder
  from ROUND_REMINDER_DAYS before the deadline and one after it, each at most once per state;
- sessions: expired sessions deleted (Django's clearsessions);
- login-attempts: expired django-axes lock-out records and access logs older than
  AXES_LOG_RETENTION_DAYS deleted;
- task-results: finished background task results older than TASK_RESULT_RETENTION_DAYS deleted
  (import reports are kept with their import, not here).

`--only NAME` runs one job; `--list` names them; `--date YYYY-MM-DD` runs the jobs that send
(digests, round-reminders) as if today were that date.
"""

import datetime
import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gcmtracker.logs import log_context

logger = logging.getLogger("gcmtracker.scheduled")


def digests(today=None):
    from recommendations.staff import notifications

    sent = notifications.send_digests(today=today)
    return f"{len(sent)} digest(s) queued"


def round_reminders(today=None):
    from recommendations.staff import notifications

    sent = notifications.send_round_reminders(today=today)
    details = "".join(f", {slug} {kind}: {count}" for slug, kind, count in sent)
    return f"{sum(count for _slug, _kind, count in sent)} round email(s) queued{details}"


def sessions():
    call_command("clearsessions")
    return "expired sessions deleted"


def login_attempts():
    import datetime

    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt
    from django.utils import timezone

    # Failures older than the cool-off no longer count towards a lock-out (AXES_COOLOFF_TIME, hours).
    cutoff = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    expired, _by_model = AccessAttempt.objects.filter(attempt_time__lte=cutoff).delete()
    days = settings.AXES_LOG_RETENTION_DAYS
    logs = AxesProxyHandler.reset_logs(age_days=days)
    return f"{expired} expired failed-login record(s), {logs} access log(s) older than {days} days deleted"


def task_results():
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return "no database queue to prune (TASKS_BACKEND)"
    days = settings.TASK_RESULT_RETENTION_DAYS
    call_command("prune_db_task_results", min_age_days=days, failed_min_age_days=days, verbosity=0)
    return f"finished task results older than {days} days deleted"


JOBS = {
    "digests": digests,
    "round-reminders": round_reminders,
    "sessions": sessions,
    "login-attempts": login_attempts,
    "task-results": task_results,
}
DATED = {"digests", "round-reminders"}  # the jobs --date applies to


class Command(BaseCommand):
    help = (
        "Run every scheduled job (digests, reporting round reminders, expired sessions, old login attempts, "
        "old task results)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=sorted(JOBS), help="run this job alone")
        parser.add_argument("--list", action="store_true", help="name the jobs and exit")
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD), for the jobs that send")

    def handle(self, *args, only, list, date, **options):
        if list:
            self.stdout.write("\n".join(JOBS))
            return
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from exc
        failed = []
        for name, job in JOBS.items():
            if only and name != only:
                continue
            with log_context(door="command", job=name):
                try:
                    outcome = job(today=today) if today and name in DATED else job()
                except Exception:
                    logger.exception("scheduled job failed: %s", name, extra={"job": name})
                    failed.append(name)
                    continue
            logger.info("scheduled job done: %s: %s", name, outcome, extra={"job": name})
            self.stdout.write(f"{name}: {outcome}")
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)} (the log has each error).")
