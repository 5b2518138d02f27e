"""A real task worker (`manage.py run_worker`, a separate process) runs tasks from the database
queue, retries a failed email later, and keeps /readyz green while it runs."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.served import ROOT, manage, only_in_the_sqlite_run

pytestmark = only_in_the_sqlite_run

QUEUE_EMAIL = """
from gcmtracker.mail import queue_email
queue_email(subject="{subject}", body="Sent by a real worker.", to=["owner@example.org"], kind="test")
"""
TASKS = """
import json
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.filter(args_kwargs__kwargs__subject="{subject}").order_by("enqueued_at")
print("TASKS", json.dumps([
    [r.status, r.return_value, r.args_kwargs["kwargs"].get("attempt", 1), r.run_after.year < 9999] for r in rows
]))
"""


def _tasks(env, subject):
    output = manage("shell", "-c", TASKS.format(subject=subject), env=env)
    return json.loads(output.split("TASKS ", 1)[1])


def _worker(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--no-startup-delay", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_worker_process_sends_a_queued_email(sqlite_site):
    manage("shell", "-c", QUEUE_EMAIL.format(subject="Worker test one"), env=sqlite_site.env)
    assert _tasks(sqlite_site.env, "Worker test one") == [["READY", None, 1, False]]

    result = _worker(sqlite_site.env, "--batch")

    assert result.returncode == 0, result.stderr
    assert "Subject: Worker test one" in result.stdout  # the console email backend
    assert _tasks(sqlite_site.env, "Worker test one") == [["SUCCESSFUL", "sent", 1, False]]


def test_an_smtp_failure_in_the_worker_is_logged_and_queued_again_for_later(sqlite_site):
    env = {**sqlite_site.env, "EMAIL_URL": "smtp://127.0.0.1:1"}  # nothing listens there
    manage("shell", "-c", QUEUE_EMAIL.format(subject="Worker test two"), env=env)

    result = _worker(env, "--batch")

    assert result.returncode == 0, result.stderr
    assert "email failed, trying again in 0:01:00" in result.stderr
    assert "Connection refused" in result.stderr
    # The first try is done ("retrying"); the second waits a minute, so this batch left it.
    assert _tasks(env, "Worker test two") == [["SUCCESSFUL", "retrying", 1, False], ["READY", None, 2, True]]


def _readyz(url):
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_readyz_sees_a_running_worker_and_the_worker_stops_cleanly(sqlite_site):
    forget = "from django.core.cache import cache; cache.delete('gcm:worker-heartbeat')"
    manage("shell", "-c", forget, env=sqlite_site.env)
    status, body = _readyz(sqlite_site.url)
    assert status == 503 and not body["checks"]["worker"]["ok"]

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-startup-delay"],
        cwd=ROOT,
        env=sqlite_site.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status, body = _readyz(sqlite_site.url)
        while status != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
            status, body = _readyz(sqlite_site.url)
        assert status == 200, body
        assert body["checks"]["worker"] == {"ok": True}
    finally:
        worker.terminate()
        _out, errors = worker.communicate(timeout=30)
    assert worker.returncode == 0, errors
