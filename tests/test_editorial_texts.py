"""The secretariat's own prose stored as data (document descriptions, event notes, the listings'
editorial notes: every field marked "Added by the secretariat, not from the source documents") and the
tracker's locators ("place in the source" of listings and recommendations) are translated in every
language like the tracker's labels (events/labels.py, recommendations/labels.py, issue 19), while the
sources' words (the headings a locator names, in « »), downloads and the API keep the stored English."""

import csv
import io
import re

import pytest
from django.apps import apps
from django.utils import translation

from events import labels
from events.models import Document, Event, EventListing, ParticipantListing
from recommendations import labels as recommendation_labels
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db
LANGUAGES = ["fr", "es", "ar"]
SECRETARIATS = "Added by the secretariat, not from the source documents."
# Each editorial field and the list of events/labels.py that holds its texts for the translators.
EDITORIAL_FIELDS = {
    (Document, "description"): labels.DOCUMENT_DESCRIPTIONS,
    (Event, "notes"): labels.EVENT_NOTES,
    (EventListing, "editorial_note"): labels.LISTING_NOTES,
    (ParticipantListing, "editorial_note"): labels.LISTING_NOTES,
}
# The tracker's locators: every field named "place in the source" and the list that holds its texts.
LOCATOR_FIELDS = {
    (EventListing, "place_in_source"): labels.LISTING_PLACES,
    (ParticipantListing, "place_in_source"): labels.LISTING_PLACES,
    (Recommendation, "place"): recommendation_labels.RECOMMENDATION_PLACES,
}
# Translations that are spelt like the English (checked by hand), so gettext gives the same text back.
SPELT_ALIKE = {("fr", "Signature")}
QUOTED = re.compile(r"«\s*\u2068?(.+?)\u2069?\s*»")


def stored(model, field):
    return set(model.objects.exclude(**{field: ""}).values_list(field, flat=True))


def test_every_field_marked_as_the_secretariats_is_covered():
    marked = {
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if str(getattr(field, "help_text", "")) == SECRETARIATS
    }
    assert marked == set(EDITORIAL_FIELDS)


def test_every_field_named_place_in_the_source_is_covered():
    named = {
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if str(getattr(field, "verbose_name", "")) == "place in the source"
    }
    assert named == set(LOCATOR_FIELDS)


def test_every_editorial_text_the_fixtures_hold_is_listed_for_the_translators():
    for (model, field), listed in {**EDITORIAL_FIELDS, **LOCATOR_FIELDS}.items():
        texts = stored(model, field)
        assert texts, (model, field)
        assert texts <= set(listed), f"{model.__name__}.{field} not in events/labels.py: {texts - set(listed)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_editorial_text_is_translated(language):
    with translation.override(language):
        for (model, field), _listed in {**EDITORIAL_FIELDS, **LOCATOR_FIELDS}.items():
            untranslated = {
                text
                for text in stored(model, field)
                if translation.gettext(text) == text and (language, text) not in SPELT_ALIKE
            }
            assert not untranslated, (language, model.__name__, field, untranslated)


