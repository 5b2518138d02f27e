"""Django's Redis cache backend, with one redis-py client per connection pool instead of one a call.

Django's `RedisCacheClient.get_client` builds a `redis.Redis` object for every cache call (its
option parsing and callback tables included): after a status write, a page's fragments, parts and
scope versions took about 150 of them, some 2 ms of a render (issue 18). A `redis.Redis` client
is safe to share between threads (each command takes a connection from the pool), and its pool
notices a fork and opens new connections in the child, so one client a pool is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
