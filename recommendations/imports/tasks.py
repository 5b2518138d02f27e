"""Imports as background tasks: the admin page queues a job (gcmtracker.models.ImportJob), a
worker runs it, and the page follows its progress and then shows its report.

Progress is written to the job row as rows are checked, each update in its own short
transaction, so any process sees it. Writing is `run_import`'s one transaction: a worker killed
mid-import leaves nothing written, and the job, left "running", can be queued again (retried)
from the page, which runs the whole import again from the stored file.
"""

import logging

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from gcmtracker.logs import log_context
from gcmtracker.models import SHOWN_CHANGES, ImportJob

from . import run_import

logger = logging.getLogger("recommendations.imports")


def queue_import(job: ImportJob) -> None:
    """Queue the job for a worker (tests run it at once)."""
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.QUEUED, rows_done=0, failure="")
    run_import_job.enqueue(job_id=job.pk)


@task()
def run_import_job(*, job_id: int) -> str:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.state == ImportJob.State.DONE:
        return job.state  # queued twice: it ran already
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, rows_done=0, failure=""
    )

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total, updated_at=timezone.now())

    with log_context(door="import", user_id=str(job.user_id)):
        try:
            report = run_import(
                kind=job.kind,
                filename=job.filename,
                data=bytes(job.data),
                user=job.user,
                apply=job.mode == ImportJob.Mode.APPLY,
                progress=progress,
            )
        except Exception as error:
            logger.exception("import stopped", extra={"job": job.pk, "file": job.filename})
            ImportJob.objects.filter(pk=job.pk).update(
                state=ImportJob.State.FAILED, failure=f"{type(error).__name__}: {error}", finished_at=timezone.now()
            )
            return ImportJob.State.FAILED
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.DONE,
        counts=report.counts,
        errors=[[error.row, error.field, error.message] for error in report.errors],
        changes=[[change.row, change.action, change.label] for change in report.changes[:SHOWN_CHANGES]],
        applied=report.applied,
        finished_at=timezone.now(),
    )
    return ImportJob.State.DONE
