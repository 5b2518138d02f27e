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
from .timeline import events_timeline

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
    Column("place_tentative", lambda e: e.place_tentative),
    Column("shown_as_listed_in", lambda e: e.listed_in.slug if e.listed_in_id else ""),
    Column("sources_differ", lambda e: e.sources_differ),
    Column("differs_on", lambda e: e.differs_on),
]

# A download gives every listing of an event in its own columns: listing_1_..., listing_2_...
LISTING_FIELDS = [
    ("document", lambda x: x.document.slug),
    ("place_in_source", lambda x: x.place_in_source),
    ("category", lambda x: x.category),
    ("title", lambda x: x.title),
    ("date_as_given", lambda x: x.date_text),
    ("date_precision", lambda x: x.date_precision),
    ("tentative", lambda x: x.tentative),
    ("earliest_start", lambda x: x.start_date),
    ("latest_end", lambda x: x.end_date),
    ("place", lambda x: x.place),
    ("place_tentative", lambda x: x.place_tentative),
    ("organiser", lambda x: x.organiser),
    ("editorial_note", lambda x: x.editorial_note),
]


def _listing_column(number, name, read):
    def value(event):
        listings = event.listings.all()
        return read(listings[number - 1]) if len(listings) >= number else ""

    return Column(f"listing_{number}_{name}", value)


def event_columns(events):
    """The event columns, then a block of columns per listing, as many blocks as the most-listed event needs."""
    most = max((len(event.listings.all()) for event in events), default=0)
    return EVENT_COLUMNS + [
        _listing_column(number, name, read) for number in range(1, most + 1) for name, read in LISTING_FIELDS
    ]


def event_list(request):
    filterset = EventFilterSet(request.GET or None, queryset=Event.objects.all())
    any_labels(filterset.form)
    events = selectors.event_list(filterset.qs)
    fmt = requested_format(request)
    if fmt:
        events = list(selectors.with_listings(events))
        return download_response(request, fmt=fmt, filename="events", columns=event_columns(events), objects=events)
    context = {"filterset": filterset, "events": events, "timeline": events_timeline(events)}
    return render(request, "events/event_list.html", context)


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
        "listings": event.listings.all(),
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
    people = selectors.report_people(document)
    context = {
        "document": document,
        "outline": selectors.document_outline(document, people),
        "unplaced_listings": [listing for listing in document.listings.all() if not listing.sequence],
    }
    return render(request, "events/document_detail.html", context)
