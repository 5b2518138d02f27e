"""Emails to staff: a note to the new owner on assignment, and a daily digest of overdue and
untouched items (`manage.py send_digests`, run by cron; see the command's help).

Both are plain text with absolute links built from settings.SITE_URL, and are queued as
background tasks (gcmtracker/mail.py: retried when sending fails, never a 500), sent with
Django's mail backend (console by default, SMTP when EMAIL_URL says so).
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gcmtracker.mail import queue_email

from ..choices import Status
from ..models import Implementation

# A due date on an item in one of these states is met: it is neither overdue nor untouched.
DONE_STATUSES = (Status.IMPLEMENTED, Status.NOT_APPLICABLE)
DUE_SOON_DAYS = 30


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def overdue_q(today: datetime.date) -> Q:
    return Q(due_date__lt=today) & ~Q(status__in=DONE_STATUSES)


def due_soon_q(today: datetime.date) -> Q:
    return Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)) & ~Q(
        status__in=DONE_STATUSES
    )


def untouched_q(today: datetime.date) -> Q:
    """No status update for OWNER_UNTOUCHED_AFTER_DAYS (an item never updated counts from its creation)."""
    cutoff = today - datetime.timedelta(days=settings.OWNER_UNTOUCHED_AFTER_DAYS)
    never_updated_since = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return (Q(last_reviewed__lt=cutoff) | Q(last_reviewed__isnull=True, created_at__lt=never_updated_since)) & ~Q(
        status__in=DONE_STATUSES
    )


def notify_assignment(*, implementation: Implementation, owner, actor) -> bool:
    """Tell the new owner what they were given. Nobody is told about their own assignment."""
    if owner is None or not owner.email or owner == actor:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "owner": owner,
            "implementation": implementation,
            "url": absolute_url(implementation.get_absolute_url()),
            "my_work_url": absolute_url(_reverse_my_work()),
        }
        subject = _("[GCM Tracker] Assigned to you: %(item)s") % {"item": implementation}
        body = render_to_string("staff/email/assignment.txt", context)
    queue_email(subject=subject, body=body, to=[owner.email], kind="assignment")
    return True


def notify_assignments(*, owner, implementations: list[Implementation], actor) -> bool:
    """One email for everything an owner was given at once (an import): never one per row."""
    if len(implementations) == 1:
        return notify_assignment(implementation=implementations[0], owner=owner, actor=actor)
    if owner is None or not owner.email or owner == actor or not implementations:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        items = [{"implementation": item, "url": absolute_url(item.get_absolute_url())} for item in implementations]
        context = {"owner": owner, "items": items, "my_work_url": absolute_url(_reverse_my_work())}
        subject = ngettext(
            "[GCM Tracker] %(count)d item assigned to you", "[GCM Tracker] %(count)d items assigned to you", len(items)
        ) % {"count": len(items)}
        body = render_to_string("staff/email/assignments.txt", context)
    queue_email(subject=subject, body=body, to=[owner.email], kind="assignments")
    return True


def digest_items(today: datetime.date):
    """Every owner's overdue and untouched items, in one query, grouped by owner."""
    rows = (
        Implementation.objects.filter(owner__isnull=False, owner__is_active=True)
        .exclude(owner__email="")
        .filter(overdue_q(today) | untouched_q(today))
        .select_related("owner", "state", "commitment", "recommendation")
        .order_by("owner_id", "due_date", "state__name", "commitment__number", "recommendation__code")
    )
    cutoff = today - datetime.timedelta(days=settings.OWNER_UNTOUCHED_AFTER_DAYS)
    by_owner = {}
    for implementation in rows:
        _owner, items = by_owner.setdefault(
            implementation.owner_id, (implementation.owner, {"overdue": [], "untouched": []})
        )
        if implementation.due_date and implementation.due_date < today:
            items["overdue"].append(implementation)
        last = implementation.last_reviewed or timezone.localtime(implementation.created_at).date()
        if last < cutoff:
            items["untouched"].append(implementation)
    return list(by_owner.values())


def send_digests(*, today: datetime.date | None = None, dry_run: bool = False) -> list[tuple[str, int, int]]:
    """Queue one email per owner listing their overdue and untouched items. Returns, per owner,
    (email, overdue count, untouched count); with dry_run nothing is queued."""
    today = today or timezone.localdate()
    sent = []
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for owner, items in digest_items(today):
            context = {
                "owner": owner,
                "today": today,
                "overdue": items["overdue"],
                "untouched": items["untouched"],
                "untouched_days": settings.OWNER_UNTOUCHED_AFTER_DAYS,
                "site_url": settings.SITE_URL.rstrip("/"),
                "my_work_url": absolute_url(_reverse_my_work()),
            }
            subject = _("[GCM Tracker] Your items: %(overdue)d overdue, %(untouched)d untouched") % {
                "overdue": len(items["overdue"]),
                "untouched": len(items["untouched"]),
            }
            body = render_to_string("staff/email/digest.txt", context)
            messages.append((subject, body, owner.email))
            sent.append((owner.email, len(items["overdue"]), len(items["untouched"])))
    if not dry_run:
        for subject, body, email in messages:
            queue_email(subject=subject, body=body, to=[email], kind="digest")
    return sent


def _reverse_my_work() -> str:
    from django.urls import reverse

    return reverse("staff:my-work")
