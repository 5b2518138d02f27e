from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .listings import refresh_disagreements
from .models import Document, Event, EventListing, EventSession, Participant, Phase


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "period_text", "start_date", "end_date"]
    list_display_links = ["name"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class EventSessionInline(admin.TabularInline):
    model = EventSession
    extra = 0
    fields = ["order", "kind", "title", "day", "date", "start_time", "end_time", "time_text"]


class ParticipantInline(admin.TabularInline):
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


class EventListingInline(admin.StackedInline):
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


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["slug", "title", "kind", "date_text"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_disagreements(Event.objects.filter(pk=form.instance.pk))


@admin.register(EventSession)
class EventSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "day", "time_text"]
    list_filter = ["kind"]
    search_fields = ["title", "description", "event__title"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["__str__", "role", "state", "organisation", "event"]
    list_filter = ["role", "state__regional_group"]
    search_fields = ["name", "position", "organisation", "state__name", "event__title", "statement"]
    list_select_related = ["event", "state"]
    autocomplete_fields = ["event", "state", "session"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "date_text", "symbol", "event"]
    list_filter = ["kind"]
    search_fields = ["title", "symbol", "slug", "author"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(EventListing)
class EventListingAdmin(admin.ModelAdmin):
    """Each source's own listing of an event; edit them with their event, where disagreements are refreshed."""

    list_display = ["event", "order", "document", "place_in_source", "date_text", "tentative", "place"]
    list_filter = ["document", "date_precision", "tentative", "place_tentative"]
    search_fields = ["title", "place", "organiser", "event__title", "event__slug"]
    list_select_related = ["event", "document"]
    autocomplete_fields = ["event", "document"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_disagreements(Event.objects.filter(pk=obj.event_id))
