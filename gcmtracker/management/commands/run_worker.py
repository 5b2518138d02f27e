"""Run background tasks: django-tasks-db's `db_worker`, plus a heartbeat for /readyz.

    manage.py run_worker                 # production: one per worker process (compose, systemd)
    manage.py run_worker --reload        # development (dev.py serve): restarts on code changes
    manage.py run_worker --batch         # run what is queued, then exit (tests, one-off)

Every option of db_worker applies (--queue-name, --interval, --max-tasks, --worker-id ...).
Several workers, on one machine or several, share the queue in the database: each task is
claimed by one worker (a row lock on PostgreSQL, an immediate transaction on SQLite).
"""

import os
import socket

from django_tasks_db.management.commands import db_worker

from gcmtracker.logs import log_context
from gcmtracker.worker import start_heartbeat


class Command(db_worker.Command):
    help = "Run queued background tasks (imports, emails) and report a heartbeat for /readyz."

    def handle(self, *args, **options):
        worker_id = options.get("worker_id") or f"{socket.gethostname()}-{os.getpid()}"
        stop = start_heartbeat(worker_id)
        try:
            with log_context(door="task"):
                return super().handle(*args, **options)
        finally:
            stop.set()
