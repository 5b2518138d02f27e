"""Production settings pass Django's deployment checks with nothing to report."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

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


def test_production_without_redis_caches_pages_in_the_database_every_process_shares():
    # There is no per-process cache left to warn about (gcmtracker.W001): without REDIS_URL the
    # cache is a table in the database, shared by every worker, the task worker and commands.
    env = production_environment(CACHE_SECONDS="300")
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    backend = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])", env=env
    )

    assert result.returncode == 0, result.stderr
    assert backend.stdout.split()[-1] == "django.core.cache.backends.db.DatabaseCache"


def test_a_boolean_setting_that_does_not_parse_stops_start_up_with_its_name():
    # django-environ alone read "ture" as False: the HTTPS redirect went off without a word.
    result = run_manage("check", env=production_environment(SECURE_SSL_REDIRECT="ture"))

    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT='ture' is not a valid bool" in result.stderr
    assert "expected true or false" in result.stderr


def test_a_number_setting_that_does_not_parse_stops_start_up_with_its_name():
    result = run_manage("check", env=production_environment(CONN_MAX_AGE="ten minutes"))

    assert result.returncode != 0
    assert "CONN_MAX_AGE='ten minutes' is not a valid int" in result.stderr


def test_booleans_accept_the_usual_words_in_any_case():
    from gcmtracker.environment import StrictEnv

    env = StrictEnv()
    env.ENVIRON = {"A": "Yes", "B": "off", "C": "1", "D": " FALSE ", "E": "maybe"}

    assert [env.bool(name) for name in "ABCD"] == [True, False, True, False]
    assert env.bool("UNSET", default=True) is True
    with pytest.raises(ImproperlyConfigured, match="E='maybe' is not a valid bool"):
        env.bool("E")


ADMINS_REPORT = """
import json, logging
from django.conf import settings
from django.core import mail
logging.getLogger("django.request").error("Internal Server Error: /broken/", extra={"status_code": 500})
print(json.dumps({"admins": settings.ADMINS, "mailed": [message.to for message in mail.outbox],
                  "subject": [message.subject for message in mail.outbox]}))
"""


def test_admins_from_the_environment_get_an_email_for_each_server_error():
    import json

    env = production_environment(ADMINS="Jane Doe <jane@example.org>, ops@example.org", EMAIL_URL="memorymail://")

    result = run_manage("shell", "-c", ADMINS_REPORT, env=env)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["admins"] == [["Jane Doe", "jane@example.org"], ["", "ops@example.org"]]
    assert report["mailed"] == [["jane@example.org", "ops@example.org"]]
    assert "Internal Server Error: /broken/" in report["subject"][0]


def test_sentry_is_used_only_with_a_dsn_and_says_what_is_missing():
    import importlib.util

    env = production_environment(SENTRY_DSN="https://public@sentry.example.org/1")

    if importlib.util.find_spec("sentry_sdk") is None:  # the test install has no `sentry` extra
        result = run_manage("check", env=env)
        assert result.returncode != 0
        assert "SENTRY_DSN is set, but sentry-sdk is not installed: uv sync --locked --extra sentry." in result.stderr
    else:
        result = run_manage("shell", "-c", "import sentry_sdk; print(sentry_sdk.get_client().dsn)", env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().endswith("https://public@sentry.example.org/1")
    # Without a DSN nothing is set up, installed or not.
    assert run_manage("check", env=production_environment()).returncode == 0
