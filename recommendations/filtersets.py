"""One FilterSet per listed model, shared by the HTML pages, the downloads and the API.

Filters take readable identifiers (`state=FR`, `commitment=3`, `theme=issue-area-c`) and `q`
searches text. Nothing here exposes staff-only fields (owner, internal notes) to filtering
from public views: those filters live in the staff filter set.
"""

import django_filters
from django import forms
from django.db import connection
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Document, Event

from .choices import Position, RecommendationKind, RegionalGroup, Status, Track
from .models import (
    ChangeRecord,
    Commitment,
    Evidence,
    Implementation,
    Indicator,
    Measurement,
    Recommendation,
    ReportingRound,
    ReviewCycle,
    StakeholderReport,
    State,
    StatusUpdate,
    Theme,
)


def search_text(queryset, fields, value):
    """Full-text search on PostgreSQL (ranked words, stemming); every word as a substring elsewhere."""
    value = (value or "").strip()
    if not value:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config="english")
        return queryset.annotate(search=vector).filter(
            search=SearchQuery(value, config="english", search_type="websearch")
        )
    for word in value.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


class TextSearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    search_fields: tuple[str, ...] = ()

    def filter_q(self, queryset, name, value):
        return search_text(queryset, self.search_fields, value)


class StateFilterSet(TextSearchFilterSet):
    search_fields = ("name", "iso2", "iso3")
    regional_group = django_filters.ChoiceFilter(label=_("Regional group"), choices=RegionalGroup.choices)

    class Meta:
        model = State
        fields = ["q", "regional_group", "region", "membership"]


class CommitmentFilterSet(TextSearchFilterSet):
    search_fields = ("short_title", "text")
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug", queryset=Theme.objects.all()
    )

    class Meta:
        model = Commitment
        fields = ["q", "theme"]


class RecommendationFilterSet(TextSearchFilterSet):
    search_fields = ("text",)
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", to_field_name="slug", queryset=Theme.objects.all()
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RecommendationKind.choices)
    document = django_filters.ModelChoiceFilter(
        label=_("Source document"),
        to_field_name="slug",
        queryset=Document.objects.filter(recommendations__isnull=False).distinct(),
    )
    event = django_filters.ModelChoiceFilter(
        label=_("Event"), to_field_name="slug", queryset=Event.objects.filter(recommendations__isnull=False).distinct()
    )
    year = django_filters.NumberFilter(label=_("Year first made"), method="filter_year", min_value=1, max_value=9999)
    commitment = django_filters.ModelChoiceFilter(
        label=_("Commitment"), field_name="commitments", to_field_name="number", queryset=Commitment.objects.all()
    )

    class Meta:
        model = Recommendation
        fields = ["q", "theme", "kind", "document", "event", "year", "commitment"]

    def filter_year(self, queryset, name, value):
        # "(2013-2014)" was made across both years: a year inside the range matches.
        return queryset.filter(year_from__lte=value, year_to__gte=value)


class ImplementationFilterSet(django_filters.FilterSet):
    state = django_filters.ModelChoiceFilter(label=_("State"), to_field_name="iso2", queryset=State.objects.all())
    commitment = django_filters.ModelChoiceFilter(
        label=_("Commitment"), to_field_name="number", queryset=Commitment.objects.all()
    )
    recommendation = django_filters.ModelChoiceFilter(
        label=_("Recommendation"), to_field_name="code", queryset=Recommendation.objects.all()
    )
    regional_group = django_filters.ChoiceFilter(
        label=_("Regional group"), field_name="state__regional_group", choices=RegionalGroup.choices
    )
    status = django_filters.ChoiceFilter(label=_("Reported status"), choices=Status.choices)
    assessment = django_filters.ChoiceFilter(label=_("Assessed status"), choices=Status.choices)
    position = django_filters.ChoiceFilter(label=_("Position"), choices=Position.choices)
    disagreement = django_filters.BooleanFilter(label=_("Report and assessment differ"), method="filter_disagreement")

    class Meta:
        model = Implementation
        fields = ["state", "commitment", "recommendation", "regional_group", "status", "assessment", "position"]

    def filter_disagreement(self, queryset, name, value):
        if value is None:
            return queryset
        differ = ~Q(status=Status.NO_INFORMATION) & ~Q(assessment=Status.NO_INFORMATION) & ~Q(status=F("assessment"))
        return queryset.filter(differ) if value else queryset.exclude(differ)


