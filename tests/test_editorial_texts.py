"""The secretariat's own prose stored as data (document descriptions, event notes, the listings'
editorial notes: every field marked "Added by the secretariat, not from the source documents") is
translated in every language like the tracker's labels (events/labels.py, issue 19), while the
sources' words, downloads and the API keep the stored English."""

import csv
import io

import pytest
from django.apps import apps
from django.utils import translation

from events import labels
from events.models import Document, Event, EventListing, ParticipantListing

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


def test_every_editorial_text_the_fixtures_hold_is_listed_for_the_translators():
    for (model, field), listed in EDITORIAL_FIELDS.items():
        texts = stored(model, field)
        assert texts, (model, field)
        assert texts <= set(listed), f"{model.__name__}.{field} not in events/labels.py: {texts - set(listed)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_editorial_text_is_translated(language):
    with translation.override(language):
        for (model, field), _listed in EDITORIAL_FIELDS.items():
            untranslated = {text for text in stored(model, field) if translation.gettext(text) == text}
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
