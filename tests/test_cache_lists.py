"""Parts of the dashboard and the list pages kept in the shared cache under the reference scope
(`{% reference_part %}`; issue 18: 2).

Every public write retires these pages (they show the aggregates), but some of what they show is
reference data only: the recommendations browser (its list and its filter form), the dashboard's
events, the state list's filter form. A status or
evidence write renders the page again around those parts, read from the cache without their
queries; a write of the reference data they show (a recommendation's text, an event) shows on the next
request, in each language.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gcmtracker import scopes
from recommendations import services
from recommendations.choices import Status
from recommendations.models import Implementation, Recommendation, Theme
from tests.factories import EvidenceFactory
from tests.test_fragments import fragment_reads

LANGUAGES = ("", "/fr", "/es", "/ar")
_asked = iter(range(10**6))


def get(client, url: str) -> tuple[str, list[str]]:
    """The page rendered again (another Accept header misses the page cache), and its queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT=f"text/html, x-test/{next(_asked)};q=0.1")
    assert response.status_code == 200 and response["X-Cache"] == "miss"
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def pages(client, url: str) -> dict[str, str]:
    return {prefix: get(client, prefix + url)[0] for prefix in LANGUAGES}


def write(django_capture_on_commit_callbacks, do):
    with django_capture_on_commit_callbacks(execute=True):
        do()
    scopes.forget_pending()  # read the committed write as any other connection does


def france(commitment=1) -> Implementation:
    return Implementation.objects.select_related("state", "commitment", "recommendation").get(
        state__iso2="FR", commitment__number=commitment
    )


def status_write(editor, commit):
    return lambda: services.implementation_set_status(
        implementation=france(), status=Status.PLANNED, actor=editor, comment="A plan."
    )


def evidence_write(editor, commit):
    """Publishing evidence (added beforehand: the factory writes outside the services, which
    retires everything)."""
    evidence = None

    def add():
        nonlocal evidence
        evidence = EvidenceFactory(implementation=france(), title="Law 2024-12 on equal treatment")

    write(commit, add)
    return lambda: services.evidence_verify(evidence=evidence, actor=editor, publish=True)


def recommendation_list(html: str) -> str:
    found = re.search(r"<h1>.*</main>", html, re.S)
    assert found
    return found[0]


RECOMMENDATION_QUERIES = ('SELECT "recommendations_recommendation"', 'SELECT COUNT(*) AS "__count"')


@pytest.mark.parametrize("url", ["/recommendations/", "/recommendations/?theme=issue-area-a&page=2"])
@pytest.mark.parametrize("kind", [status_write, evidence_write], ids=["status", "evidence"])
def test_the_recommendations_list_is_kept_through_status_and_evidence_writes(
    client, public_cache, editor, django_capture_on_commit_callbacks, url, kind
):
    do = kind(editor, django_capture_on_commit_callbacks)
    _html, cold = get(client, url)
    assert any(sql.startswith(RECOMMENDATION_QUERIES) for sql in cold)
    before = pages(client, url)
    write(django_capture_on_commit_callbacks, do)
    _html, warm = get(client, url)
    assert not [sql for sql in warm if sql.startswith(RECOMMENDATION_QUERIES)]
    assert not [sql for sql in warm if "events_" in sql or "recommendations_theme" in sql]  # nor its form's
    for language, html in pages(client, url).items():
        assert recommendation_list(html) == recommendation_list(before[language]), language


def test_an_edited_recommendation_shows_in_the_list_in_every_language(
    client, public_cache, administrator, django_capture_on_commit_callbacks
):
    before = pages(client, "/recommendations/")
    first = Recommendation.objects.order_by("document__date", "document__title", "order").first()
    assert f'id="rec-{first.code}"' in before[""]
    first.text = "A new wording of the first recommendation."
    write(django_capture_on_commit_callbacks, lambda: services.record_save(actor=administrator, instance=first))
    for language, html in pages(client, "/recommendations/").items():
        assert "A new wording of the first recommendation." in html, language
        assert "A new wording" not in before[language]


