"""Reads for the public event and document pages, each a fixed number of queries."""

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from recommendations.models import Commitment, CommitmentAction, Recommendation, Theme

from .models import Document, Event, EventListing, EventSession, Participant


def event_list(queryset=None):
    """Events in timeline order: by phase, then by their earliest honest start (undated last)."""
    queryset = queryset if queryset is not None else Event.objects.all()
    return queryset.select_related("phase", "listed_in").order_by(
        F("phase__number").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "title"
    )


def with_listings(queryset):
    """Events with their listings (each with its document) in the source order."""
    return queryset.prefetch_related(
        Prefetch("listings", queryset=EventListing.objects.select_related("document").order_by("order"))
    )


def _participants():
    return (
        Participant.objects.select_related("state")
        .only(
            "id",
            "event_id",
            "session_id",
            "order",
            "name",
            "position",
            "role",
            "organisation",
            "statement",
            "state__iso2",
            "state__name",
        )
        .order_by("order")
    )


def event_detail(slug: str) -> Event:
    """An event with its phase, sessions (each with its participants), participants and documents."""
    return (
        Event.objects.select_related("phase", "listed_in")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=EventSession.objects.order_by("order").prefetch_related(
                    Prefetch("participants", queryset=_participants(), to_attr="people")
                ),
            ),
            Prefetch("participants", queryset=_participants().select_related("session")),
            Prefetch("documents", queryset=Document.objects.order_by("date", "title")),
            Prefetch("listings", queryset=EventListing.objects.select_related("document").order_by("order")),
        )
        .get(slug=slug)
    )


def event_recommendations(event):
    """Recommendations made at an event: tied to it directly, or held by a document of the event."""
    return (
        Recommendation.objects.filter(Q(event=event) | Q(document__event=event))
        .select_related("document", "event")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("id", "slug", "code", "name")),
            Prefetch("commitments", queryset=Commitment.objects.only("id", "number", "short_title")),
        )
        .order_by("document__title", "order")
    )


def document_list(queryset=None):
    queryset = queryset if queryset is not None else Document.objects.all()

    def count(model):
        rows = model.objects.filter(document=OuterRef("pk")).order_by().values("document")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0))

    return (
        queryset.select_related("event")
        .annotate(recommendation_count=count(Recommendation), commitment_count=count(Commitment))
        .order_by(F("date").asc(nulls_last=True), "title")
    )


def document_detail(slug: str) -> Document:
    return (
        Document.objects.select_related("event__phase")
        .prefetch_related(
            Prefetch("cites", queryset=Document.objects.order_by("title")),
            Prefetch("cited_by", queryset=Document.objects.order_by("title")),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.order_by("number").prefetch_related(
                    Prefetch("actions", queryset=CommitmentAction.objects.order_by("number"))
                ),
            ),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("event")
                .order_by("order")
                .prefetch_related(
                    Prefetch("themes", queryset=Theme.objects.only("id", "slug", "code", "name")),
                    Prefetch("commitments", queryset=Commitment.objects.only("id", "number", "short_title")),
                ),
            ),
            Prefetch("themes", queryset=Theme.objects.order_by("order")),
            Prefetch(
                "listings",
                queryset=EventListing.objects.select_related("event").order_by(
                    F("start_date").asc(nulls_last=True), "place_in_source", "event__title"
                ),
            ),
        )
        .get(slug=slug)
    )
