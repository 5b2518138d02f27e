"""FilterSets for events and documents, shared by the pages, the downloads and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from recommendations.filtersets import TextSearchFilterSet

from .choices import DocumentKind, EventKind
from .models import Document, Event, Phase


class EventFilterSet(TextSearchFilterSet):
    search_fields = ("title", "theme", "organiser", "place")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    phase = django_filters.ModelChoiceFilter(label=_("Phase"), to_field_name="slug", queryset=Phase.objects.all())
    place = django_filters.CharFilter(label=_("Place"), lookup_expr="icontains")
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year", min_value=1, max_value=9999)
    sources_differ = django_filters.BooleanFilter(label=_("Sources disagree"))

    class Meta:
        model = Event
        fields = ["q", "kind", "phase", "place", "year", "sources_differ"]

    def filter_year(self, queryset, name, value):
        # A fuzzy date matches every year its honest bounds touch.
        return queryset.filter(Q(start_date__year__lte=value) & Q(end_date__year__gte=value))


class DocumentFilterSet(TextSearchFilterSet):
    search_fields = ("title", "author", "symbol")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DocumentKind.choices)
    event = django_filters.ModelChoiceFilter(label=_("Event"), to_field_name="slug", queryset=Event.objects.all())

    class Meta:
        model = Document
        fields = ["q", "kind", "event"]