def test_the_recommendations_list_is_rendered_with_the_cache_off(client, db, administrator, settings):
    settings.CACHE_SECONDS = 0
    first = Recommendation.objects.order_by("document__date", "document__title", "order").first()
    client.get("/recommendations/")
    Recommendation.objects.filter(pk=first.pk).update(text="Changed behind the services' back.")
    assert "Changed behind the services" in client.get("/recommendations/").content.decode()


def events(html: str) -> str:
    found = re.search(r'<section aria-labelledby="events-heading">.*?</section>', html, re.S)
    assert found
    return found[0]


@pytest.mark.parametrize("kind", [status_write, evidence_write], ids=["status", "evidence"])
def test_the_dashboards_events_are_kept_through_status_and_evidence_writes(
    client, public_cache, editor, django_capture_on_commit_callbacks, kind
):
    do = kind(editor, django_capture_on_commit_callbacks)
    _html, cold = get(client, "/")
    assert any("events_event" in sql for sql in cold)
    before = pages(client, "/")
    write(django_capture_on_commit_callbacks, do)
    html, warm = get(client, "/")
    assert not [sql for sql in warm if "events_event" in sql]
    assert events(html) == events(before[""])
    for language, html in pages(client, "/").items():
        assert events(html) == events(before[language]), language


def test_an_edited_event_shows_on_the_dashboard_in_every_language(
    client, public_cache, django_capture_on_commit_callbacks
):
    from events.models import Event
    from recommendations.public.queries import upcoming_and_recent_events

    upcoming, recent = upcoming_and_recent_events()
    shown = Event.objects.get(pk=(upcoming or recent)[0].pk)
    before = pages(client, "/")
    assert shown.title in events(before[""])

    def rename():
        shown.title = "A renamed meeting on migrants' rights"
        shown.save()

    write(django_capture_on_commit_callbacks, rename)
    for language, html in pages(client, "/").items():
        assert "A renamed meeting on migrants&#x27; rights" in events(html), language


def filters(html: str) -> str:
    found = re.search(r'<form method="get" class="filters" role="search".*?</form>', html, re.S)
    assert found
    return found[0]


def test_the_state_lists_filter_form_is_kept_until_the_reference_data_changes(
    client, public_cache, editor, administrator, monkeypatch, django_capture_on_commit_callbacks
):
    url = "/states/?sort=-evidence&map=evidence"
    found = fragment_reads(monkeypatch, reference=True)
    before = pages(client, url)
    assert found == [(1, 0)] * 4  # one part a language, rendered and kept
    write(django_capture_on_commit_callbacks, status_write(editor, django_capture_on_commit_callbacks))
    after = pages(client, url)
    assert found[4:] == [(1, 1)] * 4  # from the cache, in each language
    for language, html in after.items():
        assert filters(html) == filters(before[language]), language
        assert '<input type="hidden" name="sort" value="-evidence">' in filters(html)
    theme = Theme.objects.first()
    theme.name = "A renamed theme"
    write(django_capture_on_commit_callbacks, lambda: services.record_save(actor=administrator, instance=theme))
    pages(client, url)
    assert found[8:] == [(1, 0)] * 4  # a reference write retires it in each language


def test_the_state_list_after_a_status_write_reads_only_the_states_with_their_counts(
    client, public_cache, editor, django_capture_on_commit_callbacks
):
    """The filter form and the number of commitments are reference data, kept; the states with
    their kept counts are one query, which shows the write."""
    get(client, "/states/?sort=-reported")
    write(django_capture_on_commit_callbacks, status_write(editor, django_capture_on_commit_callbacks))
    html, queries = get(client, "/states/?sort=-reported")
    assert len(queries) == 1 and re.match(r'SELECT .*? FROM "recommendations_state"', queries[0]), queries
    first_row = re.search(r"<table class=\"compact state-table\">.*?<tbody>\s*<tr>(.*?)</tr>", html, re.S)
    assert first_row and "France" in first_row[1]  # the one state with a report, first
