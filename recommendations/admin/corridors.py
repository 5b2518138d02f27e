"""Admin of migration corridors and of the states each staff member may edit (their scopes)."""

from django.contrib import admin

from ..models import Corridor, CorridorState, StateScope
from .base import RecordAdmin, RecordTabularInline


class CorridorStateInline(RecordTabularInline):
    model = CorridorState
    extra = 0
    autocomplete_fields = ["state"]


@admin.register(Corridor)
class CorridorAdmin(RecordAdmin):
    list_display = ["name", "slug", "is_demo"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CorridorStateInline]


@admin.register(CorridorState)
class CorridorStateAdmin(RecordAdmin):
    list_display = ["corridor", "order", "state", "role"]
    list_filter = ["role", "corridor"]
    search_fields = ["corridor__name", "state__name"]
    list_select_related = ["corridor", "state"]
    autocomplete_fields = ["state", "corridor"]


@admin.register(StateScope)
class StateScopeAdmin(RecordAdmin):
    list_display = ["user", "state"]
    list_filter = ["state__regional_group"]
    search_fields = ["user__username", "user__email", "state__name", "state__iso2"]
    list_select_related = ["user", "state"]
    autocomplete_fields = ["user", "state"]
