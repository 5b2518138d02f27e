"""What a process remembers of the shared cache (gcmtracker.remembered): a fragment's key names
everything its markup depends on, so a copy kept in the process answers for it. With Redis, a
page rendered again after a write asks Redis only for the parts this process has not seen, and
reads exactly as it does without the copies; the copies stay within their limit, are only
markup, and are not kept in front of a local-memory cache."""

import re

import pytest
from django.utils.safestring import mark_safe

from gcmtracker import cache as page_cache
from gcmtracker import scopes
from gcmtracker.remembered import Remembered
from recommendations import services
from recommendations.choices import Status
from recommendations.models import Implementation
from tests import cache_backends

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(db):
    if not cache_backends.redis_is_running():
        pytest.skip(f"no Redis at {cache_backends.REDIS_URL}")
    switched = cache_backends.use(cache_backends.REDIS)
    yield
    switched.disable()


def fragment_keys_asked(monkeypatch) -> list:
    asked = []
    shared = page_cache.cache

    class Spy:
        def __getattr__(self, name):
            return getattr(shared, name)

        def get_many(self, keys, *args, **kwargs):
            keys = list(keys)
            asked.extend(key for key in keys if key.startswith("gcm:fragment:"))
            return shared.get_many(keys, *args, **kwargs)

    monkeypatch.setattr(page_cache, "cache", Spy())
    return asked


def render(client, url, n) -> str:
    response = client.get(url, HTTP_ACCEPT=f"text/html, x-test/{n};q=0.1")
    assert response.status_code == 200 and response["X-Cache"] == "miss"
    return re.sub(r"timeline-\d+", "timeline-N", response.content.decode())


@pytest.mark.parametrize("url", ["/commitments/1/", "/fr/states/FR/"])
def test_after_a_write_redis_is_asked_only_for_the_parts_this_process_has_not_seen(
    client, redis_cache, editor, monkeypatch, url, django_capture_on_commit_callbacks
):
    asked = fragment_keys_asked(monkeypatch)
    render(client, url, 1)
    every_part = len(asked)  # the first render asked for every part (and rendered them)
    france = Implementation.objects.select_related("state", "commitment").get(state__iso2="FR", commitment__number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_set_status(implementation=france, status=Status.PLANNED, actor=editor, comment="c")
    scopes.forget_pending()

    asked.clear()
    remembered = render(client, url, 2)
    after_write = len(asked)
    monkeypatch.setattr(Remembered, "in_use", staticmethod(lambda: False))
    asked.clear()
    shared = render(client, url, 3)

    assert after_write <= 3, asked  # France's row, and what is not markup (the timeline's counts)
    assert len(asked) >= every_part > 5  # without the copies, every part is asked of Redis
    assert remembered == shared


def test_the_copies_stay_within_their_limit_the_least_recently_used_going_first(redis_cache):
    from django.core.cache import cache

    memory = Remembered(limit=10)
    memory.set_many(cache, {"a": "xxxx", "b": "yyyy"})
    assert memory.get_many(cache, ["a"]) == {"a": "xxxx"}  # a is now the most recently used
    memory.set_many(cache, {"c": mark_safe("zzzz")})
    assert list(memory.items) == ["a", "c"] and memory.size == 8
    cache.delete("b")
    assert memory.get_many(cache, ["a", "b", "c"]) == {"a": "xxxx", "c": "zzzz"}  # b is gone from both


def test_only_markup_is_kept_a_mutable_value_is_read_afresh_each_time(redis_cache):
    from django.core.cache import cache

    memory = Remembered(limit=1000)
    memory.set_many(cache, {"counts": [{"planned": 1}], "markup": "<p>x</p>"})
    assert list(memory.items) == ["markup"]
    first, second = memory.get_many(cache, ["counts"])["counts"], memory.get_many(cache, ["counts"])["counts"]
    assert first == second and first is not second


def test_no_copies_in_front_of_a_local_memory_cache(client, settings):
    settings.CACHES = cache_backends.LOCAL_MEMORY
    from django.core.cache import cache

    memory = Remembered(limit=1000)
    memory.set_many(cache, {"a": "markup"})
    assert not memory.in_use() and not memory.items and memory.get_many(cache, ["a"]) == {"a": "markup"}
