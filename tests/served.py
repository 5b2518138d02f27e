"""A real development site in other processes: a seeded SQLite file served by gunicorn, as a
developer's terminal has it (no project variable set). Shared by the tests that need real
processes (tests/test_dev_defaults.py, tests/test_worker_process.py): seeding takes a while."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Tests that start their own SQLite site run once per CI run, in the SQLite run.
only_in_the_sqlite_run = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite defaults: tested in the SQLite run"
)

SETUP_WRITER = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from recommendations.choices import Role
from recommendations.models import Implementation
user = User.objects.create_user("writer", "writer@example.org", "x", is_staff=True)
user.groups.add(Group.objects.get_or_create(name=Role.EDITOR.value)[0])
# Editors need a second factor; an API token of an account without one is refused.
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.create(user=user, name="writer", confirmed=True)
implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
print("TOKEN", Token.objects.create(user=user).key, implementation.pk)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def development_environment(database: Path) -> dict:
    # What a developer's terminal has: none of the project's variables, a SQLite file.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return env


def manage(*args, env, timeout=300):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class Site:
    def __init__(self, url, env, token, implementation_id):
        self.url, self.env, self.token, self.implementation_id = url, env, token, implementation_id

    def request(self, method, path, *, body=None, headers=None):
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json", **(headers or {})}
        if body is not None:
            headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, method=method, headers=headers, data=data)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def page(self, path):
        """An anonymous visitor's page, and whether it came from the cache."""
        with urllib.request.urlopen(self.url + path, timeout=60) as response:
            return response.read().decode(), response.headers.get("X-Cache")


def serve_sqlite_site(tmp_path_factory):
    """A seeded SQLite file served by gunicorn: 2 worker processes of 4 threads each."""
    folder = tmp_path_factory.mktemp("devsite")
    env = development_environment(folder / "db.sqlite3")
    env["MEDIA_ROOT"] = str(folder / "media")
    manage("migrate", "--no-input", env=env)
    manage("seed", env=env)
    token, implementation_id = re.search(r"TOKEN (\w+) (\d+)", manage("shell", "-c", SETUP_WRITER, env=env)).groups()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gcmtracker.wsgi", f"--bind=127.0.0.1:{port}"]
        + ["--workers=2", "--threads=4", "--timeout=120", "--log-level=warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start: " + (server.stderr.read() if server.stderr else ""))
            time.sleep(0.3)
    try:
        yield Site(url, env, token, int(implementation_id))
    finally:
        server.terminate()
        server.wait(timeout=30)
