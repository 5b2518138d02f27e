"""Fragments of public pages this process has seen, in front of the shared cache (issue 18)."""

import threading
from collections import OrderedDict

from django.conf import settings


class Remembered:
    """The markup of fragments this process has read from the shared cache or written to it, by
    key, the most recently used kept up to `limit` characters. A fragment's key names everything
    its markup depends on (its scopes' versions, the language, the day, what else varies), so the
    markup of a key never changes: the copy here is as good as the shared one and costs no round
    trip (a commitment page after a write asked Redis for its parts in seven round trips, most of
    them for parts this worker had just rendered or read). Not in front of a local-memory cache,
    which is this process's already."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.items: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def in_use() -> bool:
        return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")

    def get_many(self, cache, keys) -> dict:
        """The fragments of `keys` remembered here, then those `cache` holds (remembered)."""
        if not self.in_use():
            return cache.get_many(keys)
        with self.lock:
            found = {key: self.items[key] for key in keys if key in self.items}
            for key in found:
                self.items.move_to_end(key)
        missing = [key for key in keys if key not in found]
        if missing:
            shared = cache.get_many(missing)
            self.remember(shared)
            found.update(shared)
        return found

    def set_many(self, cache, values: dict) -> None:
        cache.set_many(values, settings.CACHE_SECONDS)
        if self.in_use():
            self.remember(values)

    def remember(self, values: dict) -> None:
        with self.lock:
            for key, value in values.items():
                if not isinstance(value, str) or key in self.items:
                    continue  # markup only: any other value is a mutable object, unpickled afresh each time
                self.items[key] = value
                self.size += len(value)
            while self.size > self.limit and self.items:
                self.size -= len(self.items.popitem(last=False)[1])

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


REMEMBERED = Remembered(limit=16_000_000)  # characters (at most ~64 MB a worker; ~2,000 parts)
