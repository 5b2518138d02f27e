"""Site-wide search (issue 19): every kind, in every language, on SQLite and PostgreSQL, with a
fixed number of queries."""

import pytest
from django.db import connection
from django.urls import reverse

from recommendations import services
from recommendations.choices import Role
from recommendations.models import Implementation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:search")


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    settings.CACHE_SECONDS = 0


@pytest.fixture
def evidence():
    """Kenya's published law and France's unpublished one, both on commitment 3."""
    editor = UserFactory(username="zq-search-editor", role=Role.EDITOR)
    made = {}
    for iso2, publish in (("KE", True), ("FR", False)):
        implementation = Implementation.objects.get(state__iso2=iso2, commitment__number=3)
        item = services.evidence_add(
            implementation=implementation,
            actor=editor,
            title=f"Zanzibarian child protection act of {iso2}",
            kind="law",
            url=f"https://example.org/{iso2}",
        )
        if publish:
            services.evidence_verify(evidence=item, actor=editor, publish=True)
        made[iso2] = item
    return made


def results(client, q, prefix=""):
    response = client.get(prefix + URL, {"q": q})
    assert response.status_code == 200
    return response.context["groups"], response.content.decode()


def kind(groups, name):
    return next(item["group"] for item in groups if item["kind"] == name)


def test_a_word_finds_commitments_and_recommendations_grouped_by_kind(client):
    groups, html = results(client, "detention")
    assert [c.number for c in kind(groups, "commitments").items] == [2, 3]
    assert kind(groups, "recommendations").total >= 1
    assert 'id="results-commitments"' in html and 'id="results-recommendations"' in html
    assert 'id="results-states"' not in html  # a kind with nothing found is left out


def test_states_are_found_by_their_name_in_the_pages_language_accents_aside(client):
    groups, _ = results(client, "allemagne", prefix="/fr")
    assert [s.iso2 for s in kind(groups, "states").items] == ["DE"]
    groups, _ = results(client, "cote d'ivoire")
    assert [s.iso2 for s in kind(groups, "states").items] == ["CI"]
    groups, _ = results(client, "KEN")
    assert "KE" in [s.iso2 for s in kind(groups, "states").items]


def test_commitments_are_found_by_their_translated_short_title(client):
    groups, html = results(client, "enfants migrants", prefix="/fr")
    assert 3 in [c.number for c in kind(groups, "commitments").items]
    assert "Mettre fin à la détention" in html


def test_events_and_documents_are_found(client):
    groups, _ = results(client, "Budapest")
    assert kind(groups, "events").total >= 1
    groups, _ = results(client, "Issue Brief")
    assert kind(groups, "documents").total >= 1


def test_only_published_evidence_is_found(client, evidence):
    groups, html = results(client, "Zanzibarian")
    assert [e.pk for e in kind(groups, "evidence").items] == [evidence["KE"].pk]
    assert "of FR" not in html


def test_a_kind_with_more_results_than_shown_links_to_its_list_page_with_the_same_query(client):
    groups, html = results(client, "migrants")
    recommendations = kind(groups, "recommendations")
    assert recommendations.total > len(recommendations.items) == 10
    assert '/recommendations/?q=migrants"' in html
    listed = client.get("/recommendations/", {"q": "migrants"}).context["page"].paginator.count
    assert listed == recommendations.total


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's full-text search")
def test_postgresql_finds_other_forms_of_a_word_and_ranks_them():
    from recommendations.search import site_search

    singular = {group.kind: group.total for group in site_search("migrant")}
    plural = {group.kind: group.total for group in site_search("migrants")}
    assert singular["recommendations"] == plural["recommendations"] > 0


@pytest.mark.parametrize("q", ["detention", "migrants", "child", "zzzz-nothing"])
def test_the_search_makes_at_most_thirteen_queries_whatever_it_finds(client, django_assert_max_num_queries, q):
    # states 1, commitments 2, and for each of the five other kinds (stakeholder reports since
    # issue 20) a count, then a page if any.
    with django_assert_max_num_queries(13):
        client.get(URL, {"q": q})


def test_a_search_that_finds_nothing_counts_each_kind_once(client, django_assert_num_queries):
    with django_assert_num_queries(8):
        client.get(URL, {"q": "zzzz-nothing"})


def test_an_empty_search_shows_the_form_only(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(URL)
    assert response.status_code == 200 and b'id="search-q"' in response.content


def test_a_search_too_long_is_refused_with_a_message(client):
    response = client.get(URL, {"q": "x" * 201})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/fr", "/es", "/ar"])
def test_every_page_has_the_search_box_in_every_language(client, prefix):
    html = client.get(prefix + "/").content.decode()
    assert f'action="{prefix}/search/"' in html and 'name="q"' in html
    page = client.get(prefix + URL, {"q": "detention"}).content.decode()
    assert "detention" in page
