"""Reporting rounds in the admin: looked at, never written here. Rounds are opened, edited and
closed on the staff pages, through `services/rounds.py` (the change records are the History)."""

from django.contrib import admin

from .. import permissions
from ..models import ReportingRound, RoundConfirmation, RoundReminder, RoundStateResult
from .base import ReadOnlyAdmin, ReadOnlyTabularInline


class RoundAdmin(ReadOnlyAdmin):
    """The secretariat's: who manages rounds may look at them here."""

    def may_view(self, user) -> bool:
        return permissions.can_manage_rounds(user)


class RoundStateResultInline(ReadOnlyTabularInline):
    """The frozen results of a closed round, read-only like the round."""

    model = RoundStateResult
    fields = ["state", "items", "reported", "confirmed", "completed_at", "last_reported_at", "late"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("state")

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_rounds(request.user)


@admin.register(ReportingRound)
class ReportingRoundAdmin(RoundAdmin):
    list_display = ["name", "cycle", "opens_on", "deadline", "closed_at", "invite_stakeholders", "is_demo"]
    list_filter = ["cycle", "invite_stakeholders", "is_demo"]
    search_fields = ["name", "slug", "message"]
    list_select_related = ["cycle"]
    date_hierarchy = "opens_on"
    inlines = [RoundStateResultInline]


@admin.register(RoundConfirmation)
class RoundConfirmationAdmin(RoundAdmin):
    list_display = ["implementation", "round", "confirmed_by", "author_role", "confirmed_at"]
    list_filter = ["round"]
    search_fields = ["round__name", "state__name", "note"]
    list_select_related = [
        "round",
        "confirmed_by",
        "implementation__state",
        "implementation__commitment",
        "implementation__recommendation",
    ]


@admin.register(RoundStateResult)
class RoundStateResultAdmin(RoundAdmin):
    list_display = ["round", "state", "items", "reported", "confirmed", "completed_at", "late"]
    list_filter = ["round", "late"]
    search_fields = ["round__name", "state__name"]
    list_select_related = ["round", "state"]


@admin.register(RoundReminder)
class RoundReminderAdmin(RoundAdmin):
    list_display = ["round", "state", "kind", "sent_at", "recipients"]
    list_filter = ["round", "kind"]
    search_fields = ["round__name", "state__name"]
    list_select_related = ["round", "state"]
