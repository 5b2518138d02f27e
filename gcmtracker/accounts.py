"""Account pages that need more than django.contrib.auth gives: a throttled password reset.

Why not a library: django-axes (already here) counts failed logins only, and a rate-limit package
for one form is more to keep up to date than the fixed-window counter below, which runs on the
same cache as everything else (Redis in production, so every app server shares the counts).
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.utils.translation import gettext as _


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


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, at most PASSWORD_RESET_PER_ACCOUNT requests per address asked for
    and PASSWORD_RESET_PER_CLIENT per client IP in PASSWORD_RESET_WINDOW_SECONDS. Past either, the
    form answers 429 and sends nothing; the answer is the same whether the account exists or not."""

    def form_valid(self, form):
        window = settings.PASSWORD_RESET_WINDOW_SECONDS
        email = form.cleaned_data["email"].strip().lower()
        client = self.request.META.get("REMOTE_ADDR", "")
        # Both counters count every request, so neither can be used to probe the other.
        per_client = hit(f"reset:client:{client}", settings.PASSWORD_RESET_PER_CLIENT, window)
        per_account = hit(f"reset:account:{email}", settings.PASSWORD_RESET_PER_ACCOUNT, window)
        if not (per_client and per_account):
            form.add_error(
                None,
                _("Too many password reset requests. Wait %(minutes)d minutes, then ask again.")
                % {"minutes": max(1, window // 60)},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
