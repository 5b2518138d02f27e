"""Admin of review cycles, indicators and measurements (the secretariat's data)."""

from django.contrib import admin

from ..models import Indicator, Measurement, ReviewCycle
from .base import SecretariatAdmin


@admin.register(ReviewCycle)
class ReviewCycleAdmin(SecretariatAdmin):
    list_display = ["name", "kind", "event", "opens_on", "closes_on", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "slug"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ["name"]}


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ["state", "date", "review_cycle", "value", "sex", "age_group", "migratory_status", "source"]
    autocomplete_fields = ["state"]


@admin.register(Indicator)
class IndicatorAdmin(SecretariatAdmin):
    list_display = ["code", "name", "commitment", "unit", "direction", "baseline", "target", "is_demo"]
    list_filter = ["commitment", "direction", "is_demo"]
    search_fields = ["code", "name"]
    list_select_related = ["commitment"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(SecretariatAdmin):
    list_display = ["indicator", "state", "date", "value", "sex", "age_group", "migratory_status", "review_cycle"]
    list_filter = ["indicator", "sex", "migratory_status", "review_cycle", "state__regional_group"]
    search_fields = ["indicator__name", "state__name"]
    list_select_related = ["indicator", "state", "review_cycle"]
    autocomplete_fields = ["state", "indicator"]
