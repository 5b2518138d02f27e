"""Logs: every record carries the request id, the user and the door; each write, refused write,
stale edit, login lock-out and email failure leaves one line; production writes JSON lines."""

import io
import json
import logging
import smtplib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gcmtracker.logs import ContextFilter, JsonFormatter, TextFormatter, log_context
from recommendations import services
from recommendations.choices import Status
from recommendations.models import Implementation

API = "/api/v1"
PROGRESS = {"track": "reported", "status": "in_progress", "comment": "Bill tabled in parliament."}


@pytest.fixture
def log_lines():
    """The JSON lines production would write, as dicts, from every logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous_level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous_level)


def _token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _france_3():
    return Implementation.objects.get(state__iso2="FR", commitment__number=3)


def _lines(log_lines, message):
    return [line for line in log_lines() if line["message"] == message]


def test_every_response_carries_a_request_id_of_its_own(client):
    first, second = client.get("/healthz"), client.get("/healthz")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_proxys_request_id_is_kept_when_it_is_plain_and_replaced_when_not(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a9c01")["X-Request-ID"] == "lb-4f2a9c01"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" level="ERROR\n')["X-Request-ID"]
    assert forged != 'x" level="ERROR\n' and len(forged) == 32


def test_an_api_status_write_logs_one_line_with_request_user_and_door(focal_point_france, log_lines):
    implementation = _france_3()
    api = _token_client(focal_point_france)
    etag = api.get(f"{API}/implementations/{implementation.pk}/")["ETag"]

    url = f"{API}/implementations/{implementation.pk}/status/"
    response = api.post(url, PROGRESS, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 201
    [line] = _lines(log_lines, "status set")
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == str(focal_point_france.pk)
    assert line["door"] == "api"
    assert line["level"] == "INFO" and line["logger"] == "recommendations.services"
    assert (line["implementation"], line["status"], line["version"]) == (implementation.pk, "in_progress", 2)


def test_a_stale_edit_logs_one_line_with_both_versions(focal_point_france, log_lines):
    implementation = _france_3()
    api = _token_client(focal_point_france)
    url = f"{API}/implementations/{implementation.pk}/status/"
    stale = api.get(f"{API}/implementations/{implementation.pk}/")["ETag"]
    assert api.post(url, PROGRESS, format="json", HTTP_IF_MATCH=stale).status_code == 201

    response = api.post(url, {**PROGRESS, "status": "planned"}, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    [line] = _lines(log_lines, "stale edit refused")
    assert line["level"] == "WARNING"
    assert (line["expected_version"], line["current_version"]) == (1, 2)
    assert line["request_id"] == response["X-Request-ID"]


def test_a_refused_write_logs_one_line(focal_point_france, log_lines):
    kenyan = Implementation.objects.get(state__iso2="KE", commitment__number=3)

    with pytest.raises(PermissionDenied):
        services.implementation_set_status(
            implementation=kenyan, status=Status.PLANNED, actor=focal_point_france, comment="Not mine."
        )

    [line] = [line for line in log_lines() if line["message"].startswith("write refused:")]
    assert "Kenya" in line["message"]
    assert line["door"] == "command"  # no request: a shell or a management command


def test_a_login_lockout_logs_one_line_without_the_password(client, settings, focal_point_france, log_lines):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        client.post(reverse("login"), {"username": focal_point_france.username, "password": "wrong-guess-7"})

    [line] = _lines(log_lines, "login locked out")
    assert line["username"] == focal_point_france.username
    assert line["door"] == "page"
    assert "wrong-guess-7" not in json.dumps(log_lines())


def test_text_lines_for_development_carry_the_same_context():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "status set", None, None)
    with log_context(door="import", request_id="abc12345", user_id="7"):
        ContextFilter().filter(record)
    line = TextFormatter().format(record)

    assert line.endswith("x: status set  [import req=abc12345 user=7]")


def test_the_json_formatter_writes_the_exception_and_any_extra_field():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info())
    record.implementation = 12
    ContextFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))

    assert entry["message"] == "failed here" and entry["implementation"] == 12
    assert "ValueError: boom" in entry["exception"]
    assert (entry["door"], entry["request_id"], entry["user_id"]) == ("command", "-", "-")


# Emails: queued, retried, logged; never a 500


class RefusingSMTP:
    """An email backend whose server refuses the first `failures` messages."""

    failures = 0
    attempts = 0

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        RefusingSMTP.attempts += 1
        if RefusingSMTP.attempts <= RefusingSMTP.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        from django.core import mail

        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def refusing_smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSMTP"
    RefusingSMTP.attempts = 0
    return RefusingSMTP


def test_an_smtp_failure_is_retried_and_logged_and_the_email_goes_out(
    editor, focal_point_france, refusing_smtp, settings, log_lines, django_capture_on_commit_callbacks
):
    from django.core import mail

    refusing_smtp.failures = 2
    implementation = _france_3()
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_assign(implementation=implementation, actor=editor, owner=focal_point_france)

    retries = _lines(log_lines, "email failed, trying again in 0:01:00: Connection unexpectedly closed")
    retries += _lines(log_lines, "email failed, trying again in 0:02:00: Connection unexpectedly closed")
    assert [(line["attempt"], line["kind"], line["door"]) for line in retries] == [
        (1, "assignment", "task"),
        (2, "assignment", "task"),
    ]
    [sent] = _lines(log_lines, "email sent")
    assert sent["attempt"] == 3
    assert [message.to for message in mail.outbox] == [[focal_point_france.email]]


def test_an_email_that_never_goes_out_is_logged_as_an_error_and_the_change_stands(
    editor, focal_point_france, refusing_smtp, settings, log_lines, django_capture_on_commit_callbacks
):
    refusing_smtp.failures = 99
    settings.EMAIL_MAX_ATTEMPTS = 3
    implementation = _france_3()
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_assign(implementation=implementation, actor=editor, owner=focal_point_france)

    assert refusing_smtp.attempts == 3
    [failure] = [line for line in log_lines() if line["message"].startswith("email failed, giving up")]
    assert failure["level"] == "ERROR" and failure["to"] == [focal_point_france.email]
    implementation.refresh_from_db()
    assert implementation.owner == focal_point_france


def test_queued_inside_a_transaction_that_rolls_back_no_email_is_queued(db, settings):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from gcmtracker.mail import queue_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(subject="Never", body="Rolled back.", to=["a@example.org"], kind="test")
        raise RuntimeError("the change failed")
    queue_email(subject="Kept", body="Committed.", to=["a@example.org"], kind="test")

    assert [row.args_kwargs["kwargs"]["subject"] for row in DBTaskResult.objects.all()] == ["Kept"]


def test_scheduled_jobs_all_run_and_a_failing_one_is_logged_without_stopping_the_others(db, monkeypatch, log_lines):
    from django.core.management.base import CommandError

    from gcmtracker.management.commands import run_scheduled

    def broken():
        raise RuntimeError("the SMTP relay is down")

    monkeypatch.setitem(run_scheduled.JOBS, "digests", broken)
    out = io.StringIO()

    with pytest.raises(CommandError, match="Failed: digests"):
        call_command("run_scheduled", stdout=out)

    done = [line.split(":")[0] for line in out.getvalue().splitlines()]
    assert done == ["round-reminders", "sessions", "login-attempts", "task-results"]
    [failure] = _lines(log_lines, "scheduled job failed: digests")
    assert "the SMTP relay is down" in failure["exception"]
    assert failure["job"] == "digests"


def test_run_scheduled_queues_the_digests(db, editor, focal_point_france, settings):
    import datetime

    from django.core import mail

    implementation = _france_3()
    services.implementation_assign(
        implementation=implementation,
        actor=editor,
        owner=focal_point_france,
        due_date=datetime.date(2020, 1, 1),
        notify=False,
    )
    out = io.StringIO()
    call_command("run_scheduled", "--only", "digests", stdout=out)

    assert out.getvalue().strip() == "digests: 1 digest(s) queued"
    assert [message.to for message in mail.outbox] == [[focal_point_france.email]]


def test_django_lines_are_written_once_through_our_handler():
    """Django's DEFAULT_LOGGING hangs its own console and mail handlers on its loggers; the LOGGING
    setting takes them off, so a line of Django's is written once, with the request context."""
    import logging

    for name in ("django", "django.server"):
        assert logging.getLogger(name).handlers == [], name
        assert logging.getLogger(name).propagate, name
    assert logging.getLogger("django.request").handlers == []  # ADMINS unset: no mail handler here


