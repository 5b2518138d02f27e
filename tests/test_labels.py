"""The tracker's own labels stored as data (commitment short titles, SDG target titles, sub-regions,
phase names) are translated in every language, and the text stored in English (sources' and users'
words) is isolated on right-to-left pages (issue 19). The browser side is in test_browser_bidi.py."""

import pytest
from django.urls import reverse
from django.utils import translation

from events import labels as event_labels
from events.models import Phase
from recommendations import labels, services
from recommendations.choices import Role
from recommendations.models import Commitment, Implementation, SDGTarget, State
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LANGUAGES = ["fr", "es", "ar"]


def stored_labels():
    return {
        "commitment short titles": (
            set(Commitment.objects.values_list("short_title", flat=True)),
            labels.COMMITMENT_SHORT_TITLES,
        ),
        "SDG target titles": (set(SDGTarget.objects.values_list("title", flat=True)), labels.SDG_TARGET_TITLES),
        "sub-regions": (
            set(State.objects.exclude(subregion="").values_list("subregion", flat=True)),
            labels.SUBREGIONS,
        ),
        "phase names": (set(Phase.objects.values_list("name", flat=True)), event_labels.PHASE_NAMES),
    }


def test_every_label_the_fixtures_hold_is_listed_for_the_translators():
    for what, (stored, listed) in stored_labels().items():
        assert stored, what
        assert stored <= set(listed), f"{what} missing from the labels modules: {stored - set(listed)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_is_translated(language):
    with translation.override(language):
        for what, (stored, _listed) in stored_labels().items():
            untranslated = {label for label in stored if translation.gettext(label) == label}
            # "Phase I – Consultations" and a few place names are spelt the same in French.
            untranslated -= {"Phase I – Consultations", "Micronesia", "Melanesia", "Polynesia"}
            assert not untranslated, (language, what, untranslated)


def test_the_pages_show_the_labels_in_the_pages_language(client):
    html = client.get("/ar/commitments/3/").content.decode()
    assert "إنهاء احتجاز الأطفال المهاجرين وحمايتهم" in html
    assert "End child immigration detention" not in html.split("<blockquote")[0].split("<h1>")[1]
    assert "غرب أوروبا" in client.get("/ar/states/FR/").content.decode()
    events = client.get("/fr/events/").content.decode()
    assert "Phase III – Négociations intergouvernementales" in events
    assert "Fase II – Balance" in client.get("/es/events/").content.decode()
    # The SDG target commitment 4 links to (goal 3).
    assert "Garantizar una vida sana" in client.get("/es/commitments/4/").content.decode()


def test_english_pages_keep_the_stored_wording(client):
    assert (
        "End child immigration detention and protect migrant children" in client.get("/commitments/3/").content.decode()
    )


def test_stored_english_text_is_isolated_on_the_page(client):
    editor = UserFactory(username="zq-labels-editor", role=Role.EDITOR)
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    services.implementation_assign(
        implementation=implementation, actor=editor, owner=None, lead_agency="Ministry of Justice."
    )
    html = client.get("/ar/states/FR/").content.decode()
    assert "<bdi>Ministry of Justice.</bdi>" in html
    events = client.get(reverse("events:event-list")).content.decode()
    assert "<bdi>New York</bdi>" in events


@pytest.mark.parametrize(
    "url",
    [
        "/fr/states/FR/?format=csv&list=evidence",
        "/fr/states/FR/?format=csv",
        "/fr/disagreements/?format=csv",
    ],
)
def test_downloads_keep_the_stored_english_labels_whatever_the_pages_language(client, url):
    editor = UserFactory(username="zq-labels-editor2", role=Role.EDITOR)
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    evidence = services.evidence_add(
        implementation=implementation, actor=editor, title="Act", kind="law", url="https://example.org/act"
    )
    services.evidence_verify(evidence=evidence, actor=editor, publish=True)
    services.implementation_set_status(
        implementation=implementation,
        status="implemented",
        actor=editor,
        comment="c",
        rationale="r",
        evidence=[evidence],
    )
    services.implementation_set_status(
        implementation=implementation, status="planned", actor=editor, comment="c", track="assessed"
    )
    body = client.get(url).content.decode("utf-8-sig")
    assert "3. End child immigration detention and protect migrant children" in body
    assert "Mettre fin" not in body


@pytest.mark.parametrize(("prefix", "label"), [("/fr", "Groupe régional de l’ONU"), ("/es", "Grupo regional de las")])
def test_the_state_pages_labels_start_with_a_capital(client, prefix, label):
    assert f"<dt>{label}" in client.get(prefix + "/states/FR/").content.decode()
