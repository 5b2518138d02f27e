"""Reporting rounds, the secretariat's side (/staff/rounds/): the editors' list of rounds, the form
that opens one, the round's page (progress per state, who is late, editing its name, deadline and
message, closing it), and the "no change, confirmed" door focal points use from My work.

The reads come from `recommendations/rounds.py` (a constant number of queries per round, however
many states and items); every write is a service of `services/rounds.py`, which checks the
permission again. Bad input is refused with the form's message and nothing written; an edit or a
close over someone else's newer change is refused (409) with what changed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import rounds, services
from ..choices import RegionalGroup
from ..models import ReportingRound
from ..permissions import editor_required, staff_required
from .forms import RoundCloseForm, RoundConfirmForm, RoundEditForm, RoundForm


def _round_for(pk) -> ReportingRound:
    return get_object_or_404(ReportingRound.objects.select_related("cycle", "opened_by", "closed_by"), pk=pk)


def _attach(exc: ValidationError, form) -> None:
    """A service's ValidationError on the fields it names, the rest on the form as a whole."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- The list of rounds ------------------------------------------------------------------------------


@editor_required
@require_GET
def round_list(request):
    """Open rounds with their progress (all of them in a constant number of queries), then closed
    ones with the counts of their frozen results."""
    base = ReportingRound.objects.select_related("cycle").order_by("-opens_on", "-pk")
    open_rounds = list(base.filter(closed_at__isnull=True))
    progresses = rounds.progress_of_rounds(open_rounds)
    for round in open_rounds:
        round.summary = rounds.summary(round, progresses[round.pk])
    closed = base.filter(closed_at__isnull=False).annotate(
        state_count=Count("results", distinct=True),
        reported_count=Count("results", distinct=True, filter=Q(results__reported=F("results__items"))),
    )
    return render(request, "staff/round_list.html", {"open_rounds": open_rounds, "closed_rounds": closed})


# --- Opening a round -----------------------------------------------------------------------------------


def _state_groups(form) -> list[dict]:
    """The states of the form, by regional group, each marked as ticked or not: the template lays
    them out under their group's own "all of them" box."""
    ticked = {str(value) for value in form["states"].value() or ()}
    groups_ticked = set(form["regional_groups"].value() or ())
    by_group = {value: [] for value in RegionalGroup.values}
    for state in form.fields["states"].queryset:
        by_group[state.regional_group].append({"state": state, "checked": str(state.pk) in ticked})
    return [
        {
            "value": value,
            "label": label,
            "checked": value in groups_ticked,
            "states": by_group[value],
            "open": any(item["checked"] for item in by_group[value]),
        }
        for value, label in RegionalGroup.choices
        if by_group[value]
    ]


