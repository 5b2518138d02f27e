"""Sections of the state and commitment pages kept under facets of their page's scope
(`gcmtracker.scopes.facet`, `gcmtracker.cache.Parts`; issue 18: 2).

A status write retires the page but not its evidence, its indicators or (on a commitment) its
recommendation rows: the page is rendered again around those sections, read from the cache
without their queries. Every other public write of the state (evidence published or unpublished,
a measurement, a position) retires the sections too, and a status write on a recommendation its
rows. Each case reads the section itself, in each language, not only the page: a stale section
on a page that changed elsewhere would pass a page-level comparison.
"""

import datetime
import re
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from gcmtracker import scopes
from gcmtracker.remembered import Remembered
from recommendations import services
from recommendations.choices import Direction, Status
from recommendations.models import Evidence, Implementation, Indicator, Recommendation, State
from tests.factories import EvidenceFactory

LANGUAGES = ("", "/fr", "/es", "/ar")


def section(html: str, heading: str) -> str:
    found = re.search(rf'<section aria-labelledby="{heading}".*?</section>', html, re.S)
    assert found, heading
    return found[0]


@pytest.fixture
def france(db, administrator, editor, django_capture_on_commit_callbacks):
    """France with a tracked recommendation, a piece of published evidence and an indicator value."""
    state = State.objects.get(iso2="FR")
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_track(actor=administrator, state=state, recommendation=Recommendation.objects.first())
        evidence = EvidenceFactory(implementation=item(commitment=1), title="Law 2024-12 on equal treatment")
        services.evidence_verify(evidence=evidence, actor=editor, publish=True)
        indicator = Indicator.objects.create(
            commitment=item(commitment=1).commitment,
            code="firewall-share",
            name="Share of cities",
            unit="%",
            direction=Direction.HIGHER,
        )
        services.measurement_save(
            actor=editor, indicator=indicator, state=state, date=datetime.date(2024, 1, 1), value=42
        )
    scopes.forget_pending()
    return state


def item(*, commitment=None) -> Implementation:
    found = Implementation.objects.select_related("state", "commitment", "recommendation").filter(state__iso2="FR")
    if commitment is not None:
        return found.get(commitment__number=commitment)
    return found.get(recommendation__isnull=False)


def pages(client, url: str) -> dict[str, str]:
    """The page in each language, rendered (another Accept header each time misses the page cache)."""
    found = {}
    for prefix in LANGUAGES:
        response = client.get(prefix + url, HTTP_ACCEPT=f"text/html, x-test/{len(found)}-{id(found)};q=0.1")
        assert response.status_code == 200 and response["X-Cache"] == "miss"
        found[prefix] = response.content.decode()
    return found


def write(django_capture_on_commit_callbacks, do):
    with django_capture_on_commit_callbacks(execute=True):
        do()
    scopes.forget_pending()  # read the committed write as any other connection does


def test_a_status_write_keeps_the_evidence_indicators_and_recommendations_of_the_state_page(
    client, public_cache, france, editor, django_capture_on_commit_callbacks
):
    with CaptureQueriesContext(connection) as queries:  # every section missed, read and kept
        client.get("/states/FR/", HTTP_ACCEPT="text/html, x-test/cold;q=0.1")
    cold = [q["sql"] for q in queries.captured_queries]  # now: the next request empties the query log
    before = pages(client, "/states/FR/")
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(commitment=1), status=Status.PLANNED, actor=editor, comment="A plan."
        ),
    )
    with CaptureQueriesContext(connection) as queries:
        after = client.get("/states/FR/", HTTP_ACCEPT="text/html, x-test/warm;q=0.1").content.decode()
    warm = [q["sql"] for q in queries.captured_queries]
    assert "status-planned" in section(after, "commitments-heading")
    # The three sections came from the cache: their queries (the recommendations' page, the
    # evidence's ids and rows, the measurements) were not run.
    section_queries = (
        'SELECT "recommendations_measurement"',
        'SELECT "recommendations_evidence"',
        'SELECT "recommendations_implementation"."id" AS "pk", COUNT(',  # a page of recommendations
    )
    assert sum(sql.startswith(section_queries) for sql in cold) >= 3
    assert not [sql for sql in warm if sql.startswith(section_queries)]
    for language, html in pages(client, "/states/FR/").items():
        for heading in ("recommendations-heading", "evidence-heading", "indicators-heading"):
            assert section(html, heading) == section(before[language], heading), (language, heading)
        assert "status-planned" in section(html, "commitments-heading")
    assert "Law 2024-12" in section(after, "evidence-heading") and "42" in section(after, "indicators-heading")


