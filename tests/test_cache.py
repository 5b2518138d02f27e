"""The shared cache of public pages (gcmtracker/cache.py): hits make no query, a write shows at once."""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from gcmtracker import cache as page_cache
from gcmtracker import scopes
from recommendations import services
from recommendations.choices import Status
from recommendations.models import Implementation
from tests import cache_backends

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken"')


@pytest.fixture(params=cache_backends.WITHOUT_QUERIES)
def shared_cache(request, db):
    switched = cache_backends.use(request.param)
    yield cache
    switched.disable()


@pytest.fixture
def france_commitment_1(db):
    return Implementation.objects.select_related("state").get(state__iso2="FR", commitment__number=1)


def test_a_public_page_served_again_makes_no_query(client, shared_cache, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get("/")

    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_downloads_and_api_reads_are_cached_too(client, shared_cache, django_assert_num_queries):
    for url in ("/recommendations/?format=csv", "/api/v1/states/?format=json"):
        assert client.get(url)["X-Cache"] == "miss"
        with django_assert_num_queries(0):
            assert client.get(url)["X-Cache"] == "hit"


def test_a_status_update_is_visible_on_the_dashboard_and_state_page_as_soon_as_it_is_saved(
    client, shared_cache, france_commitment_1, editor
):
    dashboard_before = client.get("/").content
    state_before = client.get("/states/FR/").content.decode()
    assert "status-planned" not in state_before
    assert client.get("/")["X-Cache"] == "hit"

    services.implementation_set_status(
        implementation=france_commitment_1,
        status=Status.PLANNED,
        actor=editor,
        comment="A national action plan is announced.",
    )

    dashboard_after = client.get("/")
    assert dashboard_after.get("X-Cache") != "hit"
    assert dashboard_after.content != dashboard_before
    state_after = client.get("/states/FR/").content.decode()
    assert "status-planned" in state_after


def test_the_versions_change_when_the_write_commits_and_not_before(
    shared_cache, france_commitment_1, editor, django_capture_on_commit_callbacks
):
    shown = [scopes.state("FR"), scopes.commitment(1), scopes.AGGREGATES]
    before = scopes.versions(shown)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.implementation_set_status(
            implementation=france_commitment_1, status=Status.PLANNED, actor=editor, comment="Planned."
        )
    assert scopes.versions(shown) == before
    assert set(shown) <= scopes.pending()

    for callback in callbacks:
        callback()

    after = scopes.versions(shown)
    assert all(after[scope] != before[scope] for scope in shown)
    assert not scopes.pending()


def test_a_write_that_rolls_back_retires_nothing(shared_cache, france_commitment_1, editor):
    shown = [scopes.state("FR"), scopes.commitment(1), scopes.AGGREGATES]
    before = scopes.versions(shown)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.implementation_set_status(
            implementation=france_commitment_1, status=Status.PLANNED, actor=editor, comment="Planned."
        )
        raise RuntimeError("the request failed after the write")

    assert scopes.versions(shown) == before


def test_a_lost_version_never_comes_back_as_an_old_one(shared_cache):
    old = scopes.versions([scopes.state("FR")])
    cache.delete(scopes.VERSION_KEY.format(scopes.state("FR")))
    assert scopes.versions([scopes.state("FR")]) != old


def test_logged_in_staff_always_get_a_fresh_page(client, shared_cache, editor):
    client.force_login(editor)
    client.get("/")

    response = client.get("/")

    assert "X-Cache" not in response
    assert response.wsgi_request.user == editor


def test_api_clients_with_a_token_are_not_served_from_the_cache(client, shared_cache):
    client.get("/api/v1/states/")

    response = client.get("/api/v1/states/", HTTP_AUTHORIZATION="Token not-checked-here")

    assert "X-Cache" not in response


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/staff/", "/accounts/login/", "/evidence/1/file/", "/i18n/setlang/", "/healthz", "/en/staff/"],
)
def test_private_paths_are_never_cached(path):
    assert page_cache._is_private_path(path)


@pytest.mark.parametrize("path", ["/", "/states/FR/", "/recommendations/", "/api/v1/states/", "/feeds/"])
def test_public_paths_are_cached(path):
    assert not page_cache._is_private_path(path)


def test_a_response_that_sets_a_cookie_is_not_cached(rf):
    with_cookie = HttpResponse("page")
    with_cookie.set_cookie("flavour", "chocolate")

    assert not page_cache._is_cacheable_response(rf.get("/"), with_cookie)


