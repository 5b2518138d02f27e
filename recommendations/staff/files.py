"""Evidence files: served as downloads, to everyone when published, else only to staff whose scope
covers them. At a stable, unprefixed address (/evidence/<id>/file/, gcmtracker/urls.py)."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .. import permissions
from ..models import Evidence


@require_safe
def evidence_file(request, pk):
    """Serve an evidence file as a download, only if it is published or the user may see it.

    Unpublished evidence answers 404 to everyone else, so its existence is not disclosed. HEAD
    answers as GET does, without the body (link checkers and download managers ask it first).
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
    # Short public caching: a file an editor unpublishes must not linger in shared caches for long.
    response["Cache-Control"] = "private, no-store" if not evidence.is_public else "public, max-age=300"
    if request.method == "HEAD":
        response.file_to_stream.close()
        response.streaming_content = []
    return response