def test_a_status_write_on_a_recommendation_shows_in_the_state_pages_recommendations(
    client, public_cache, france, editor, django_capture_on_commit_callbacks
):
    before = pages(client, "/states/FR/")
    assert "status-planned" not in section(before[""], "recommendations-heading")
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(), status=Status.PLANNED, actor=editor, comment="A plan."
        ),
    )
    for language, html in pages(client, "/states/FR/").items():
        assert "status-planned" in section(html, "recommendations-heading"), language
        assert section(html, "evidence-heading") == section(before[language], "evidence-heading")


@pytest.mark.parametrize("publish", [True, False], ids=["published", "unpublished"])
def test_evidence_published_or_unpublished_shows_in_the_evidence_of_both_pages(
    client, public_cache, france, editor, django_capture_on_commit_callbacks, publish
):
    evidence = None

    def add():
        nonlocal evidence
        evidence = EvidenceFactory(implementation=item(commitment=1), title="Decree 2025-3 on access to services")

    write(django_capture_on_commit_callbacks, add)
    if not publish:
        write(
            django_capture_on_commit_callbacks,
            lambda: services.evidence_verify(evidence=evidence, actor=editor, publish=True),
        )
    before = {url: pages(client, url) for url in ("/states/FR/", "/commitments/1/")}
    assert ("Decree 2025-3" in section(before["/states/FR/"][""], "evidence-heading")) is not publish
    if publish:
        do = lambda: services.evidence_verify(evidence=Evidence.objects.get(pk=evidence.pk), actor=editor, publish=True)  # noqa: E731
    else:
        do = lambda: services.evidence_unpublish(evidence=Evidence.objects.get(pk=evidence.pk), actor=editor)  # noqa: E731
    write(django_capture_on_commit_callbacks, do)
    for url in before:
        for language, html in pages(client, url).items():
            assert ("Decree 2025-3" in section(html, "evidence-heading")) is publish, (url, language)


def test_a_measurement_shows_in_the_state_pages_indicators(
    client, public_cache, france, editor, django_capture_on_commit_callbacks
):
    pages(client, "/states/FR/")
    write(
        django_capture_on_commit_callbacks,
        lambda: services.measurement_save(
            actor=editor,
            indicator=Indicator.objects.get(code="firewall-share"),
            state=france,
            date=datetime.date(2025, 1, 1),
            value=57,
        ),
    )
    for language, html in pages(client, "/states/FR/").items():
        assert "57" in section(html, "indicators-heading"), language


def test_the_commitment_pages_evidence_follows_a_status_filter_and_is_kept_without_one(
    client, public_cache, france, editor, django_capture_on_commit_callbacks
):
    plain = pages(client, "/commitments/1/")
    filtered = client.get("/commitments/1/?status=planned", HTTP_ACCEPT="text/html, x-test/f1;q=0.1").content.decode()
    assert "Law 2024-12" not in section(filtered, "evidence-heading")  # France is not at "planned" yet
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(commitment=1), status=Status.PLANNED, actor=editor, comment="A plan."
        ),
    )
    filtered = client.get("/commitments/1/?status=planned", HTTP_ACCEPT="text/html, x-test/f2;q=0.1").content.decode()
    assert "Law 2024-12" in section(filtered, "evidence-heading")
    for language, html in pages(client, "/commitments/1/").items():
        assert section(html, "evidence-heading") == section(plain[language], "evidence-heading")


def test_as_of_pages_and_pages_of_a_pending_write_render_their_sections(
    client, public_cache, france, editor, django_capture_on_commit_callbacks
):
    today = datetime.date.today().isoformat()
    client.get(f"/states/FR/?as_of={today}")
    services.evidence_unpublish(evidence=Evidence.objects.get(title__startswith="Law 2024-12"), actor=editor)
    # Not committed (the test's transaction never is): this thread sees its write at once.
    html = client.get(f"/states/FR/?as_of={today}", HTTP_ACCEPT="text/html, x-test/p;q=0.1").content.decode()
    assert "Law 2024-12" not in section(html, "evidence-heading")
    html = client.get("/states/FR/", HTTP_ACCEPT="text/html, x-test/q;q=0.1").content.decode()
    assert "Law 2024-12" not in section(html, "evidence-heading")


def test_touching_a_scope_touches_its_facets_and_a_facet_its_scope():
    france = scopes.state("FR")
    assert scopes.expand([france]) == {france, *(f"{france}#{name}" for name in scopes.FACETS)}
    assert scopes.expand([scopes.facet(france, "statuses")]) == {france, f"{france}#statuses"}
    assert scopes.expand([scopes.AGGREGATES, scopes.recommendation("X")]) == {scopes.AGGREGATES, "recommendation:X"}


