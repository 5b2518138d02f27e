"""The shortcuts that keep long tables fast give what Django's own would: choice labels, dates and
the URLs of states, recommendations and documents, in every language."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Document
from recommendations.choices import Position
from recommendations.models import Implementation, Recommendation, State

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_display_gives_the_label_get_display_gives(language):
    france = State.objects.get(iso2="FR")
    implementation = Implementation.objects.filter(state=france).first()
    implementation.position = Position.SUPPORTED_IN_PART
    with translation.override(language):
        assert render('{{ s|display:"regional_group" }}', s=france) == france.get_regional_group_display()
        assert render('{{ i|display:"position" }}', i=implementation) == implementation.get_position_display()


def test_time_element_gives_the_day_in_the_current_time_zone_and_nothing_for_no_date():
    late_evening = datetime.datetime(2024, 5, 1, 23, 30, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert render("{{ when|time_element }}", when=late_evening) == '<time datetime="2024-05-02">2 May 2024</time>'
    with translation.override("fr"):
        assert render('{{ day|time_element:"DATE_FORMAT" }}', day=datetime.date(2024, 5, 1)) == (
            '<time datetime="2024-05-01">1 mai 2024</time>'
        )
    assert render('{{ day|time_element|default:"—" }}', day=None) == "—"


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_state_recommendation_and_document_urls_are_what_reverse_gives(language):
    recommendation = Recommendation.objects.select_related("document").first()
    with translation.override(language):
        assert State.objects.get(iso2="KE").get_absolute_url() == reverse("recommendations:state-detail", args=["KE"])
        assert recommendation.get_absolute_url() == reverse(
            "recommendations:recommendation-detail", args=[recommendation.code]
        )
        document = Document.objects.first()
        assert document.get_absolute_url() == reverse("events:document-detail", args=[document.slug])
