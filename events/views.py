"""Public pages for events (a timeline by phase) and source documents. Read-only, no login."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from recommendations.downloads import Column, download_response, requested_format
from recommendations.filtersets import any_labels

from . import selectors
from .filtersets import DocumentFilterSet, EventFilterSet
from .models import Document, Event

EVENT_COLUMNS = [
    Column("slug", lambda e: e.slug),
    Column("title", lambda e: e.title),
    Column("kind", lambda e: e.kind),
    Column("phase", lambda e: e.phase.slug if e.phase_id else ""),
    Column("date_as_given", lambda e: e.date_text),
    Column("date_precision", lambda e: e.date_precision),
    Column("tentative", lambda e: e.tentative),
    Column("earliest_start", lambda e: e.start_date),
    Column("latest_end", lambda e: e.end_date),
    Column("place", lambda e: e.place),
    Column("venue", lambda e: e.venue),
    Column("organiser", lambda e: e.organiser),
    Column("theme", lambda e: e.theme),
]


def event_list(request):
    filterset = EventFilterSet(request.GET or None, queryset=Event.objects.all())
    any_labels(filterset.form)
    events = selectors.event_list(filterset.qs)
    fmt = requested_format(request)
    if fmt:
        return download_response(request, fmt=fmt, filename="events", columns=EVENT_COLUMNS, objects=events)
    return render(request, "events/event_list.html", {"filterset": filterset, "events": events})


def event_detail(request, slug):
    try:
        event = selectors.event_detail(slug)
    except Event.DoesNotExist:
        raise Http404(_("No such event.")) from None
    participants = event.participants.all()
    context = {
        "event": event,
        "sessions": event.sessions.all(),
        "unsessioned": [p for p in participants if p.session_id is None],
        "participants": participants,
        "recommendations": selectors.event_recommendations(event),
    }
    return render(request, "events/event_detail.html", context)


DOCUMENT_COLUMNS = [
    Column("slug", lambda d: d.slug),
    Column("title", lambda d: d.title),
    Column("kind", lambda d: d.kind),
    Column("date_as_given", lambda d: d.date_text),
    Column("date", lambda d: d.date),
    Column("symbol", lambda d: d.symbol),
    Column("url", lambda d: d.url),
    Column("author", lambda d: d.author),
    Column("event", lambda d: d.event.slug if d.event_id else ""),
    Column("commitments", lambda d: d.commitment_count),
    Column("recommendations", lambda d: d.recommendation_count),
]


def document_list(request):
    filterset = DocumentFilterSet(request.GET or None, queryset=Document.objects.all())
    any_labels(filterset.form)
    documents = selectors.document_list(filterset.qs)
    fmt = requested_format(request)
    if fmt:
        return download_response(request, fmt=fmt, filename="documents", columns=DOCUMENT_COLUMNS, objects=documents)
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(request, "events/document_list.html", {"filterset": filterset, "page": page})


def document_detail(request, slug):
    try:
        document = selectors.document_detail(slug)
    except Document.DoesNotExist:
        raise Http404(_("No such document.")) from None
    return render(request, "events/document_detail.html", {"document": document})