def test_the_translations_keep_the_symbols_and_what_they_quote():
    text = Document.objects.get(slug="srsg-letter-2017-04-13").description
    with translation.override("ar"):
        arabic = translation.gettext(text)
    # The symbol and the quoted title stay as the source writes them, each isolated from the Arabic.
    assert "\u2068A/RES/71/280\u2069" in arabic
    assert "\u2068Special Representative of the Secretary-General on International Migration\u2069" in arabic
    with translation.override("fr"):
        assert "« Special Representative of the Secretary-General on International Migration »" in (
            translation.gettext(text)
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_locator_keeps_the_sources_headings_in_english_and_nothing_else(language):
    with translation.override(language):
        for (model, field), _listed in LOCATOR_FIELDS.items():
            for text in stored(model, field):
                translated = translation.gettext(text)
                quoted = QUOTED.findall(translated)
                # What the translation quotes is the source's English, word for word...
                assert all(heading in text for heading in quoted), (language, text, translated)
                # ...and the rest is in the page's language: none of the tracker's English words is left.
                rest = QUOTED.sub("", translated)
                left = {"Table", "Paragraph", "paragraph", "row", "item", "sub-item", "part", "Heading", "March"}
                assert not left & set(re.findall(r"[\w-]+", rest)), (language, text, translated)
                if language == "ar":
                    assert all(f"«\u2068{heading}\u2069»" in translated for heading in quoted), translated


def test_the_locators_are_shown_in_the_pages_language(client):
    event = client.get("/fr/events/budapest-process-consultation-2017-03-02/").content.decode()
    assert "<bdi>Tableau, « Phase I – Consultations », mars 2017</bdi>" in event
    assert "Table, Phase I – Consultations, March 2017" not in event
    event = client.get("/ar/events/budapest-process-consultation-2017-03-02/").content.decode()
    assert "<bdi>الجدول، «\u2068Phase I – Consultations\u2069»، آذار/مارس 2017</bdi>" in event
    participants = client.get("/es/events/thematic-session-1/").content.decode()
    assert '(<bdi lang="es">Firma</bdi>)' in participants
    recommendation = Recommendation.objects.get(code="gfmd-rt-tool-04a")
    with translation.override("fr"):
        page = client.get(recommendation.get_absolute_url()).content.decode()
    assert (
        "<bdi>Outils cités par les coprésidents, point 1, sous-point 3 (« Policies and measures »), partie 1</bdi>"
    ) in page
    with translation.override("ar"):
        document = client.get(recommendation.document.get_absolute_url()).content.decode()
    assert "الأدوات التي ذكرها الرئيسان المشاركان، البند 1، البند الفرعي 3" in document
    assert "Tools mentioned by the Co-Chairs, item 1" not in document
    commitment = client.get("/es/commitments/8/").content.decode()
    assert "«Introduction», «Recommendations include», punto 1" in commitment
    english = client.get("/events/budapest-process-consultation-2017-03-02/").content.decode()
    assert "<bdi>Table, Phase I – Consultations, March 2017</bdi>" in english


def test_the_pages_show_the_editorial_texts_in_the_pages_language(client):
    document = client.get("/fr/events/documents/a-res-71-280/").content.decode()
    assert "<bdi>La résolution sur les modalités, adoptée le 6 avril 2017" in document
    assert "The modalities resolution" not in document
    event = client.get("/ar/events/high-level-meeting-large-movements/").content.decode()
    assert "<bdi>عُقد الاجتماع الرفيع المستوى في 19 أيلول/سبتمبر 2016" in event
    assert "The high-level meeting was held" not in event
    listing = client.get("/es/events/stocktaking-meeting-2017-12-04/").content.decode()
    assert "<bdi>El cuadro del mismo documento da «4-6 December».</bdi>" in listing
    english = client.get("/events/documents/a-res-71-280/").content.decode()
    assert "<bdi>The modalities resolution, adopted 6 April 2017" in english


def test_downloads_and_the_api_keep_the_stored_english(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/fr/events/?format=csv").content.decode("utf-8-sig"))))
    notes = {value for row in rows for key, value in row.items() if key.endswith("editorial_note")}
    assert "The same document’s table gives “4-6 December”." in notes
    data = client.get("/api/v1/events/high-level-meeting-large-movements/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert data["notes"].startswith("The high-level meeting was held on 19 September 2016")
    data = client.get("/api/v1/documents/a-res-71-280/", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert data["description"].startswith("The modalities resolution")
    places = {value for row in rows for key, value in row.items() if key.endswith("place_in_source")}
    assert "Table, Phase I – Consultations, March 2017" in places
    data = client.get("/api/v1/recommendations/gfmd-bp-intro-01/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert data["place"] == "Introduction, “Recommendations include”, item 1"
    response = client.get("/fr/recommendations/?format=csv")
    assert "Introduction, “Recommendations include”, item 1" in response.content.decode("utf-8-sig")
