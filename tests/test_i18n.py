"""The interface in the UN's languages: complete catalogs, every page type in every language,
right to left for Arabic, localized state names and dates, source texts kept in English."""

import datetime
import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from recommendations import services
from recommendations.choices import Status
from recommendations.models import Commitment, Corridor, CorridorState, Implementation, State

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["fr", "es", "ar"]
# The main navigation's first link in each language: a string every page shows.
COMMITMENTS = {"en": "Commitments", "fr": "Engagements", "es": "Compromisos", "ar": "الالتزامات"}
NPLURALS = {"fr": 2, "es": 2, "ar": 6}

_spec = importlib.util.spec_from_file_location("catalogs", ROOT / "tools" / "i18n" / "catalogs.py")
catalogs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(catalogs)


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogs():
    """Django reads .mo files, which are built at install (dev.py) and not committed; build any
    missing or older than its .po (compilemessages skips the others)."""
    call_command("compilemessages", ignore=[".venv"], verbosity=0)


def _entries(lang):
    return catalogs.parse(catalogs.po_path(lang).read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogs_are_complete(lang):
    header, *entries = _entries(lang)
    assert f"nplurals={NPLURALS[lang]};" in header.msgstr[0]
    assert entries
    for entry in entries:
        assert not entry.fuzzy, entry.msgid
        assert all(form.strip() for form in entry.msgstr), f"untranslated: {entry.msgid!r}"
        if entry.msgid_plural is not None:
            assert len(entry.msgstr) == NPLURALS[lang], entry.msgid
        else:
            assert catalogs.placeholders(entry.msgstr[0]) == catalogs.placeholders(entry.msgid), entry.msgid


def test_catalogs_hold_every_string_of_the_sources(tmp_path):
    """Extract the strings from a copy of the sources, so a string added without refreshing the
    catalogs (tools/i18n/catalogs.py) fails here rather than showing up in English."""
    for folder in ("gcmtracker", "recommendations", "events", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    catalogs.extract(["fr"], root=tmp_path)
    extracted = catalogs.parse((tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    committed = {entry.msgid for entry in _entries("fr")}
    missing = sorted(entry.msgid for entry in extracted[1:] if entry.msgid not in committed)
    assert not missing, f"run .venv/bin/python tools/i18n/catalogs.py; missing: {missing[:10]}"


def _public_urls():
    corridor = Corridor.objects.create(slug="i18n-corridor", name="Test corridor")
    CorridorState.objects.create(corridor=corridor, state=State.objects.get(iso2="DE"), role="destination", order=1)
    return [
        reverse("recommendations:dashboard"),
        reverse("recommendations:commitment-list"),
        reverse("recommendations:commitment-detail", args=[3]),
        reverse("recommendations:state-list"),
        reverse("recommendations:state-detail", args=["DE"]),
        reverse("recommendations:recommendation-list"),
        reverse("recommendations:recommendation-detail", args=["gfmd-bp-key-03"]),
        reverse("events:event-list"),
        reverse("events:event-detail", args=["thematic-session-1"]),
        reverse("events:document-list"),
        reverse("events:document-detail", args=["issue-brief-1"]),
        reverse("accountability:disagreement-list"),
        reverse("accountability:corridor-list"),
        reverse("accountability:corridor-detail", args=["i18n-corridor"]),
        reverse("login"),
    ]


def _assert_page_in(html, lang):
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert COMMITMENTS[lang] in html
    assert 'class="language-switcher"' in html
    for code in ("en", "fr", "es", "ar"):
        assert f'lang="{code}" hreflang="{code}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", *LANGUAGES])
def test_every_public_page_type_renders_in_each_language(client, lang):
    with translation.override(lang):
        urls = _public_urls()
    for url in urls:
        assert lang == "en" or url.startswith(f"/{lang}/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_page_in(response.content.decode(), lang)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_focal_points_work_pages_render_in_each_language(client, focal_point_france, implementation_france, lang):
    client.force_login(focal_point_france)
    with translation.override(lang):
        urls = [reverse("staff:my-work"), reverse("staff:implementation", args=[implementation_france.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_page_in(response.content.decode(), lang)


def switcher_links(html: str) -> dict[str, str]:
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    return {code: url for url, code in re.findall(r'<a href="([^"]*)" lang="(\w+)"', switcher)}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", *LANGUAGES])
def test_the_language_switcher_links_the_same_page_in_every_language(client, lang):
    """Issue 19: from /fr/ or /ar/ the old POST form could only come back to French or Arabic."""
    prefix = "" if lang == "en" else f"/{lang}"
    response = client.get(f"{prefix}/states/DE/?items=2")

    links = switcher_links(response.content.decode())

    assert links == {
        "en": "/states/DE/?items=2",
        "fr": "/fr/states/DE/?items=2",
        "es": "/es/states/DE/?items=2",
        "ar": "/ar/states/DE/?items=2",
    }
    for code, url in links.items():
        assert f'<html lang="{code}"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_public_pages_carry_no_csrf_token_or_cookie(client):
    response = client.get("/fr/states/DE/")
    assert b"csrfmiddlewaretoken" not in response.content
    assert "csrftoken" not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "name"), [("en", "Germany"), ("fr", "Allemagne"), ("es", "Alemania"), ("ar", "ألمانيا")]
)
def test_state_names_come_from_cldr_in_the_active_language(client, lang, name):
    with translation.override(lang):
        html = client.get(reverse("recommendations:state-detail", args=["DE"])).content.decode()
    assert f"<h1>{name}</h1>" in html


@pytest.mark.django_db
def test_observer_states_keep_their_un_names_in_every_language():
    palestine = State.objects.get(iso2="PS")
    with translation.override("fr"):
        assert palestine.localized_name == "État de Palestine"
    with translation.override("ar"):
        assert str(State.objects.get(iso2="VA")) == "الكرسي الرسولي"


@pytest.mark.django_db
def test_the_state_list_is_in_the_alphabetical_order_of_the_language(client):
    html = client.get("/fr/states/").content.decode()
    # Germany is "Allemagne" in French: before Angola, not among the G's.
    assert html.index(">Allemagne<") < html.index(">Angola<") < html.index(">Ghana<")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "shown"), [("en", "5 March 2024"), ("fr", "5 mars 2024"), ("es", "5 de marzo de 2024")]
)
def test_dates_are_written_the_way_each_language_writes_them(client, editor, lang, shown):
    implementation = Implementation.objects.get(state__iso2="DE", commitment__number=1)
    services.implementation_set_status(
        implementation=implementation,
        status=Status.IN_PROGRESS,
        actor=editor,
        comment="A test change.",
        effective_date=datetime.date(2024, 3, 5),
    )
    with translation.override(lang):
        html = client.get(reverse("recommendations:dashboard")).content.decode()
    assert shown in html


@pytest.mark.django_db
def test_source_texts_stay_in_english_with_a_note_and_show_an_official_translation(client):
    commitment = Commitment.objects.get(number=3)
    html = client.get("/fr/commitments/3/").content.decode()
    assert f'<blockquote class="source" lang="en" dir="ltr"><p>{commitment.text}</p></blockquote>' in html
    assert "Cité dans la langue de la source (anglais)." in html
    assert "Cité dans la langue" not in client.get("/commitments/3/").content.decode()

    commitment.translations = {"fr": "Texte officiel en français."}
    commitment.full_clean()
    commitment.save()
    html = client.get("/fr/commitments/3/").content.decode()
    assert "Traduction officielle" in html
    assert '<blockquote class="source" lang="fr"><p>Texte officiel en français.</p></blockquote>' in html


@pytest.mark.django_db
def test_only_the_interface_languages_hold_official_translations():
    from django.core.exceptions import ValidationError

    commitment = Commitment.objects.get(number=3)
    for bad in ({"de": "Text"}, {"fr": ""}, ["fr"]):
        commitment.translations = bad
        with pytest.raises(ValidationError):
            commitment.full_clean()


@pytest.mark.django_db
def test_the_admin_speaks_french(client, administrator):
    client.force_login(administrator)
    html = client.get("/fr/admin/recommendations/state/").content.decode()
    assert '<html lang="fr"' in html
    assert "États" in html and "Allemagne" in html
