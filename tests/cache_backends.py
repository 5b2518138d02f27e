"""The cache backends the public cache is tested on: local memory, the database cache (the
development default) and Redis (production; skipped cleanly when no Redis answers)."""

import os
import uuid

import pytest
from django.test import override_settings

from gcmtracker import scopes
from gcmtracker.remembered import REMEMBERED

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gcm-test"}}
DATABASE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gcm_cache"}}
REDIS = {
    "default": {
        "BACKEND": "gcmtracker.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        # use() gives each block a fresh prefix instead: emptying Redis (FLUSHDB) would also empty
        # the cache of any other test run or server sharing this Redis database.
        "KEY_PREFIX": "gcm-test",
    }
}


def redis_is_running() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        return False


REDIS_PARAM = pytest.param(
    REDIS, id="redis", marks=pytest.mark.skipif(not redis_is_running(), reason=f"no Redis at {REDIS_URL}")
)
# Where a hit must make no query at all (the database cache's reads are queries).
WITHOUT_QUERIES = [pytest.param(LOCAL_MEMORY, id="local-memory"), REDIS_PARAM]
ALL = [pytest.param(LOCAL_MEMORY, id="local-memory"), pytest.param(DATABASE, id="database"), REDIS_PARAM]


def use(caches):
    """Switch the default cache to `caches` for the block, empty, with nothing pending."""
    from django.core.cache import cache
    from django.core.management import call_command

    fresh_prefix = caches is REDIS  # starts it empty without emptying what others keep in that database
    if fresh_prefix:
        caches = {"default": {**REDIS["default"], "KEY_PREFIX": f"gcm-test-{uuid.uuid4().hex}"}}
    settings = override_settings(CACHES=caches, CACHE_SECONDS=300)
    settings.enable()
    try:
        if caches is DATABASE:  # the suite's database was migrated with the local-memory cache
            call_command("createcachetable", verbosity=0)
        if not fresh_prefix:
            cache.clear()
    except BaseException:
        settings.disable()
        raise
    scopes.forget_pending()
    REMEMBERED.clear()  # what this process remembered of the cache before
    return settings


@pytest.fixture(params=WITHOUT_QUERIES)
def public_cache(request, db):
    """The shared cache on, on each backend whose hits make no query (a plugin of the suite,
    tests/conftest.py: a module that tests other backends defines its own `public_cache`)."""
    switched = use(request.param)
    yield
    switched.disable()