def test_a_facet_touched_retires_its_page_and_no_other_facet(public_cache, django_capture_on_commit_callbacks):
    france = scopes.state("FR")
    before = scopes.versions(scopes.expand([france]))
    with django_capture_on_commit_callbacks(execute=True):
        scopes.touch(scopes.facet(france, "statuses"))
    after = scopes.versions(before)
    changed = {scope for scope in before if before[scope] != after[scope]}
    assert changed == {france, f"{france}#statuses"}


@pytest.mark.parametrize("url", ["/states/FR/", "/commitments/1/"])
def test_stakeholder_reports_are_kept_while_there_are_none_and_follow_the_status_once_there_are(
    client, public_cache, france, editor, contributor, django_capture_on_commit_callbacks, url
):
    """An empty list is kept under the `voices` facet; a list with reports gives each item's
    current status beside them, so a status write shows in it at once."""
    assert "No stakeholder report" in section(pages(client, url)[""], "stakeholders-heading")

    def approve():
        report = services.report_submit(
            actor=contributor, state="FR", commitment=1, assessment=Status.PLANNED, narrative="Seen in 2025."
        )
        services.report_moderate(actor=editor, report=report, decision="approve")

    write(django_capture_on_commit_callbacks, approve)
    for language, html in pages(client, url).items():
        assert "Seen in 2025." in section(html, "stakeholders-heading"), language
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(commitment=1), status=Status.IN_PROGRESS, actor=editor, comment="A law is drafted."
        ),
    )
    for language, html in pages(client, url).items():
        with translation.override(language.strip("/") or "en"):
            label = str(Status.IN_PROGRESS.label)
        assert f"<strong>{label}</strong>" in section(html, "stakeholders-heading"), language


@pytest.mark.parametrize("url", ["/states/FR/", "/commitments/1/"])
def test_a_render_reads_each_scopes_version_once(client, public_cache, france, monkeypatch, url):
    """The page, its sections, its rows and its reference parts share one read of each version."""
    from django.core.cache import caches

    cache = caches["default"]
    asked = []
    get_many = cache.get_many

    def spy(keys, *args, **kwargs):
        keys = list(keys)
        asked.extend(key for key in keys if key.startswith("scope:v:"))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", spy)
    pages(client, url)
    asked.clear()
    client.get(url, HTTP_ACCEPT="text/html, x-test/once;q=0.1")
    assert asked and len(asked) == len(set(asked)), sorted(asked)


def test_parts_are_kept_only_where_the_page_could_be_cached_and_not_as_of_a_date(rf):
    from gcmtracker.cache import Parts, may_keep

    request = rf.get("/states/FR/")
    request.gcm_page = None  # staff, the cache off or a write pending: the page is not kept
    assert not may_keep(request) and not Parts(request, {}).keeps
    request.gcm_page = object()
    assert may_keep(request) and Parts(request, {}).keeps
    assert not may_keep(request, keep=False) and not Parts(request, {}, keep=False).keeps


def header(html: str) -> str:
    return re.search(r'<header class="site-header">.*?</header>', html, re.S)[0]


def test_the_site_header_is_kept_per_address_and_language_and_never_for_a_logged_in_user(
    client, public_cache, france, editor, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from gcmtracker import cache as page_cache

    read = []  # (asked, found) at each read of the header from the cache

    class Spy:
        def __getattr__(self, name):
            return getattr(cache, name)

        def get_many(self, keys, *args, **kwargs):
            keys, result = list(keys), cache.get_many(keys, *args, **kwargs)
            if any(sys._getframe(depth).f_locals.get("part") == "reference:header" for depth in range(1, 6)):
                read.append((len(keys), len(result)))
            return result

    monkeypatch.setattr(page_cache, "cache", Spy())
    monkeypatch.setattr(Remembered, "in_use", staticmethod(lambda: False))  # every read reaches the cache
    before = pages(client, "/states/FR/")
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(commitment=1), status=Status.IN_PROGRESS, actor=editor, comment="Drafted."
        ),
    )
    after = pages(client, "/states/FR/")
    assert read == [(1, 0)] * 4 + [(1, 1)] * 4  # rendered once per language, then from the cache
    for prefix in LANGUAGES:
        assert header(after[prefix]) == header(before[prefix])
        assert 'href="/fr/states/FR/"' in header(after[prefix]) and 'href="/states/FR/"' in header(after[prefix])
    kenya = client.get("/ar/states/KE/?page=2", HTTP_ACCEPT="text/html, x-test/ke;q=0.1").content.decode()
    assert 'href="/fr/states/KE/?page=2"' in header(kenya)  # each address its own links
    assert "Staff login" in header(before[""])
    client.force_login(editor)
    staff = client.get("/states/FR/").content.decode()
    assert "Log out" in header(staff) and "Staff login" not in header(staff)
