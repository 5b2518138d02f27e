"""The Redis cache backend shares one redis-py client a connection pool (`gcmtracker.redis_cache`)."""

import os
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from gcmtracker.redis_cache import RedisCache
from tests.cache_backends import REDIS_URL, redis_is_running

pytestmark = pytest.mark.skipif(not redis_is_running(), reason=f"no Redis at {REDIS_URL}")


def backend():
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"gcm-test-{uuid.uuid4().hex}"})


def test_one_client_serves_every_call_and_behaves_as_djangos():
    cache = backend()
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert isinstance(cache, DjangoRedisCache)
    cache.set("a", {"x": 1}, 30)
    cache.set_many({"b": 2, "c": 3}, 30)
    assert cache.get("a") == {"x": 1} and cache.get_many(["b", "c", "d"]) == {"b": 2, "c": 3}
    assert cache.add("a", 0, 30) is False and cache.add("e", 5, 30) is True
    cache.delete_many(["a", "b", "c", "e"])
    assert cache.get_many(["a", "b", "c", "e"]) == {}


def test_a_forked_child_uses_its_own_connections():
    cache = backend()
    cache.set("before", 1, 30)
    child = os.fork()
    if child == 0:  # the child reads and writes through the shared client: its pool reconnects
        ok = False
        try:
            ok = cache.get("before") == 1
            cache.set("from-child", 2, 30)
        finally:
            os._exit(0 if ok else 1)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.get("from-child") == 2 and cache.get("before") == 1
