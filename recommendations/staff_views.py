"""Staff pages: my work, status and evidence editing, assignment, evidence files."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from . import permissions
from .models import Evidence


@require_GET
def evidence_file(request, pk):
    """Serve an evidence file as a download, only if it is published or the user may see it.

    Unpublished evidence answers 404 to everyone else, so its existence is not disclosed.
    """
    evidence = get_object_or_404(Evidence.objects.select_related("implementation"), pk=pk)
    if not evidence.file or not (evidence.is_public or permissions.can_view_staff_evidence(request.user, evidence)):
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_filename or evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if not evidence.is_public else "public, max-age=3600"
    return response
