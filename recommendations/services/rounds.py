"""Longer than 400 lines: the round services share their checks, locks and scope touches;
split apart they would reach into each other's private helpers.

Writes of reporting rounds (issue 20, item 3): an editor opens a round (items, states, dates,
a message), edits it while it is open and closes it, which freezes each state's result; a focal
point confirms items unchanged ("no change, confirmed"), which counts them as reported in the
round; the scheduled reminders record what they sent, each kind once per state.

What counts as reported is `recommendations/rounds.py`. Every row written leaves a change record
(a reminder's is staff-only); the writes touch the aggregates and the scopes of the states they
concern, where the round's progress shows.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gcmtracker import scopes
from gcmtracker.validators import PlainTextValidator

from .. import permissions
from .. import rounds as selectors
from ..choices import Door, ReminderKind
from ..models import (
    Commitment,
    Implementation,
    Recommendation,
    ReportingRound,
    ReviewCycle,
    RoundConfirmation,
    RoundReminder,
    RoundStateResult,
    State,
)
from . import changes
from .context import door, service
from .logs import denied, logger
from .stale import StaleEdit

MAX_NOTE = 2000


def _resolve(model, values, key: str, pick, unknown_message: str) -> tuple[list, list[str]]:
    """The rows named by `values` (rows, or their natural keys); the keys not found."""
    rows, keys = [], []
    for value in values or ():
        if isinstance(value, model):
            rows.append(value)
        else:
            keys.append(str(value).strip())
    # Only keys of the right shape are looked up (a commitment number is digits): the others are missing.
    valid = [k for k in keys if k.isdigit()] if key == "number" else keys
    found = {pick(row): row for row in model.objects.filter(**{f"{key}__in": valid})} if valid else {}
    missing = [unknown_message % {"key": k} for k in keys if k not in found]
    rows += [found[k] for k in keys if k in found]
    return list({row.pk: row for row in rows}.values()), missing


def _states(values):
    return _resolve(
        State,
        [v.upper() if isinstance(v, str) else v for v in values or ()],
        "iso2",
        lambda s: s.iso2,
        _("There is no state with the code “%(key)s”."),
    )


def _commitments(values):
    return _resolve(Commitment, values, "number", lambda c: str(c.number), _("There is no commitment %(key)s."))


def _recommendations(values):
    return _resolve(Recommendation, values, "code", lambda r: r.code, _("There is no recommendation “%(key)s”."))


def _check_round(round: ReportingRound, states, commitments, recommendations, errors: dict) -> None:
    """Everything a round must say, checked before anything is written ({field: message})."""
    if not round.name.strip():
        errors.setdefault("name", _("Give the round a name."))
    if not states:
        errors.setdefault("states", _("Choose at least one state."))
    if not commitments and not recommendations:
        errors.setdefault("commitments", _("Choose at least one commitment or recommendation."))
    try:
        round.full_clean(exclude=["cycle", "opened_by", "closed_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, " ".join(messages))
    # After full_clean, which turned dates given as text into dates.
    dates_given = isinstance(round.opens_on, datetime.date) and isinstance(round.deadline, datetime.date)
    if dates_given and round.deadline < round.opens_on:
        errors.setdefault("deadline", _("The deadline cannot be before the opening date."))


def _touch(states) -> None:
    scopes.touch(scopes.AGGREGATES, *(scopes.state(state.iso2) for state in states))


def _opened_emails(round: ReportingRound) -> None:
    """Tell the round's focal points (and, when invited, the stakeholders) once the round is
    written: the email itself is `staff.notifications.round_opened`, when it exists."""
    from ..staff import notifications

    round_opened = getattr(notifications, "round_opened", None)
    if round_opened is not None:
        transaction.on_commit(lambda: round_opened(round))


@service
def round_open(
    *,
    actor,
    cycle: ReviewCycle,
    name: str,
    slug: str = "",
    opens_on: datetime.date,
    deadline: datetime.date,
    message: str = "",
    commitments: Iterable = (),
    recommendations: Iterable = (),
    states: Iterable = (),
    invite_stakeholders: bool = False,
    is_demo: bool = False,
    notify: bool = True,
) -> ReportingRound:
    """Open a round of a review cycle: which items (commitments and/or recommendations, as rows or
    their numbers and codes), which states (rows or ISO codes), when it opens, its deadline and a
    message to the focal points, who are emailed (`notify=False`: demo data). The slug is made
    from the name when none is given. Refused with {field: message}, nothing written, when a
    field is missing or wrong or the slug is taken."""
    if not permissions.can_manage_rounds(actor):
        raise denied(_("Only the secretariat opens reporting rounds."))
    errors = {}
    states, errors["states"] = _states(states)
    commitments, errors["commitments"] = _commitments(commitments)
    recommendations, errors["recommendations"] = _recommendations(recommendations)
    errors = {key: " ".join(found) for key, found in errors.items() if found}
    if not isinstance(cycle, ReviewCycle):
        errors["cycle"] = _("Choose the review cycle the round belongs to.")
    name, slug = (name or "").strip(), (slug or "").strip()
    if slug and ReportingRound.objects.filter(slug=slug).exists():
        errors["slug"] = _("A round with the slug “%(slug)s” exists already: choose another.") % {"slug": slug}
    elif not slug:
        slug = _free_slug(name)
    round = ReportingRound(
        cycle=cycle if isinstance(cycle, ReviewCycle) else None,
        name=name,
        slug=slug,
        opens_on=opens_on,
        deadline=deadline,
        message=(message or "").strip(),
        invite_stakeholders=bool(invite_stakeholders),
        opened_by=actor,
        is_demo=is_demo,
    )
    _check_round(round, states, commitments, recommendations, errors)
    if errors:
        raise ValidationError(errors)
    round.save()
    round.states.set(states)
    round.commitments.set(commitments)
    round.recommendations.set(recommendations)
    changes.record(actor=actor, instance=round, before={})
    _touch(states)
    if notify:
        _opened_emails(round)
    logger.info("reporting round opened", extra={"round": round.pk, "states": len(states)})
    return round


def _free_slug(name: str) -> str:
    base = slugify(name)[:40] or "round"
    taken = set(ReportingRound.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _lock(round: ReportingRound) -> ReportingRound:
    return ReportingRound.objects.select_for_update().get(pk=round.pk)


def _check_version(locked: ReportingRound, version: int | None) -> None:
    if version is not None and locked.version != version:
        logger.warning(
            "stale round edit refused",
            extra={"round": locked.pk, "expected_version": version, "current_version": locked.version},
        )
        raise StaleEdit(current=locked, changes=[])


def _refuse_closed(locked: ReportingRound) -> None:
    if locked.closed_at is not None:
        raise ValidationError(
            _("This round was closed on %(date)s: it can no longer be changed.")
            % {"date": formats.date_format(timezone.localtime(locked.closed_at))},
            code="closed",
        )


@service
def round_edit(
    *,
    actor,
    round: ReportingRound,
    version: int | None,
    name: str | None = None,
    deadline: datetime.date | None = None,
    message: str | None = None,
    states: Iterable | None = None,
    commitments: Iterable | None = None,
    recommendations: Iterable | None = None,
    invite_stakeholders: bool | None = None,
) -> ReportingRound:
    """Change what is given of an open round (None: unchanged). Refused once the round is closed,
    and when it changed since `version` (StaleEdit)."""
    if not permissions.can_manage_rounds(actor):
        raise denied(_("Only the secretariat changes reporting rounds."))
    locked = _lock(round)
    _check_version(locked, version)
    _refuse_closed(locked)
    before = changes.snapshot(locked)
    old_states = list(locked.states.all())
    errors = {}
    new = {}
    for key, given, resolve in (
        ("states", states, _states),
        ("commitments", commitments, _commitments),
        ("recommendations", recommendations, _recommendations),
    ):
        if given is None:
            new[key] = list(getattr(locked, key).all())
        else:
            new[key], missing = resolve(given)
            if missing:
                errors[key] = " ".join(missing)
    if name is not None:
        locked.name = name.strip()
    if deadline is not None:
        locked.deadline = deadline
    if message is not None:
        locked.message = message.strip()
    if invite_stakeholders is not None:
        locked.invite_stakeholders = bool(invite_stakeholders)
    _check_round(locked, new["states"], new["commitments"], new["recommendations"], errors)
    if errors:
        raise ValidationError(errors)
    locked.version += 1
    locked.save()
    for key in ("states", "commitments", "recommendations"):
        getattr(locked, key).set(new[key])
    changes.record(actor=actor, instance=locked, before=before)
    _touch({state.pk: state for state in [*old_states, *new["states"]]}.values())
    round.__dict__.update({key: getattr(locked, key) for key in ("name", "deadline", "message", "version")})
    return locked


@service
def round_close(*, actor, round: ReportingRound, version: int | None) -> ReportingRound:
    """Close a round: each state's result, as it stands now, is frozen into a RoundStateResult
    row (the round's snapshot); nothing reported later counts for it."""
    if not permissions.can_manage_rounds(actor):
        raise denied(_("Only the secretariat closes reporting rounds."))
    locked = _lock(round)
    _check_version(locked, version)
    _refuse_closed(locked)
    before = changes.snapshot(locked)
    locked.closed_at, locked.closed_by = timezone.now(), actor
    results = selectors.live_progress(locked)
    # One insert for the rows (both databases return their ids), one for their change records.
    frozen = RoundStateResult.objects.bulk_create(
        RoundStateResult(
            round=locked,
            state=found.state,
            items=found.items,
            reported=found.reported,
            confirmed=found.confirmed,
            completed_at=found.completed_at,
            last_reported_at=found.last_reported_at,
            late=found.late,
        )
        for found in results
    )
    changes.record_created(actor=actor, instances=frozen)
    locked.version += 1
    locked.save()
    changes.record(actor=actor, instance=locked, before=before)
    _touch(found.state for found in results)
    round.__dict__.update({key: getattr(locked, key) for key in ("closed_at", "closed_by_id", "version")})
    logger.info("reporting round closed", extra={"round": locked.pk, "states": len(results)})
    return locked


def _implementations(values) -> tuple[list[Implementation], list]:
    ids = [getattr(value, "pk", value) for value in values or ()]
    try:
        ids = list(dict.fromkeys(int(pk) for pk in ids))
    except (TypeError, ValueError):
        return [], ids
    found = {
        row.pk: row
        for row in Implementation.objects.filter(pk__in=ids).select_related("state", "commitment", "recommendation")
    }
    return [found[pk] for pk in ids if pk in found], [pk for pk in ids if pk not in found]


@service
def round_confirm_unchanged(
    *, actor, round: ReportingRound, implementations: Iterable, note: str = ""
) -> list[RoundConfirmation]:
    """Confirm items of a round unchanged ("no change, confirmed"): each then counts as reported
    in the round. All or none: refused, nothing written, when the round is closed or not open
    yet, an item is not in the round, the actor may not report it, or it is already reported in
    this round."""
    locked = _lock(round)  # one confirmation at a time per round, and none racing its close
    _refuse_closed(locked)
    if not locked.has_opened():
        raise ValidationError(
            _("This round opens on %(date)s: nothing can be confirmed in it yet.")
            % {"date": formats.date_format(locked.opens_on)},
            code="not_open",
        )
    found, missing = _implementations(implementations)
    if missing:
        raise ValidationError(
            {"implementations": _("There is no such tracked item: %(ids)s.") % {"ids": ", ".join(map(str, missing))}}
        )
    if not found:
        raise ValidationError({"implementations": _("Choose at least one item to confirm.")})
    in_round = set(
        selectors.round_implementations(locked).filter(pk__in=[i.pk for i in found]).values_list("pk", flat=True)
    )
    outside = [str(item) for item in found if item.pk not in in_round]
    if outside:
        raise ValidationError({"implementations": _("Not in this round: %(items)s.") % {"items": "; ".join(outside)}})
    refused = [str(item) for item in found if not permissions.can_confirm_in_round(actor, item)]
    if refused:
        raise denied(_("You may not report on %(items)s.") % {"items": "; ".join(refused)}, round=locked.pk)
    reported = selectors.reported_in_round(locked, [item.pk for item in found])
    already = [str(item) for item in found if item.pk in reported]
    if already:
        raise ValidationError(
            {
                "implementations": _("Already reported in this round, nothing to confirm: %(items)s.")
                % {"items": "; ".join(already)}
            }
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {
                "note": _("The note is too long (%(length)s characters; at most %(limit)s).")
                % {
                    "length": len(note),
                    "limit": MAX_NOTE,
                }
            }
        )
    try:
        PlainTextValidator(allow_newlines=True)(note)
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from None
    now, role = timezone.now(), permissions.user_role(actor) or ""
    confirmations = []
    for item in found:
        confirmation = RoundConfirmation.objects.create(
            round=locked,
            implementation=item,
            state=item.state,
            confirmed_by=actor,
            author_role=role,
            confirmed_at=now,
            note=note,
        )
        changes.record(actor=actor, instance=confirmation, before={})
        confirmations.append(confirmation)
    _touch({item.state_id: item.state for item in found}.values())
    logger.info("confirmed unchanged in a round", extra={"round": locked.pk, "items": len(found)})
    return confirmations


@service
def round_reminder_record(*, round: ReportingRound, state: State, kind: str, recipients: int) -> RoundReminder | None:
    """Record that the reminder `kind` went to `state` in `round` (the scheduled job's write, with
    no actor); None, nothing written, when it had been sent already."""
    if kind not in ReminderKind.values:
        raise ValidationError({"kind": _("Unknown kind of reminder: %(kind)s.") % {"kind": kind}})
    with door(Door.SCHEDULED):
        if RoundReminder.objects.filter(round=round, state=state, kind=kind).exists():
            return None
        try:
            with transaction.atomic():  # another scheduler process may have recorded it meanwhile
                reminder = RoundReminder.objects.create(
                    round=round, state=state, kind=kind, recipients=max(int(recipients), 0)
                )
        except IntegrityError:
            return None
        changes.record(actor=None, instance=reminder, before={})
    return reminder
