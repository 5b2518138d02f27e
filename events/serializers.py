"""API representations of phases, events (with their sessions and participants) and documents.

Related rows are given by their readable identifiers (slugs, ISO codes); counts come from annotations
set up by the viewsets in `api.py`.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Document, Event, EventListing, EventSession, Participant, Phase


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["slug", "number", "name", "period_text", "start_date", "end_date", "description"]


class EventListingSerializer(serializers.ModelSerializer):
    """How one source lists the event, in that source's words (`editorial_note` is the secretariat's)."""

    document = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = EventListing
        fields = [
            "order",
            "document",
            "place_in_source",
            "category",
            "title",
            "date_text",
            "date_precision",
            "tentative",
            "start_date",
            "end_date",
            "place",
            "place_tentative",
            "organiser",
            "editorial_note",
        ]


class EventSerializer(serializers.ModelSerializer):
    """An event as shown first (`listed_in` says whose wording that is), its bounds covering every listing,
    whether the listings differ (`sources_differ`, `differs_on`) and every listing in its source's words."""

    phase = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    listings = EventListingSerializer(many=True, read_only=True)
    listed_in = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    documents = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    recommendation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "kind",
            "phase",
            "title",
            "place",
            "venue",
            "organiser",
            "theme",
            "date_text",
            "date_precision",
            "tentative",
            "place_tentative",
            "start_date",
            "end_date",
            "listed_in",
            "notes",
            "sources_differ",
            "differs_on",
            "listings",
            "documents",
            "recommendation_count",
        ]


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
        "example": "10:00:00",
        "description": _("Local time at the venue, HH:MM:SS, with no time zone (as the programme gives it)."),
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day as the programme gives it: the venue's local time, with no offset. OpenAPI's
    `format: time` is RFC 3339's full-time, which needs an offset the sources never give, so the
    schema says what the API writes instead."""


class EventSessionSerializer(serializers.ModelSerializer):
    start_time = LocalTimeField(format="%H:%M:%S", allow_null=True, required=False)
    end_time = LocalTimeField(format="%H:%M:%S", allow_null=True, required=False)

    class Meta:
        model = EventSession
        fields = ["order", "kind", "title", "description", "day", "date", "start_time", "end_time", "time_text"]


class ParticipantSerializer(serializers.ModelSerializer):
    session = serializers.SlugRelatedField(slug_field="order", read_only=True, allow_null=True)
    state = serializers.SlugRelatedField(slug_field="iso2", read_only=True, allow_null=True)

    class Meta:
        model = Participant
        fields = ["order", "session", "name", "position", "role", "state", "organisation", "statement"]


class EventDetailSerializer(EventSerializer):
    """An event with its programme: sessions in order and who took part in which role."""

    sessions = EventSessionSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "sessions", "participants"]


class DocumentSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    recommendation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "slug",
            "title",
            "kind",
            "date",
            "date_text",
            "symbol",
            "url",
            "author",
            "event",
            "description",
            "recommendation_count",
        ]
