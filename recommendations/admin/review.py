"""Admin of review cycles, indicators and measurements (the secretariat's data)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Indicator, Measurement, ReviewCycle
from .base import RecordAdmin


@admin.register(ReviewCycle)
class ReviewCycleAdmin(RecordAdmin):
    list_display = ["name", "kind", "event", "opens_on", "closes_on", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "slug"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Indicator)
class IndicatorAdmin(RecordAdmin):
    """Measurements are not an inline here: an indicator gathers one per state, date and
    breakdown, and at a few hundred the form sent more fields than Django accepts
    (TooManyFieldsSent), so nobody could save the indicator. They have their own changelist,
    filtered to the indicator from a link on its page."""

    list_display = ["code", "name", "commitment", "unit", "direction", "baseline", "target", "is_demo"]
    list_filter = ["commitment", "direction", "is_demo"]
    search_fields = ["code", "name"]
    list_select_related = ["commitment"]
    readonly_fields = ["measurements"]

    @admin.display(description=_("measurements"))
    def measurements(self, indicator):
        if indicator.pk is None:
            return _("Save the indicator, then add its measurements.")
        count = indicator.measurements.count()
        changelist = reverse("admin:recommendations_measurement_changelist")
        add = reverse("admin:recommendations_measurement_add")
        return format_html(
            '<a href="{}?indicator__id__exact={}">{}</a> · <a href="{}?indicator={}">{}</a>',
            changelist,
            indicator.pk,
            ngettext("%(count)d measurement", "%(count)d measurements", count) % {"count": count},
            add,
            indicator.pk,
            _("Add a measurement"),
        )


@admin.register(Measurement)
class MeasurementAdmin(RecordAdmin):
    list_display = ["indicator", "state", "date", "value", "sex", "age_group", "migratory_status", "review_cycle"]
    list_filter = ["indicator", "sex", "migratory_status", "review_cycle", "state__regional_group"]
    search_fields = ["indicator__name", "state__name"]
    list_select_related = ["indicator", "state", "review_cycle"]
    autocomplete_fields = ["state", "indicator"]
