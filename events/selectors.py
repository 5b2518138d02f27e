"""Reads for the public event and document pages, each a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from recommendations.models import Commitment, CommitmentAction, Recommendation, Theme

from .choices import DocumentKind
from .models import Document, Event, EventListing, EventSession, Participant, ParticipantListing


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
    listings = ParticipantListing.objects.select_related("document").order_by("order")
    return (
        Participant.objects.select_related("state")
        .prefetch_related(Prefetch("listings", queryset=listings))
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


def report_people(document: Document):
    """The people of the events a report covers (its own event, or the events it lists, as the
    roundtables report lists its two roundtables) and what each said, as the report places them."""
    if document.kind != DocumentKind.REPORT:
        return Participant.objects.none()
    return (
        Participant.objects.filter(Q(event__documents=document) | Q(event__listings__document=document))
        .select_related("state", "event")
        .distinct()
        .order_by("after_item", "sequence", "event__title", "order")
    )


@dataclass
class Run:
    """Parts of one kind that follow each other in the document: "items", "people" or "events"."""

    kind: str
    parts: list = field(default_factory=list)


@dataclass
class Section:
    heading: str  # as the source gives it; "" before the document's first heading
    anchor: str
    runs: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # kind of part -> how many

    @property
    def n_items(self):  # (a template reads counts.items as the dict's method)
        return self.counts.get("items", 0)

    @property
    def n_people(self):
        return self.counts.get("people", 0)

    @property
    def n_events(self):
        return self.counts.get("events", 0)


def document_outline(document: Document, people) -> list[Section]:
    """The document's parts in the source's order, section by section: its items (each sub-item
    under its parent, as `nested`), the people of its events and what they said, and the events
    it lists that the data places in it (`sequence` set). A part placed after item n stands
    between items n and n + 1; sections come in the order of their first part."""
    items = list(document.recommendations.all())
    by_pk = {item.pk: item for item in items}
    for item in items:
        item.nested = []
    for item in items:
        if item.parent_id in by_pk:
            by_pk[item.parent_id].nested.append(item)
    parts = [((item.order, 0, 0), "items", item.section, item) for item in items if item.parent_id not in by_pk]
    parts += [((p.after_item, 1, p.sequence), "people", p.section, p) for p in people]
    placed = [listing for listing in document.listings.all() if listing.sequence]
    parts += [((x.after_item, 1, x.sequence), "events", x.section, x) for x in placed]
    sections: dict[str, Section] = {}
    for _key, kind, heading, part in sorted(parts, key=lambda p: p[0]):
        section = sections.get(heading)
        if section is None:
            section = sections[heading] = Section(heading, f"section-{len(sections) + 1}")
        if not section.runs or section.runs[-1].kind != kind:
            section.runs.append(Run(kind))
        section.runs[-1].parts.append(part)
        if kind != "items":  # items are counted with their sub-items below
            section.counts[kind] = section.counts.get(kind, 0) + 1
    for item in items:
        if item.section in sections:
            counts = sections[item.section].counts
            counts["items"] = counts.get("items", 0) + 1
    return list(sections.values())