def _render_new(request, form, status=200):
    context = {"form": form, "state_groups": _state_groups(form)}
    return render(request, "staff/round_new.html", context, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    if request.method == "GET":
        return _render_new(request, RoundForm())
    form = RoundForm(request.POST)
    if not form.is_valid():
        return _render_new(request, form, status=400)
    data = form.cleaned_data
    try:
        round = services.round_open(
            actor=request.user,
            cycle=data["cycle"],
            name=data["name"],
            opens_on=data["opens_on"],
            deadline=data["deadline"],
            message=data["message"],
            commitments=list(data["commitments"]),
            recommendations=list(data["recommendations"]),
            states=data["chosen_states"],
            invite_stakeholders=data["invite_stakeholders"],
        )
    except ValidationError as exc:
        _attach(exc, form)
        return _render_new(request, form, status=400)
    count = len(data["chosen_states"])
    if round.opens_on > timezone.localdate():
        text = ngettext(
            "Round opened for %(count)d state. Its focal points will be told by email on %(date)s.",
            "Round opened for %(count)d states. Their focal points will be told by email on %(date)s.",
            count,
        )
    else:
        text = ngettext(
            "Round opened for %(count)d state. Its focal points are told by email.",
            "Round opened for %(count)d states. Their focal points are told by email.",
            count,
        )
    messages.success(request, text % {"count": count, "date": round.opens_on.isoformat()})
    return redirect("staff:round", round.pk)


# --- One round: progress, edit, close ------------------------------------------------------------------


def _render_round(request, round, *, edit_form=None, close_form=None, conflict=None, status=200):
    progresses = rounds.progress(round)
    today = timezone.localdate()
    past_deadline = round.is_past_deadline(today)
    initial = {"version": round.version}
    context = {
        "round": round,
        "summary": rounds.summary(round, progresses),
        "groups": rounds.by_regional_group(progresses),
        "past_deadline": past_deadline,
        "behind": [p for p in progresses if past_deadline and not p.done] if round.is_open else [],
        "late": [p for p in progresses if p.late],
        "commitments": list(round.commitments.order_by("number")),
        "recommendations": list(round.recommendations.order_by("code")),
        "edit_form": edit_form
        or RoundEditForm(initial={**initial, "name": round.name, "deadline": round.deadline, "message": round.message}),
        "close_form": close_form or RoundCloseForm(initial=initial),
        "conflict": conflict,
    }
    return render(request, "staff/round_detail.html", context, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    round = _round_for(pk)
    if request.method == "GET":
        return _render_round(request, round)
    action = request.POST.get("action")
    if action == "edit":
        return _edit(request, round)
    if action == "close":
        return _close(request, round)
    messages.error(request, _("Nothing was saved: the page sent an unknown action. Reload it and try again."))
    return _render_round(request, round, status=400)


def _edit(request, round):
    form = RoundEditForm(request.POST)
    if not form.is_valid():
        return _render_round(request, round, edit_form=form, status=400)
    data = form.cleaned_data
    try:
        services.round_edit(
            actor=request.user,
            round=round,
            version=data["version"],
            name=data["name"],
            deadline=data["deadline"],
            message=data["message"],
        )
    except services.StaleEdit as exc:
        return _stale(request, exc, edit_form=RoundEditForm(initial={**data, "version": _current(round).version}))
    except ValidationError as exc:
        _attach(exc, form)
        return _render_round(request, round, edit_form=form, status=400)
    messages.success(request, _("Round saved."))
    return redirect("staff:round", round.pk)


def _close(request, round):
    form = RoundCloseForm(request.POST)
    if not form.is_valid():
        return _render_round(request, round, close_form=form, status=400)
    try:
        services.round_close(actor=request.user, round=round, version=form.cleaned_data["version"])
    except services.StaleEdit as exc:
        return _stale(request, exc)
    except ValidationError as exc:
        _attach(exc, form)
        return _render_round(request, round, close_form=form, status=400)
    messages.success(request, _("Round closed. Each state's result is frozen as it stood."))
    return redirect("staff:round", round.pk)


def _current(round) -> ReportingRound:
    return _round_for(round.pk)


def _stale(request, exc, *, edit_form=None):
    """Refuse a save over a newer version: the page again, with the round as it is now, what was
    typed kept under the new version (so a second, informed save goes through)."""
    current = _current(exc.current)
    conflict = {"message": str(exc), "name": current.name, "deadline": current.deadline, "message_now": current.message}
    return _render_round(
        request,
        current,
        edit_form=edit_form,
        close_form=RoundCloseForm(initial={"version": current.version}),
        conflict=conflict,
        status=409,
    )


# --- "No change, confirmed" ------------------------------------------------------------------------------


def _next_url(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("staff:my-work")


@staff_required
@require_POST
def round_confirm(request, pk):
    """Confirm one item or several of a round unchanged. All or none: any item not in the round,
    not the user's to report, already reported, or a round not open refuses the whole post."""
    round = _round_for(pk)
    back = _next_url(request)
    form = RoundConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([error for errors in form.errors.values() for error in errors])
        confirmed = services.round_confirm_unchanged(
            actor=request.user, round=round, implementations=form.cleaned_data["ids"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, _("Nothing was confirmed: %(reason)s") % {"reason": text})
        return redirect(back)
    count = len(confirmed)
    text = ngettext(
        "%(count)d item confirmed: no change in this round.",
        "%(count)d items confirmed: no change in this round.",
        count,
    )
    messages.success(request, text % {"count": count})
    return redirect(back)
