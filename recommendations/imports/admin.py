"""The bulk import page of the admin: upload, preview (a dry run), apply.

The uploaded bytes wait between preview and apply in the cache (the shared Redis in
production), under a random token and for the user who uploaded them, so the "Apply" button
works whichever app server answers it. Applying runs the whole check again: the data may have
changed since the preview. All checking and writing is `importer.run_import`, as for the
`import_data` command.
"""

import csv
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from .. import imports as importer
from ..downloads import csv_cell
from .forms import ImportForm

# Long enough to read a preview, short enough not to keep uploads around.
PENDING_SECONDS = 30 * 60
SHOWN_ROWS = 200


def _pending_key(token: str) -> str:
    return f"import:pending:{token}"


def _pending(request, token: str) -> dict | None:
    """The upload waiting under this token, if it is this user's."""
    pending = cache.get(_pending_key(token)) if token else None
    if pending is None or pending["user"] != request.user.pk:
        return None
    return pending


class ImportAdminMixin:
    """Adds the import page (and its error and template downloads) to a ModelAdmin's URLs."""

    change_list_template = "admin/import/implementation_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="recommendations_import"),
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
        pending = {
            "user": request.user.pk,
            "kind": form.cleaned_data["kind"],
            "filename": upload.name,
            "data": upload.read(),
        }
        token = secrets.token_urlsafe(24)
        return self._preview(request, token, pending)

    def _preview(self, request, token, pending):
        report = importer.run_import(
            kind=pending["kind"], filename=pending["filename"], data=pending["data"], user=request.user
        )
        pending["errors"] = [(e.row, e.field, e.message) for e in report.errors]
        cache.set(_pending_key(token), pending, PENDING_SECONDS)
        counts = report.counts
        context = {
            "title": _("Preview of %(file)s") % {"file": report.filename},
            "report": report,
            "kind_label": importer.Kind(pending["kind"]).label,
            "counts": counts,
            "token": token,
            "errors": report.errors[:SHOWN_ROWS],
            "changes": report.changes[:SHOWN_ROWS],
            "shown_rows": SHOWN_ROWS,
            "can_apply": report.ok and (counts["create"] or counts["update"]),
        }
        return self._render(request, "admin/import/preview.html", context)

    def _apply(self, request, token):
        pending = _pending(request, token)
        if pending is None:
            messages.error(request, _("That upload has expired or is not yours. Upload the file again."))
            return redirect("admin:recommendations_import")
        report = importer.run_import(
            kind=pending["kind"], filename=pending["filename"], data=pending["data"], user=request.user, apply=True
        )
        if not report.ok:
            # Something changed since the preview: show what is wrong now, and nothing was written.
            messages.error(request, _("Nothing was imported: the data changed since the preview."))
            return self._preview(request, token, pending)
        cache.delete(_pending_key(token))
        counts = report.counts
        messages.success(
            request,
            _("Imported %(file)s: %(create)d created, %(update)d updated, %(unchanged)d unchanged.")
            % {"file": report.filename, **counts},
        )
        return redirect(reverse("admin:recommendations_implementation_changelist"))

    def import_errors_view(self, request, token):
        self._kinds(request)
        pending = _pending(request, token)
        if pending is None:
            raise Http404(_("That upload has expired."))
        rows = importer.error_rows(importer.RowError(*error) for error in pending["errors"])
        return _csv_response(f"import-errors-{pending['filename']}", rows)

    def import_template_view(self, request, kind):
        if kind not in importer.COLUMNS or kind not in self._kinds(request):
            raise Http404
        return _csv_response(kind, importer.template_rows(kind))


def _csv_response(name: str, rows) -> HttpResponse:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).removesuffix(".csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response
