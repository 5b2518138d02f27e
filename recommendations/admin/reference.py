"""Admin of the reference data: states, SDG targets, themes, commitments and their actions,
recommendations. Any staff member may look; only administrators change them."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import Commitment, CommitmentAction, Recommendation, SDGTarget, State, Theme
from .base import RecordAdmin, RecordTabularInline


@admin.register(State)
class StateAdmin(RecordAdmin):
    list_display = ["name", "iso2", "iso3", "numeric", "regional_group", "region", "subregion", "membership"]
    list_filter = ["regional_group", "region", "membership"]
    search_fields = ["name", "iso2", "iso3"]


@admin.register(SDGTarget)
class SDGTargetAdmin(RecordAdmin):
    list_display = ["code", "title"]
    search_fields = ["code", "title"]


@admin.register(Theme)
class ThemeAdmin(RecordAdmin):
    list_display = ["__str__", "kind", "document"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    list_select_related = ["document"]
    filter_horizontal = ["sdg_targets"]


class CommitmentActionInline(RecordTabularInline):
    model = CommitmentAction
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(RecordAdmin):
    list_display = ["number", "short_title", "action_count", "recommendation_count"]
    list_display_links = ["short_title"]
    search_fields = ["short_title", "text"]
    filter_horizontal = ["themes", "sdg_targets"]
    inlines = [CommitmentActionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                action_total=Count("actions", distinct=True),
                recommendation_total=Count("recommendations", distinct=True),
            )
        )

    @admin.display(description=_("actions"), ordering="action_total")
    def action_count(self, obj):
        return obj.action_total

    @admin.display(description=_("recommendations"), ordering="recommendation_total")
    def recommendation_count(self, obj):
        return obj.recommendation_total


@admin.register(CommitmentAction)
class CommitmentActionAdmin(RecordAdmin):
    list_display = ["__str__", "commitment", "text"]
    list_filter = ["commitment"]
    search_fields = ["text"]
    list_select_related = ["commitment"]


@admin.register(Recommendation)
class RecommendationAdmin(RecordAdmin):
    list_display = ["code", "__str__", "kind", "document", "place", "year_text", "event"]
    list_filter = ["kind", "document", "themes", "commitments", "year_from"]
    search_fields = ["code", "text", "section", "place"]
    list_select_related = ["document", "event"]
    filter_horizontal = ["themes", "commitments"]
    autocomplete_fields = ["parent", "event", "document"]