def test_a_page_served_from_the_cache_carries_no_per_visitor_token(shared_cache):
    """The language switcher is links now (issue 18): a cached public page has no form that
    needs a CSRF token, so every visitor gets the same bytes and no cookie."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert first.get("/")["X-Cache"] == "miss"

    page = second.get("/")

    assert page["X-Cache"] == "hit"
    assert "csrftoken" not in page.cookies
    assert not CSRF_FIELD.search(page.content)
    assert 'href="/fr/"' in page.content.decode()


def test_a_public_page_carries_validators_and_says_how_long_to_keep_it(client, shared_cache, settings):
    settings.CACHE_HTTP_MAX_AGE, settings.CACHE_HTTP_STALE_SECONDS = 10, 30
    for response in (client.get("/states/FR/"), client.get("/states/FR/")):
        assert response["ETag"].startswith('W/"')
        assert response["Cache-Control"] == "public, max-age=10, stale-while-revalidate=30"
        assert "Cookie" in response["Vary"]
    assert client.get("/fr/states/FR/")["ETag"] != response["ETag"]  # each language its own


def test_if_none_match_gets_a_304_without_rendering(client, shared_cache, django_assert_num_queries):
    etag = client.get("/states/FR/")["ETag"]

    with django_assert_num_queries(0):
        response = client.get("/states/FR/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["X-Cache"] == "revalidated"
    assert client.get("/states/FR/", HTTP_IF_NONE_MATCH='W/"something-else"').status_code == 200


def test_if_modified_since_gets_a_304_once_the_second_of_the_last_write_is_over(client, shared_cache, monkeypatch):
    import time

    scopes.versions([scopes.REFERENCE, scopes.state("KE")])  # made now
    later = time.time() + 5
    monkeypatch.setattr(time, "time", lambda: later)
    page = client.get("/states/KE/")
    last_modified = page["Last-Modified"]

    assert client.get("/states/KE/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get("/states/KE/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200
    # If-None-Match wins over If-Modified-Since when both are sent.
    both = client.get("/states/KE/", HTTP_IF_MODIFIED_SINCE=last_modified, HTTP_IF_NONE_MATCH='W/"old"')
    assert both.status_code == 200


def test_no_last_modified_while_its_second_could_still_hold_a_write(client, shared_cache):
    scopes.bump([scopes.state("KE")])
    assert "Last-Modified" not in client.get("/states/KE/")
    assert client.get("/states/KE/")["ETag"]


def test_a_committed_write_changes_the_etag_of_the_pages_it_shows_on_only(
    client, shared_cache, france_commitment_1, editor, django_capture_on_commit_callbacks
):
    france, kenya = client.get("/states/FR/")["ETag"], client.get("/states/KE/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_set_status(
            implementation=france_commitment_1, status=Status.PLANNED, actor=editor, comment="Planned."
        )
    scopes.forget_pending()

    stale = client.get("/states/FR/", HTTP_IF_NONE_MATCH=france)
    assert stale.status_code == 200 and stale["ETag"] != france
    assert client.get("/states/KE/", HTTP_IF_NONE_MATCH=kenya).status_code == 304


def test_staff_get_no_304_and_no_public_cache_control(client, shared_cache, editor):
    etag = client.get("/states/FR/")["ETag"]
    client.force_login(editor)

    response = client.get("/states/FR/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/states/FR/", ["reference", "state:FR"]),
        ("/states/fr/", ["reference", "state:FR"]),  # the view takes either case
        ("/commitments/3/", ["reference", "commitment:3"]),
        ("/feeds/states/KE.atom", ["reference", "state:KE"]),
        ("/feeds/commitments/2.atom", ["reference", "commitment:2"]),
        ("/", ["reference", "aggregates"]),
        ("/api/v1/implementations/", ["reference", "aggregates"]),
    ],
)
def test_each_page_folds_in_the_scopes_it_shows(path, shown):
    """A renamed URL would quietly fall back to the aggregates (correct, but retired by every write)."""
    from django.urls import resolve

    match = resolve(path)
    assert page_cache.page_scopes(match.view_name, match.kwargs) == shown


def test_every_url_name_of_the_scope_map_exists():
    from django.urls import get_resolver

    names = set()

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver())
    assert set(page_cache.PAGE_SCOPES) <= names
