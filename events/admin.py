"""Admin of the events' records: phases, events with their listings per source, sessions,
participants and documents.

Events are tracked data (the public timeline, loaded with the reference data): any staff member
may look, administrators change them (`permissions.RECORD_WRITERS`), and every save and delete
goes through `recommendations.services` (`event_record_save`, `event_record_delete`), which
record each row's change and recompute where an event's listings differ, in one transaction.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from recommendations import services
from recommendations.admin.base import RecordAdmin, RecordStackedInline, RecordTabularInline

from .models import Document, Event, EventListing, EventSession, Participant, ParticipantListing, Phase


class EventRecordAdmin(RecordAdmin):
    """Writes through the events' services, which also refresh the listings' disagreements."""

    save_service = staticmethod(services.event_record_save)
    delete_service = staticmethod(services.event_record_delete)


@admin.register(Phase)
class PhaseAdmin(EventRecordAdmin):
    list_display = ["number", "name", "period_text", "start_date", "end_date"]
    list_display_links = ["name"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class EventSessionInline(RecordTabularInline):
    model = EventSession
    extra = 0
    fields = ["order", "kind", "title", "day", "date", "start_time", "end_time", "time_text"]


class ParticipantInline(RecordTabularInline):
    model = Participant
    extra = 0
    fields = ["order", "name", "position", "role", "state", "organisation", "session"]
    autocomplete_fields = ["state"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the sessions of the event being edited: otherwise every row lists every session.
        if db_field.name == "session":
            event_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = EventSession.objects.filter(event_id=event_id).select_related("event")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EventListingInline(RecordStackedInline):
    model = EventListing
    extra = 0
    autocomplete_fields = ["document"]
    fields = [
        ("order", "document", "place_in_source"),
        ("category", "title"),
        ("date_text", "date_precision", "tentative", "start_date", "end_date"),
        ("place", "place_tentative", "organiser"),
        "editorial_note",
    ]


class DocumentInline(RecordTabularInline):
    model = Document
    extra = 0
    fields = ["slug", "title", "kind", "date_text"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(EventRecordAdmin):
    list_display = ["title", "kind", "phase", "place", "date_text", "date_precision", "tentative", "start_date"]
    list_filter = ["kind", "phase", "date_precision", "tentative"]
    search_fields = ["title", "place", "organiser", "theme", "slug"]
    list_select_related = ["phase"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["listed_in"]
    inlines = [EventListingInline, EventSessionInline, ParticipantInline, DocumentInline]
    readonly_fields = ["sources_differ", "differs_on"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "kind", "phase", "theme", "organiser", "listed_in"]}),
        (_("Where"), {"fields": ["place", "venue", "place_tentative"]}),
        (
            _("When"),
            {"fields": ["date_text", "date_precision", "tentative", "start_date", "end_date", "notes"]},
        ),
        (_("Listings"), {"fields": ["sources_differ", "differs_on"]}),
    ]


@admin.register(EventSession)
class EventSessionAdmin(EventRecordAdmin):
    list_display = ["title", "event", "kind", "day", "time_text"]
    list_filter = ["kind"]
    search_fields = ["title", "description", "event__title"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]


class ParticipantListingInline(RecordTabularInline):
    """How each source names the participant and their role, in its own words."""

    model = ParticipantListing
    extra = 0
    autocomplete_fields = ["document"]
    fields = ["order", "document", "place_in_source", "name", "position", "role_text", "editorial_note"]


@admin.register(Participant)
class ParticipantAdmin(EventRecordAdmin):
    inlines = [ParticipantListingInline]
    list_display = ["__str__", "role", "state", "organisation", "event"]
    list_filter = ["role", "state__regional_group"]
    search_fields = ["name", "position", "organisation", "state__name", "event__title", "statement"]
    list_select_related = ["event", "state"]
    autocomplete_fields = ["event", "state", "session"]


@admin.register(Document)
class DocumentAdmin(EventRecordAdmin):
    list_display = ["title", "kind", "date", "date_text", "symbol", "event"]
    list_filter = ["kind"]
    search_fields = ["title", "symbol", "slug", "author"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(EventListing)
class EventListingAdmin(EventRecordAdmin):
    """Each source's own listing of an event; a save refreshes its event's disagreements too."""

    list_display = ["event", "order", "document", "place_in_source", "date_text", "tentative", "place"]
    list_filter = ["document", "date_precision", "tentative", "place_tentative"]
    search_fields = ["title", "place", "organiser", "event__title", "event__slug"]
    list_select_related = ["event", "document"]
    autocomplete_fields = ["event", "document"]


@admin.register(ParticipantListing)
class ParticipantListingAdmin(EventRecordAdmin):
    """Each source's own naming of a participant (name, position, role as the source words them)."""

    list_display = ["participant", "order", "document", "place_in_source", "name", "position"]
    list_filter = ["document"]
    search_fields = ["name", "position", "role_text", "participant__name", "participant__event__title"]
    list_select_related = ["participant__event", "participant__state", "document"]
    autocomplete_fields = ["participant", "document"]
