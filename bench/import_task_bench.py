#!/usr/bin/env python3
"""A 100,000-row status import as a background task, while the site keeps answering.

    .venv/bin/python bench/import_task_bench.py [--rows 100000] [--database-url URL]

On a fresh SQLite file (or the PostgreSQL database named): migrate, seed, serve with gunicorn,
queue a preview job and then an apply job of ROWS status updates, run `manage.py run_worker`
as its own process, and meanwhile load /healthz and the dashboard once a second. Prints the
progress samples the job page would show, each job's time, and the site's response times during
the import (the README's figure comes from here).
"""

import argparse
import csv
import datetime
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    # Its own copy (tests/served.py has one too): the bench runs in `dev.py serve`'s install, without pytest.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CREATE_JOB = """
from django.contrib.auth.models import User
from gcmtracker.models import ImportJob
from recommendations.imports.tasks import queue_import
user, _ = User.objects.get_or_create(username="bench-admin", defaults={{"is_staff": True, "is_superuser": True}})
data = open({path!r}, "rb").read()
job = ImportJob.objects.create(user=user, kind="status_updates", filename="bench.csv", data=data, mode={mode!r})
queue_import(job)
print("JOB", job.pk)
"""
JOB_STATE = """
import json
from gcmtracker.models import ImportJob
job = ImportJob.objects.get(pk={pk})
print("STATE", json.dumps([job.state, job.rows_done, job.rows_total, job.counts, len(job.errors), job.applied]))
"""


def manage(*args, env):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(result.stdout + result.stderr)
    return result.stdout


def rows_csv(count: int) -> bytes:
    states = manage_json(
        "import json; from recommendations.models import State; "
        "print('J', json.dumps(list(State.objects.values_list('iso2', flat=True))))"
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["state", "commitment", "track", "status", "effective_date", "comment"])
    # Statuses that need no evidence or rationale, one a week per implementation, in date order.
    statuses = ["planned", "in_progress", "not_started"]
    start = datetime.date(2019, 1, 7)
    n = 0
    for week in range(count // (10 * len(states)) + 1):
        day = (start + datetime.timedelta(weeks=week)).isoformat()
        for state in states:
            for commitment in range(1, 11):
                if n == count:
                    return out.getvalue().encode()
                writer.writerow(
                    [state, commitment, "reported", statuses[(week + commitment) % 3], day, f"Bench row {n}"]
                )
                n += 1
    return out.getvalue().encode()


ENV: dict = {}


def manage_json(code):
    output = manage("shell", "-c", code, env=ENV)
    return json.loads(output.split("J ", 1)[1])


def state(pk):
    output = manage("shell", "-c", JOB_STATE.format(pk=pk), env=ENV)
    return json.loads(output.split("STATE ", 1)[1])


class Prober(threading.Thread):
    """Loads /healthz and / once a second and keeps the response times."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.times, self.failures, self.stop = url, {"/healthz": [], "/": []}, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            for path in self.times:
                start = time.perf_counter()
                try:
                    urllib.request.urlopen(self.url + path, timeout=30).read()
                    self.times[path].append(time.perf_counter() - start)
                except OSError:
                    self.failures += 1
            self.stop.wait(1)


def run_job(mode, data_path, url):
    pk = int(manage("shell", "-c", CREATE_JOB.format(path=str(data_path), mode=mode), env=ENV).split("JOB ")[1])
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    prober = Prober(url)
    prober.start()
    start = time.perf_counter()
    samples = []
    while worker.poll() is None:
        time.sleep(5)
        samples.append((round(time.perf_counter() - start), *state(pk)[1:3]))
    elapsed = time.perf_counter() - start
    prober.stop.set()
    prober.join()
    final = state(pk)
    return pk, elapsed, samples, final, prober


def describe(prober):
    parts = []
    for path, times in prober.times.items():
        if times:
            parts.append(
                f"{path}: {len(times)} loads, median {statistics.median(times) * 1000:.0f} ms, "
                f"max {max(times) * 1000:.0f} ms"
            )
    return "; ".join(parts) + f"; {prober.failures} failed"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gcm-import-bench-"))
    ENV.update({key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ})
    ENV["DATABASE_URL"] = args.database_url or f"sqlite:///{folder / 'db.sqlite3'}"
    ENV["MEDIA_ROOT"] = str(folder / "media")
    ENV["IMPORT_MAX_BYTES"] = str(50 * 1024 * 1024)
    print(f"Database: {ENV['DATABASE_URL']}", flush=True)
    manage("migrate", "--no-input", env=ENV)
    manage("seed", env=ENV)
    data_path = folder / "bench.csv"
    data_path.write_bytes(rows_csv(args.rows))
    print(f"{args.rows} rows, {data_path.stat().st_size / 1e6:.1f} MB", flush=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gcmtracker.wsgi", f"--bind=127.0.0.1:{port}", "--workers=2"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    time.sleep(5)
    try:
        for mode in ("preview", "apply"):
            pk, elapsed, samples, final, prober = run_job(mode, data_path, url)
            print(f"\n{mode} job {pk}: {elapsed:.0f} s; final state {final}", flush=True)
            print("progress (s, rows done, rows total): " + ", ".join(str(s) for s in samples), flush=True)
            print("site during the job: " + describe(prober), flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
