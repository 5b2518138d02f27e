"""Several workers share the queue in PostgreSQL (README, Background tasks): two `run_worker`
processes at once take every queued task, and each task runs exactly once (django-tasks-db
claims a task with SELECT … FOR UPDATE SKIP LOCKED). On SQLite one worker is the norm; its
worker process is tested in tests/test_worker_process.py."""

import collections
import os
import re
import subprocess
import sys

import pytest
from django.db import connection

from tests.served import ROOT

TASKS = 30

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the shared queue of several workers is PostgreSQL's (DATABASE_URL)",
)


def _worker_environment():
    """A worker process on this test's database (committed rows: a transactional test)."""
    database = connection.settings_dict
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = f"{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    env["DATABASE_URL"] = f"postgres://{database['USER']}{password}@{host}/{database['NAME']}"
    env["EMAIL_URL"] = "consolemail://"  # each sent email is printed: count them
    # The heartbeat goes to the cache; the suite's test database has no cache table.
    env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3")
    return env


def test_two_workers_share_the_queue_and_run_each_task_once(transactional_db, settings):
    from django_tasks_db.models import DBTaskResult

    from gcmtracker.mail import queue_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for number in range(TASKS):
        queue_email(subject=f"Queue test {number:02d}", body="-", to=["owner@example.org"], kind="test")
    assert DBTaskResult.objects.filter(status="READY").count() == TASKS

    env = _worker_environment()
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--batch", "--no-startup-delay", f"--worker-id=w{n}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    outputs = [worker.communicate(timeout=300) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], [errors[-2000:] for _out, errors in outputs]
    sent = collections.Counter(re.findall(r"^Subject: (Queue test \d+)$", "".join(o for o, _e in outputs), re.M))
    assert sorted(sent) == [f"Queue test {n:02d}" for n in range(TASKS)]
    assert set(sent.values()) == {1}  # none twice
    rows = DBTaskResult.objects.all()
    assert {row.status for row in rows} == {"SUCCESSFUL"}
