"""Production settings pass Django's deployment checks with nothing to report."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_environment(**extra):
    # A clean environment: the test run's own (DJANGO_ALLOW_ASYNC_UNSAFE set by browser tests,
    # a developer's REDIS_URL or CACHE_SECONDS) is not what production has.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "DATABASE_URL") if key in os.environ}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        **extra,
    )
    return env


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_check_deploy_passes_with_the_scale_out_settings_too():
    env = production_environment(
        REDIS_URL="redis://127.0.0.1:6379/0",
        REPLICA_DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/gcm-replica.sqlite3"),
        AWS_STORAGE_BUCKET_NAME="gcm-evidence",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_production_refuses_to_start_without_a_secret_key():
    env = production_environment()
    del env["SECRET_KEY"]

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_evidence_goes_to_a_private_bucket_when_one_is_named():
    env = production_environment(AWS_STORAGE_BUCKET_NAME="gcm-evidence", AWS_S3_REGION_NAME="eu-west-1")
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages;"
        "s = storages['default'];"
        "print(type(s).__name__, s.bucket_name, s.default_acl, s.querystring_auth)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "gcmtracker.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "gcm-evidence", "private", "True"]


def test_check_deploy_warns_when_pages_are_cached_in_one_process_only():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment(CACHE_SECONDS="300"))

    assert result.returncode != 0
    assert "gcmtracker.W001" in result.stderr
