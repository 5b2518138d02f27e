"""API viewsets for phases, events and documents, by slug. Read-only: events and documents change only
through the admin and the fixture import."""

from django.db.models import Count, F, Prefetch
from rest_framework import viewsets

from .filtersets import DocumentFilterSet, EventFilterSet
from .models import Document, Event, EventListing, EventSession, Participant, Phase
from .serializers import DocumentSerializer, EventDetailSerializer, EventSerializer, PhaseSerializer

SLUG = r"[-a-zA-Z0-9_]+"


class PhaseViewSet(viewsets.ReadOnlyModelViewSet):
    """The phases of the GCM process and of its follow-up."""

    queryset = Phase.objects.all()
    serializer_class = PhaseSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["number", "start_date"]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings where the compact was discussed and recommendations made. Dates keep the source's wording
    (`date_text`, as listed in `listed_in`); `start_date`/`end_date` are the widest honest bounds of every
    listing and `date_precision` says how far to trust the wording shown. `listings` gives each source's
    own wording; `sources_differ` (filter `?sources_differ=true`) and `differs_on` say where they
    disagree. The detail adds the sessions and participants."""

    filterset_class = EventFilterSet
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["start_date", "end_date", "title", "kind"]

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer

    def get_queryset(self):
        queryset = (
            Event.objects.select_related("phase", "listed_in")
            .prefetch_related(
                Prefetch("documents", queryset=Document.objects.only("id", "slug", "event_id")),
                Prefetch("listings", queryset=EventListing.objects.select_related("document").order_by("order")),
            )
            .annotate(recommendation_count=Count("recommendations"))
            .order_by(F("start_date").asc(nulls_last=True), "title", "pk")  # a GROUP BY drops Meta.ordering
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("sessions", queryset=EventSession.objects.all()),
                Prefetch("participants", queryset=Participant.objects.select_related("session", "state")),
            )
        return queryset


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Source documents, by slug: issue briefs, notes, reports, with the event they belong to."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["date", "title", "kind"]

    def get_queryset(self):
        return (
            Document.objects.select_related("event")
            .annotate(recommendation_count=Count("recommendations"))
            .order_by("date", "title", "pk")
        )
