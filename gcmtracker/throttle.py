"""A fixed-window counter on the shared cache (Redis in production, so every app server shares
the counts): the password reset (`accounts.py`) and the stakeholder registrations and
submissions (`recommendations/stakeholders/views.py`) are throttled with it."""

from django.core.cache import cache


def hit(key: str, limit: int, seconds: int) -> bool:
    """Count one attempt under `key` in a fixed window of `seconds`; False once past `limit`."""
    key = f"ratelimit:{key}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count <= limit