@pytest.mark.parametrize("door", ["page", "api"])
def test_an_smtp_failure_never_turns_a_saved_assignment_into_a_server_error(
    client, editor, focal_point_france, refusing_smtp, settings, log_lines, door, django_capture_on_commit_callbacks
):
    """The worst case: the suite's tasks run at once, inside the request's on_commit, and the mail
    server refuses every try. The door still answers as for a saved change, and the failure is logged."""
    refusing_smtp.failures = 99
    settings.EMAIL_MAX_ATTEMPTS = 2
    implementation = _france_3()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        if door == "page":
            response = client.post(
                reverse("staff:implementation-assign", args=[implementation.pk]),
                {"version": implementation.version, "owner": focal_point_france.pk, "position": "supported"},
            )
        else:
            response = client.patch(
                f"/api/v1/implementations/{implementation.pk}/",
                {"version": implementation.version, "owner": focal_point_france.pk},
                content_type="application/json",
            )

    assert response.status_code == (302 if door == "page" else 200), response.content[:300]
    implementation.refresh_from_db()
    assert implementation.owner == focal_point_france
    assert refusing_smtp.attempts == 2
    messages = [line["message"] for line in log_lines() if line["logger"] == "gcmtracker.mail"]
    assert any(message.startswith("email failed, trying again") for message in messages), messages
    assert any(message.startswith("email failed, giving up") for message in messages), messages


def test_each_import_logs_one_line_with_its_outcome_and_counts(editor, log_lines):
    from recommendations.imports import Kind, run_import
    from tests.test_import import STATUS_HEADER, csv_bytes, status_row

    good = csv_bytes(STATUS_HEADER, [status_row(state="FR"), status_row(state="KE")])
    bad = csv_bytes(STATUS_HEADER, [status_row(state="ZZ")])
    run_import(kind=Kind.STATUS_UPDATES, filename="good.csv", data=good, user=editor)
    run_import(kind=Kind.STATUS_UPDATES, filename="good.csv", data=good, user=editor, apply=True)
    run_import(kind=Kind.STATUS_UPDATES, filename="bad.csv", data=bad, user=editor, apply=True)

    lines = [line for line in log_lines() if line["message"].startswith("import ")]
    assert [(line["message"], line["file"], line["apply"], line["errors"]) for line in lines] == [
        ("import checked", "good.csv", False, 0),
        ("import applied", "good.csv", True, 0),
        ("import refused", "bad.csv", True, 1),
    ]
    assert lines[1]["create"] == 2
