"""gunicorn's master warms the app before it forks the workers (`gcmtracker.warmup`, issue 18):
templates compiled, every language's translations and URL maps loaded, and no database or cache
connection opened, since forked processes must not share one."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.template import engines
from django.utils import translation
from django.utils.translation import trans_real

from gcmtracker.warmup import warm_up

ROOT = Path(__file__).resolve().parent.parent


def test_warm_up_compiles_the_templates_and_loads_every_language_without_touching_the_database(settings):
    # No `db` fixture: any query would fail the test (pytest-django blocks database access).
    trans_real._translations.clear()
    loader = engines["django"].engine.template_loaders[0]  # the cached loader, DEBUG or not (Django 4.1+)
    loader.reset()
    warmed = warm_up()
    assert warmed["templates"] >= 50 and warmed["languages"] == len(settings.LANGUAGES)
    assert {code for code, _name in settings.LANGUAGES} <= set(trans_real._translations)
    with translation.override("ar"):
        assert translation.gettext("Commitments") != "Commitments"
    assert any("state_detail.html" in str(key) for key in loader.get_template_cache)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_warms_up_once_before_forking_and_serves(tmp_path):
    port = _free_port()
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DEBUG="false",
        SECRET_KEY="warm-up-test-" + "x" * 40,
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_WORKERS="2",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "info", "gcmtracker.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGTERM)
        _out, log = server.communicate(timeout=30)
    assert log.count("warmed up before forking") == 1, log
    assert log.count("Booting worker") == 2, log
