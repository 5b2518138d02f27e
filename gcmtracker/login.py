"""The staff login page, with django-axes' brute-force limit said in advance.

Axes counts failed logins per username and address and refuses the login for a while once the
limit is reached; this view tells the person, after each wrong password, how many tries are left
and how long the block would last, so the lock-out is never a surprise.
"""

import datetime

from axes.helpers import get_client_ip_address, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def human_duration(delta: datetime.timedelta | None) -> str:
    """ "1 hour", "30 minutes", "1 hour and 30 minutes", "2 days": a lock-out's length as people say it."""
    if not delta:
        return ""
    minutes = round(delta.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes or not parts:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def failed_logins(request, username: str) -> int:
    """Failed logins axes holds against this username from this address."""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    attempts = AccessAttempt.objects.filter(username=username, ip_address=address)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginView(auth_views.LoginView):
    def get_default_redirect_url(self):
        """Staff to "My work"; a stakeholder contributor, who has no staff page, to their submissions."""
        from django.urls import reverse

        from recommendations import permissions

        if permissions.is_contributor(self.request.user):
            return reverse("stakeholders:mine")
        return super().get_default_redirect_url()

    def form_invalid(self, form):
        username = form.data.get("username", "")
        limit = get_failure_limit(self.request, {"username": username})
        left = max(limit - failed_logins(self.request, username), 0) if username else None
        return self.render_to_response(
            self.get_context_data(form=form, attempts_left=left, lockout_for=human_duration(get_cool_off(self.request)))
        )