class StatusUpdateFilterSet(django_filters.FilterSet):
    state = django_filters.ModelChoiceFilter(
        label=_("State"), field_name="state", to_field_name="iso2", queryset=State.objects.all()
    )
    commitment = django_filters.ModelChoiceFilter(
        label=_("Commitment"),
        field_name="implementation__commitment",
        to_field_name="number",
        queryset=Commitment.objects.all(),
    )
    track = django_filters.ChoiceFilter(label=_("Track"), choices=Track.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    since = django_filters.DateFilter(label=_("From"), field_name="effective_date", lookup_expr="gte")
    until = django_filters.DateFilter(label=_("To"), field_name="effective_date", lookup_expr="lte")

    class Meta:
        model = StatusUpdate
        fields = ["state", "commitment", "track", "status", "since", "until"]


class ImplementationRowFilterSet(TextSearchFilterSet):
    """Rows of an implementation (evidence, stakeholder reports), filtered by its state and item."""

    state = django_filters.ModelChoiceFilter(
        label=_("State"), field_name="implementation__state", to_field_name="iso2", queryset=State.objects.all()
    )
    commitment = django_filters.ModelChoiceFilter(
        label=_("Commitment"),
        field_name="implementation__commitment",
        to_field_name="number",
        queryset=Commitment.objects.all(),
    )


class EvidenceFilterSet(ImplementationRowFilterSet):
    search_fields = ("title", "description")

    class Meta:
        model = Evidence
        fields = ["q", "state", "commitment", "kind"]


class StakeholderReportFilterSet(ImplementationRowFilterSet):
    search_fields = ("narrative", "organisation__name")
    # By id, as an implementation's `stakeholder_reports_url` gives it; an id naming nothing is the
    # API's 404, like any other filter value naming nothing (gcmtracker/api_filters.py). A number
    # box, not a list: the browsable API's filter form would list every implementation.
    implementation = django_filters.ModelChoiceFilter(
        label=_("Implementation"), queryset=Implementation.objects.only("pk"), widget=forms.NumberInput
    )

    class Meta:
        model = StakeholderReport
        fields = ["q", "state", "commitment", "implementation", "assessment"]


class ReviewCycleFilterSet(django_filters.FilterSet):
    class Meta:
        model = ReviewCycle
        fields = ["kind"]


class ReportingRoundFilterSet(django_filters.FilterSet):
    cycle = django_filters.ModelChoiceFilter(
        label=_("Review cycle"), to_field_name="slug", queryset=ReviewCycle.objects.all()
    )
    state = django_filters.ModelChoiceFilter(
        label=_("State"), field_name="states", to_field_name="iso2", queryset=State.objects.all()
    )
    open = django_filters.BooleanFilter(label=_("Not closed yet"), field_name="closed_at", lookup_expr="isnull")

    class Meta:
        model = ReportingRound
        fields = ["cycle", "state", "open"]


class IndicatorFilterSet(TextSearchFilterSet):
    search_fields = ("name", "description")
    commitment = django_filters.ModelChoiceFilter(
        label=_("Commitment"), to_field_name="number", queryset=Commitment.objects.all()
    )

    class Meta:
        model = Indicator
        fields = ["q", "commitment", "direction"]


class MeasurementFilterSet(django_filters.FilterSet):
    indicator = django_filters.ModelChoiceFilter(
        label=_("Indicator"), to_field_name="code", queryset=Indicator.objects.all()
    )
    state = django_filters.ModelChoiceFilter(label=_("State"), to_field_name="iso2", queryset=State.objects.all())
    review_cycle = django_filters.ModelChoiceFilter(
        label=_("Review cycle"), to_field_name="slug", queryset=ReviewCycle.objects.all()
    )
    since = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte")
    until = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Measurement
        fields = ["indicator", "state", "review_cycle", "sex", "age_group", "migratory_status", "since", "until"]


def _listed(iterator):
    """`iterator` (a model choice field's) reading its queryset as a list, in one query: Django's
    reads it with `.iterator()`, which on PostgreSQL opens a server-side cursor (DECLARE ... WITH
    HOLD, FETCH, CLOSE: three round trips and a materialised result) for a few dozen options."""
    found = _LISTED.get(iterator)
    if found is None:

        class Listed(iterator):
            def __iter__(self):
                if self.field.empty_label is not None:
                    yield ("", self.field.empty_label)
                if getattr(self.field, "null_label", None) is not None:  # django-filter's null choice
                    yield (self.field.null_value, self.field.null_label)
                for obj in self.queryset:
                    yield self.choice(obj)

        found = _LISTED[iterator] = Listed
    return found


_LISTED = {}


def any_labels(form):
    """Say "Any" rather than "---------" (or "Unknown" for yes/no) where a filter is not set; a
    list of models is read in one plain query (`_listed`)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = gettext("Any")
            if not isinstance(field.widget, forms.NumberInput):  # a number box lists nothing
                field.iterator = _listed(field.iterator)
                field.widget.choices = field.choices
        elif isinstance(field.widget, forms.NullBooleanSelect):
            field.widget.choices = [("unknown", gettext("Any")), ("true", gettext("Yes")), ("false", gettext("No"))]
        elif isinstance(field, forms.ChoiceField):
            # The widget holds its own copy of the choices; the field's empty_label no longer reaches it.
            choices = list(field.widget.choices)
            if choices and choices[0][0] == "":
                choices[0] = ("", gettext("Any"))
            field.widget.choices = choices
    return form


class ChangeRecordFilterSet(django_filters.FilterSet):
    state = django_filters.ModelChoiceFilter(
        label=_("State"), field_name="state", to_field_name="iso2", queryset=State.objects.all()
    )
    commitment = django_filters.ModelChoiceFilter(
        label=_("Commitment"), field_name="commitment", to_field_name="number", queryset=Commitment.objects.all()
    )
    recommendation = django_filters.ModelChoiceFilter(
        label=_("Recommendation"),
        field_name="recommendation",
        to_field_name="code",
        queryset=Recommendation.objects.all(),
    )
    kind = django_filters.CharFilter(label=_("Kind of record"), field_name="content_type__model", max_length=100)
    since = django_filters.DateFilter(label=_("From"), field_name="created_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("To"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = ChangeRecord
        fields = ["state", "commitment", "recommendation", "kind", "since", "until"]
