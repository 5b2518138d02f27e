"""The shared cache of public pages (gcmtracker/cache.py): hits make no query, a write shows at once."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, override_settings

from gcmtracker import cache as page_cache
from recommendations import services
from recommendations.choices import Status
from recommendations.models import Implementation

LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gcm-test"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "gcm-test",
    }
}


def redis_is_running() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS["default"]["LOCATION"], socket_connect_timeout=0.5).ping()
    except Exception:
        return False


BACKENDS = [
    pytest.param(LOCAL_MEMORY, id="local-memory"),
    pytest.param(
        REDIS,
        id="redis",
        marks=pytest.mark.skipif(not redis_is_running(), reason="no Redis at 127.0.0.1:6379"),
    ),
]


@pytest.fixture(params=BACKENDS)
def shared_cache(request, db):
    with override_settings(CACHES=request.param):
        page_cache.bump_data_version()
        yield cache


@pytest.fixture
def france_commitment_1(db):
    return Implementation.objects.select_related("state").get(state__iso2="FR", commitment__number=1)


def without_csrf_token(response) -> bytes:
    return page_cache.CSRF_FIELD.sub(b"", response.content)


def test_a_public_page_served_again_makes_no_query(client, shared_cache, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get("/")

    assert second["X-Cache"] == "hit"
    assert without_csrf_token(second) == without_csrf_token(first)


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
    assert dashboard_after["X-Cache"] == "miss"
    assert dashboard_after.content != dashboard_before
    state_after = client.get("/states/FR/").content.decode()
    assert "status-planned" in state_after


def test_the_version_is_replaced_again_when_the_write_commits(
    shared_cache, france_commitment_1, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.implementation_set_status(
            implementation=france_commitment_1, status=Status.PLANNED, actor=editor, comment="Planned."
        )
    before_commit = page_cache.data_version()

    for callback in callbacks:
        callback()

    assert callbacks
    assert page_cache.data_version() != before_commit


def test_a_lost_version_never_comes_back_as_an_old_one(shared_cache):
    old = page_cache.data_version()
    cache.delete(page_cache.DATA_VERSION_KEY)
    assert page_cache.data_version() != old


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
    assert not page_cache.CSRF_FIELD.search(page.content)
    assert 'href="/fr/"' in page.content.decode()
