"""The deployment kit, as far as this machine can build it (no docker here): the compose file
and the Dockerfile are consistent with the project, gunicorn's config loads from the
environment, and /readyz names each component that fails."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache
from django.core.management import get_commands
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import OperationalError

import dev
from gcmtracker import health
from gcmtracker.worker import HEARTBEAT_KEY, beat

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_the_app_the_worker_postgresql_and_redis(compose):
    services = compose["services"]

    assert {"app", "worker", "db", "redis", "migrate", "scheduler"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("app", "worker", "migrate", "scheduler"):
        assert services[name]["build"] == "."
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DEBUG"] == "false"
    assert services["worker"]["command"] == ["python", "manage.py", "run_worker"]


def test_compose_refers_only_to_services_and_volumes_it_defines(compose):
    services, volumes = compose["services"], set(compose["volumes"])
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on an unknown service {dependency}"
            assert condition["condition"] in {"service_healthy", "service_completed_successfully", "service_started"}
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no healthcheck to wait for"
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in volumes, f"{name} mounts an undeclared volume {volume}"


def test_compose_commands_are_this_projects_management_commands(compose):
    commands = get_commands()
    for service in compose["services"].values():
        command = " ".join(service.get("command", []))
        for name in re.findall(r"manage\.py (\w+)", command):
            assert name in commands, f"compose runs an unknown command: manage.py {name}"


def test_every_service_has_a_healthcheck_that_fits_what_it_runs(compose):
    services = compose["services"]

    assert services["db"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    # The app is probed on its liveness view, on the port gunicorn listens on.
    probe = " ".join(services["app"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in probe and services["app"]["ports"] == ["8000:8000"]
    # The others run no web server: the image's HTTP probe would call them unhealthy for ever.
    for name in ("worker", "scheduler", "migrate"):
        assert services[name]["healthcheck"] == {"disable": True}, name
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "http://127.0.0.1:8000/healthz" in dockerfile.split("HEALTHCHECK", 1)[1]


def test_every_setting_compose_passes_is_one_the_project_reads(compose):
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "README.md").read_text()))
    documented |= set(re.findall(r"^([A-Z][A-Z0-9_]+)\s", (ROOT / "gunicorn.conf.py").read_text(), flags=re.MULTILINE))
    for name, service in compose["services"].items():
        if service.get("build") != ".":
            continue
        environment = service["environment"]
        assert set(environment) - documented == set(), f"{name} passes settings the project does not read"
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), "compose must refuse to start without a key"
        assert environment["DEBUG"] == "false"


def test_the_dockerfile_installs_from_the_lock_and_runs_as_a_user():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "COPY pyproject.toml uv.lock ./" in dockerfile
    assert re.findall(r"uv sync --locked", dockerfile)
    assert f"UV_VERSION={dev.UV_VERSION}" in dockerfile  # the same uv as dev.py
    assert "collectstatic --no-input" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    runtime = dockerfile.split("\nFROM ")[-1]  # the image that runs: built files copied in, then the user
    assert runtime.index("COPY --from=build /app /app") < runtime.index(f"USER {users[-1]}") < runtime.index("CMD ")
    assert "--uid 10001" in runtime and f"{users[-1]}:{users[-1]} /app/media" in runtime  # only media is theirs
    assert (ROOT / ".dockerignore").read_text().split().count(".venv") == 1


def _gunicorn(*args, **environment):
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", *args, "--config", "gunicorn.conf.py", "gcmtracker.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_config_loads_and_takes_workers_and_timeouts_from_the_environment():
    result = _gunicorn(
        "--print-config",
        GUNICORN_WORKERS="3",
        GUNICORN_TIMEOUT="45",
        GUNICORN_GRACEFUL_TIMEOUT="20",
        GUNICORN_THREADS="4",
        GUNICORN_MAX_REQUESTS="1000",
        PORT="8123",
    )

    assert result.returncode == 0, result.stderr
    config = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, flags=re.MULTILINE))
    assert config["workers"] == "3"
    assert config["timeout"] == "45"
    assert config["graceful_timeout"] == "20"
    assert config["threads"] == "4"
    assert (config["max_requests"], config["max_requests_jitter"]) == ("1000", "100")
    assert config["bind"] == "['0.0.0.0:8123']"
    assert config["preload_app"] == "True"


def test_gunicorn_config_defaults_without_the_environment():
    result = _gunicorn("--print-config")

    assert result.returncode == 0, result.stderr
    config = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, flags=re.MULTILINE))
    assert config["workers"] == str(2 * os.cpu_count() + 1)
    assert (config["timeout"], config["bind"]) == ("30", "['0.0.0.0:8000']")


def test_gunicorn_config_refuses_a_worker_count_that_is_not_a_number():
    result = _gunicorn("--check-config", GUNICORN_WORKERS="four")

    assert result.returncode != 0
    assert "GUNICORN_WORKERS='four' is not a whole number" in result.stdout + result.stderr


# /readyz


@pytest.fixture
def worker_alive(db):
    beat("test-worker")


def _readyz(client):
    response = client.get("/readyz")
    return response.status_code, response.json()


def test_readyz_answers_200_when_every_component_works(client, worker_alive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    status, body = _readyz(client)

    assert status == 200, body
    assert body == {"ready": True, "checks": {name: {"ok": True} for name in health.READINESS_CHECKS}}
    assert list(tmp_path.rglob("*.txt")) == []  # the storage probe cleans up after itself


def _failed(body) -> dict:
    return {name: check["error"] for name, check in body["checks"].items() if not check["ok"]}


def test_readyz_names_a_database_that_does_not_answer(client, worker_alive, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refuse)
        status, body = _readyz(client)

    assert status == 503
    assert set(_failed(body)) >= {"database"}
    assert "connection refused" in _failed(body)["database"]


def test_readyz_names_a_cache_that_does_not_answer(client, worker_alive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # A real Redis client against a port where nothing listens.
    settings.CACHES = {
        "default": {
            "BACKEND": "gcmtracker.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }

    status, body = _readyz(client)

    assert status == 503
    assert set(_failed(body)) == {"cache", "worker"}  # the heartbeat lives in the cache, too


def test_readyz_names_storage_that_cannot_be_written(client, worker_alive, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"

    status, body = _readyz(client)

    assert status == 503
    assert set(_failed(body)) == {"storage"}


def test_readyz_names_migrations_not_applied(client, worker_alive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    latest = MigrationRecorder.Migration.objects.filter(app="recommendations").latest("id")
    latest.delete()  # as if the new code were deployed before `migrate` ran (rolled back after the test)

    status, body = _readyz(client)

    assert status == 503
    assert set(_failed(body)) == {"migrations"}
    assert f"recommendations.{latest.name}" in _failed(body)["migrations"]


def test_readyz_names_a_missing_or_silent_worker(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    status, body = _readyz(client)
    assert status == 503
    assert _failed(body) == {"worker": "no task worker has reported (manage.py run_worker)"}

    cache.set(HEARTBEAT_KEY, {"at": time.time() - 3600, "worker": "gone"})
    status, body = _readyz(client)
    assert status == 503
    assert _failed(body) == {"worker": "the last task worker heartbeat is 3600 s old"}


def test_readyz_is_never_served_from_the_public_cache(client, worker_alive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CACHE_SECONDS = 300

    first, second = client.get("/readyz"), client.get("/readyz")

    assert "no-cache" in first["Cache-Control"]
    assert second.get("X-Cache") != "hit"


def test_healthz_stays_liveness_only(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"
