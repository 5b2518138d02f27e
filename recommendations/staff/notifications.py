"""Emails to staff: a note to the new owner on assignment, a daily digest of overdue and
untouched items (`manage.py send_digests`, run by cron; see the command's help), and the
reporting rounds' notices: the opening (to the round's states' focal points, and to stakeholder
contributors when the round invites their reports), a reminder before the deadline and one after
it (`manage.py run_scheduled --only round-reminders`).

Both are plain text with absolute links built from settings.SITE_URL, and are queued as
background tasks (gcmtracker/mail.py: retried when sending fails, never a 500), sent with
Django's mail backend (console by default, SMTP when EMAIL_URL says so).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gcmtracker.mail import queue_email

from ..choices import OrganisationStatus, ReminderKind, Status
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
    return reverse("staff:my-work")


# --- Reporting rounds: the opening notice, and reminders before and after the deadline ------------

ROUND_REMINDER_DAYS = 7  # the "before" reminder goes out from this many days before the deadline
OPENING, BEFORE, AFTER = ReminderKind.OPENING, ReminderKind.BEFORE, ReminderKind.AFTER


def round_opened(round) -> int:
    """Tell the round's states' focal points that the round is open (and, when the round invites
    stakeholder reports, the contributors of approved organisations). Called once the round is
    saved (services.round_open, on commit); a round that opens on a later day is announced by the
    daily `round-reminders` job on that day instead. Returns the number of emails queued."""
    if round.closed_at is not None or round.opens_on > timezone.localdate():
        return 0
    return _round_notices(round, OPENING, timezone.localdate())


def send_round_reminders(*, today: datetime.date | None = None) -> list[tuple[str, str, int]]:
    """The daily job: for every open round, the opening notice to states not yet told (a round
    that opened today, a state added since), the reminder from ROUND_REMINDER_DAYS before the
    deadline, and one after it, each to the focal points of the states that have not reported
    everything yet, each at most once per state and kind (services.round_reminder_record).
    Returns (round slug, kind, emails queued) for each notice that went out."""
    from ..models import ReportingRound

    today = today or timezone.localdate()
    sent = []
    open_rounds = ReportingRound.objects.filter(closed_at__isnull=True, opens_on__lte=today).select_related("cycle")
    for round in open_rounds.order_by("deadline", "pk"):
        for kind in _kinds_due(round, today):
            count = _round_notices(round, kind, today)
            if count:
                sent.append((round.slug, kind, count))
    return sent


def _kinds_due(round, today: datetime.date) -> list[str]:
    kinds = [OPENING]
    if round.deadline - datetime.timedelta(days=ROUND_REMINDER_DAYS) <= today <= round.deadline:
        kinds.append(BEFORE)
    elif today > round.deadline:
        kinds.append(AFTER)
    return kinds


def _round_notices(round, kind: str, today: datetime.date) -> int:
    """One kind of notice of one round: each state not finished and not yet sent this kind is
    recorded as sent (with how many focal points it reached), and each focal point gets one email
    listing their states. Records and queued emails commit together: a failure sends nothing
    and records nothing, and the next run tries again."""
    from .. import permissions, rounds, services

    already = set(round.reminders.filter(kind=kind).values_list("state_id", flat=True))
    # A state with no item in the round (it tracks none of its recommendations) has nothing to do.
    waiting = [p for p in rounds.progress(round) if p.items and not p.done and p.state.pk not in already]
    if not waiting:
        return 0
    focal_points = permissions.focal_points_by_state([p.state.pk for p in waiting])
    first_opening = kind == OPENING and not already
    with transaction.atomic():
        by_user = {}
        for progress in waiting:
            people = [user for user in focal_points.get(progress.state.pk, ()) if user.email]
            if services.round_reminder_record(round=round, state=progress.state, kind=kind, recipients=len(people)):
                for user in people:
                    by_user.setdefault(user.pk, (user, []))[1].append(progress)
        for user, progresses in by_user.values():
            _queue_round_email(round, kind, user, progresses, today)
        invited = _invite_contributors(round) if first_opening and round.invite_stakeholders else 0
    return len(by_user) + invited


_ROUND_SUBJECTS = {
    OPENING: gettext_lazy("[GCM Tracker] Reporting round open: %(name)s, report by %(deadline)s"),
    BEFORE: gettext_lazy("[GCM Tracker] Reminder: %(name)s, report by %(deadline)s"),
    AFTER: gettext_lazy("[GCM Tracker] Late: %(name)s, the deadline was %(deadline)s"),
}


def _round_context(round, today: datetime.date) -> dict:
    return {
        "round": round,
        "deadline": round.deadline,
        "days_left": (round.deadline - today).days,
        "my_work_url": absolute_url(_reverse_my_work()),
        "public_url": absolute_url(round.get_absolute_url()),
    }


def _queue_round_email(round, kind: str, user, progresses, today: datetime.date) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {**_round_context(round, today), "person": user, "kind": kind, "progresses": progresses}
        subject = str(_ROUND_SUBJECTS[kind]) % {"name": round.name, "deadline": round.deadline.isoformat()}
        body = render_to_string("staff/email/round_notice.txt", context)
    queue_email(subject=subject, body=body, to=[user.email], kind=f"round-{kind}")


def _invite_contributors(round) -> int:
    """One email to each confirmed contributor of an approved organisation (never one email to
    them all: contributors do not see each other's addresses)."""
    from ..models import Contributor

    contributors = (
        Contributor.objects.filter(
            organisation__status=OrganisationStatus.APPROVED, email_confirmed_at__isnull=False, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user", "organisation")
    )
    count = 0
    states = list(round.states.order_by("name"))
    with translation.override(settings.LANGUAGE_CODE):
        shared = {
            **_round_context(round, timezone.localdate()),
            "submit_url": absolute_url(reverse("stakeholders:submit")),
            "states": states,
        }
        for contributor in contributors:
            context = {**shared, "person": contributor.user, "organisation": contributor.organisation}
            subject = _("[GCM Tracker] Stakeholder reports invited: %(name)s") % {"name": round.name}
            body = render_to_string("staff/email/round_invitation.txt", context)
            queue_email(subject=subject, body=body, to=[contributor.user.email], kind="round-invitation")
            count += 1
    return count
