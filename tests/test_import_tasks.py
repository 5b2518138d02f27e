"""Imports as background tasks: the job page's progress bar (with and without JavaScript), the
stored report, a worker that dies mid-import (nothing written, and the job can be retried), and
one email per new owner."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from gcmtracker.models import ImportJob
from recommendations.imports import run_import
from recommendations.imports import tasks as import_tasks
from recommendations.models import Implementation, StatusUpdate
from tests.factories import UserFactory
from tests.test_import import STATUS_HEADER, csv_bytes, status_row

pytestmark = pytest.mark.django_db
IMPORT_URL = "/admin/recommendations/implementation/import/"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def _upload(client, data, kind="status_updates", name="updates.csv"):
    return client.post(IMPORT_URL, {"kind": kind, "file": SimpleUploadedFile(name, data, "text/csv")})


def test_an_upload_is_queued_and_its_page_shows_a_progress_bar_that_needs_no_inline_script(
    client, administrator, settings
):
    settings.TASKS = DATABASE_QUEUE  # queued for a worker, not run at once
    client.force_login(administrator)

    response = _upload(client, csv_bytes(STATUS_HEADER, [status_row()]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
    page = client.get(response["Location"])
    html = page.content.decode()

    assert job.state == ImportJob.State.QUEUED and not StatusUpdate.objects.filter(comment="Bill tabled.").exists()
    assert '<progress id="import-progress-bar" max="100" value="0">' in html
    assert "Waiting for a worker." in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html  # reloads without JavaScript
    assert re.search(r'<script src="[^"]*js/import-progress\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script (CSP)"
    progress = client.get(reverse("admin:recommendations_import_progress", args=[job.pk])).json()
    assert progress == {"state": "queued", "rows_done": 0, "rows_total": 0, "percent": 0, "finished": False}


def test_progress_is_recorded_as_rows_are_checked(administrator):
    rows = [status_row(state=state, date=f"2020-01-{day:02d}") for state in ("FR", "KE") for day in range(1, 29)]
    told = []

    run_import(
        kind="status_updates",
        filename="many.csv",
        data=csv_bytes(STATUS_HEADER, rows),
        user=administrator,
        progress=lambda done, total: told.append((done, total)),
    )

    assert told and told[-1] == (56, 56)
    assert [done for done, _total in told] == sorted(done for done, _total in told)


def test_the_finished_job_keeps_its_report_with_every_error(client, administrator):
    client.force_login(administrator)
    bad = [status_row(state="ZZ", date=f"2020-02-{day:02d}") for day in range(1, 29)] * 9  # 252 errors

    page = client.get(_upload(client, csv_bytes(STATUS_HEADER, bad))["Location"])
    job = ImportJob.objects.get()

    assert job.state == ImportJob.State.DONE and not job.applied
    assert len(job.errors) == 252
    assert len(page.context["errors"]) == 200  # the page shows the first; the CSV has them all
    errors_csv = client.get(reverse("admin:recommendations_import_errors", args=[job.pk]))
    assert len(errors_csv.content.decode("utf-8-sig").splitlines()) == len(job.errors) + 1


def test_a_worker_that_dies_mid_import_writes_nothing_and_the_job_can_be_retried(client, administrator, monkeypatch):
    client.force_login(administrator)
    preview = client.get(_upload(client, csv_bytes(STATUS_HEADER, [status_row(), status_row(state="KE")]))["Location"])
    assert preview.context["can_apply"]
    before = StatusUpdate.objects.count()

    # The worker is killed after the history rows were inserted, before the current statuses.
    from recommendations.services import bulk

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(bulk, "_save_current_status", killed)
    client.post(IMPORT_URL, {"token": preview.context["token"], "apply": "Apply"})
    job = ImportJob.objects.get(mode=ImportJob.Mode.APPLY)
    assert job.state == ImportJob.State.RUNNING  # as a killed worker leaves it
    assert StatusUpdate.objects.count() == before  # one transaction: nothing half-written

    page = client.get(reverse("admin:recommendations_import_job", args=[job.pk]))
    assert not page.context["can_retry"]  # still within the time a live worker might take
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=10))
    page = client.get(reverse("admin:recommendations_import_job", args=[job.pk]))
    assert page.context["can_retry"]
    assert b"its worker may have stopped. Nothing was written." in page.content

    monkeypatch.undo()
    client.post(reverse("admin:recommendations_import_job", args=[job.pk]), {"retry": "Retry"})
    job.refresh_from_db()
    assert (job.state, job.applied, job.attempts) == (ImportJob.State.DONE, True, 2)
    assert StatusUpdate.objects.count() == before + 2


def test_an_import_that_fails_shows_why_and_offers_a_retry(client, administrator, monkeypatch):
    client.force_login(administrator)

    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(import_tasks, "run_import", broken)
    page = client.get(_upload(client, csv_bytes(STATUS_HEADER, [status_row()]))["Location"])

    assert page.context["job"].state == ImportJob.State.FAILED
    assert b"nothing was written: RuntimeError: the disk is full" in page.content
    assert page.context["can_retry"]


def test_jobs_are_private_to_who_uploaded_them(client, administrator, editor):
    client.force_login(editor)
    _upload(client, csv_bytes(STATUS_HEADER, [status_row()]))
    job = ImportJob.objects.get()
    client.force_login(administrator)

    assert client.get(reverse("admin:recommendations_import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("admin:recommendations_import_progress", args=[job.pk])).status_code == 404


def test_an_owner_import_sends_one_email_per_owner_not_per_row(client, administrator, france, kenya):
    first = UserFactory(username="owner_one", role="focal_point", states=[france, kenya])
    second = UserFactory(username="owner_two", role="focal_point", states=[france])
    header = ["state", "commitment", "owner"]
    rows = [["FR", "1", "owner_one"], ["FR", "2", "owner_one"], ["KE", "1", "owner_one"], ["FR", "3", "owner_two"]]
    client.force_login(administrator)
    preview = client.get(_upload(client, csv_bytes(header, rows), kind="implementations")["Location"])
    assert preview.context["can_apply"], preview.context["errors"]

    client.post(IMPORT_URL, {"token": preview.context["token"], "apply": "Apply"})

    assert Implementation.objects.filter(owner=first).count() == 3
    assert sorted(message.to[0] for message in mail.outbox) == [first.email, second.email]
    [to_first] = [message for message in mail.outbox if message.to == [first.email]]
    assert to_first.subject == "[GCM Tracker] 3 items assigned to you"
    assert "You are now the owner of 3 items:" in to_first.body
