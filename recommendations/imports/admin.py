"""The bulk import page of the admin: upload, preview (a dry run), apply, each as a background task.

An upload becomes an ImportJob (gcmtracker/models.py) holding the file; a worker runs it
(imports/tasks.py) while the job's page shows a progress bar (rows checked of the total,
refreshed by static/js/import-progress.js, or by reloading the page without JavaScript), then
the report: the counts, every row error (all of them in the CSV download), the first changes.
"Apply" queues a second job from the same file, which checks everything again (the data may have
changed since the preview) and writes it all in one transaction or nothing. A job whose worker
failed or died can be retried. All checking and writing is `imports.run_import`, as for the
`import_data` command.
"""

import csv
import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from gcmtracker.models import ImportJob

from .. import imports as importer
from ..downloads import csv_cell
from .forms import ImportForm
from .tasks import queue_import

SHOWN_ROWS = 200
# A running job that has not moved for this long lost its worker: it may be queued again.
STALLED_AFTER = datetime.timedelta(minutes=5)


def _job(request, token) -> ImportJob | None:
    """The job with this id, if it is this user's."""
    if not str(token).isdigit():
        return None
    return ImportJob.objects.filter(pk=int(token), user=request.user).first()


def _stalled(job: ImportJob) -> bool:
    return job.state == ImportJob.State.RUNNING and timezone.now() - job.updated_at > STALLED_AFTER


class _Report:
    """The stored report, shaped like imports.ImportReport for the template."""

    def __init__(self, job: ImportJob):
        self.filename = job.filename
        self.errors = [importer.RowError(*error) for error in job.errors]
        self.changes = [importer.RowChange(*change) for change in job.changes]
        self.ok = job.ok


class ImportAdminMixin:
    """Adds the import page (its jobs, and the error and template downloads) to a ModelAdmin's URLs."""

    change_list_template = "admin/import/implementation_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="recommendations_import"),
            path("import/<int:job_id>/", view(self.import_job_view), name="recommendations_import_job"),
            path(
                "import/<int:job_id>/progress/", view(self.import_progress_view), name="recommendations_import_progress"
            ),
            path("import/errors/<str:token>/", view(self.import_errors_view), name="recommendations_import_errors"),
            path(
                "import/template/<str:kind>/", view(self.import_template_view), name="recommendations_import_template"
            ),
            *super().get_urls(),
        ]

    def _kinds(self, request):
        kinds = importer.importable_kinds(request.user)
        if not kinds:
            raise PermissionDenied
        return kinds

    def _render(self, request, template, context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "columns": [(kind, importer.COLUMNS[kind]) for kind in self._kinds(request) if kind in importer.COLUMNS],
            "max_bytes": settings.IMPORT_MAX_BYTES,
            **context,
        }
        return TemplateResponse(request, template, context)

    def import_view(self, request):
        kinds = self._kinds(request)
        if request.method == "POST" and "token" in request.POST:
            return self._apply(request, request.POST["token"])
        form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
        if not form.is_valid():
            return self._render(request, "admin/import/form.html", {"title": _("Import data"), "form": form})
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            user=request.user, kind=form.cleaned_data["kind"], filename=upload.name[-255:], data=upload.read()
        )
        queue_import(job)
        return redirect("admin:recommendations_import_job", job.pk)

    def import_job_view(self, request, job_id):
        self._kinds(request)
        job = _job(request, job_id)
        if job is None:
            raise Http404(_("That import does not exist or is not yours."))
        if request.method == "POST" and "retry" in request.POST:
            if job.state == ImportJob.State.FAILED or _stalled(job):
                queue_import(job)
            return redirect("admin:recommendations_import_job", job.pk)
        report = _Report(job)
        counts = {action: job.counts.get(action, 0) for action in importer.Action.values}
        preview = job.mode == ImportJob.Mode.PREVIEW
        context = {
            "title": (_("Preview of %(file)s") if preview else _("Import of %(file)s")) % {"file": job.filename},
            "job": job,
            "report": report,
            "kind_label": importer.Kind(job.kind).label if job.kind in importer.Kind.values else job.kind,
            "counts": counts,
            "token": job.pk,
            "errors": report.errors[:SHOWN_ROWS],
            "changes": report.changes[:SHOWN_ROWS],
            "shown_rows": SHOWN_ROWS,
            "can_apply": preview and job.ok and bool(counts["create"] or counts["update"]),
            "can_retry": job.state == ImportJob.State.FAILED or _stalled(job),
            "progress_url": reverse("admin:recommendations_import_progress", args=[job.pk]),
            "outcome": _outcome(job) if job.applied else "",
        }
        return self._render(request, "admin/import/job.html", context)

    def import_progress_view(self, request, job_id):
        self._kinds(request)
        job = _job(request, job_id)
        if job is None:
            raise Http404
        response = JsonResponse(
            {
                "state": job.state,
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
                "percent": job.percent,
                "finished": job.finished,
            }
        )
        add_never_cache_headers(response)
        return response

    def _apply(self, request, token):
        preview = _job(request, token)
        if preview is None or preview.mode != ImportJob.Mode.PREVIEW or not preview.ok:
            messages.error(request, _("That upload has expired or is not yours. Upload the file again."))
            return redirect("admin:recommendations_import")
        job = ImportJob.objects.create(
            user=request.user,
            kind=preview.kind,
            filename=preview.filename,
            data=preview.data,
            mode=ImportJob.Mode.APPLY,
            preview=preview,
        )
        queue_import(job)
        job.refresh_from_db()
        if job.state == ImportJob.State.DONE and job.applied:
            messages.success(request, _outcome(job))
        return redirect("admin:recommendations_import_job", job.pk)

    def import_errors_view(self, request, token):
        self._kinds(request)
        job = _job(request, token)
        if job is None:
            raise Http404(_("That upload has expired."))
        rows = importer.error_rows(importer.RowError(*error) for error in job.errors)
        return _csv_response(f"import-errors-{job.filename}", rows)

    def import_template_view(self, request, kind):
        if kind not in importer.COLUMNS or kind not in self._kinds(request):
            raise Http404
        return _csv_response(kind, importer.template_rows(kind))


def _outcome(job: ImportJob) -> str:
    counts = {action: job.counts.get(action, 0) for action in importer.Action.values}
    return _("Imported %(file)s: %(create)d created, %(update)d updated, %(unchanged)d unchanged.") % {
        "file": job.filename,
        **counts,
    }


def _csv_response(name: str, rows) -> HttpResponse:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).removesuffix(".csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response
