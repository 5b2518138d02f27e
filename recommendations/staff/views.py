"""Staff pages: my work (with the open reporting rounds), status and evidence editing, assignment,
evidence moderation and files.

Each view fetches through `_implementation_for` / `_evidence_for`, which ask `permissions`; each
write calls `services`. A page that edits an implementation carries its version, so a save over
someone else's newer change is refused (409) with a list of what changed.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import permissions, rounds, services
from ..choices import Status, Track
from ..filtersets import ImplementationFilterSet, any_labels
from ..models import ChangeRecord, Evidence, Implementation, ReportingRound, StatusUpdate
from ..permissions import editor_required, staff_required
from . import notifications
from .forms import AssignForm, EvidenceForm, StatusForm

RECENT_DAYS = 30
CHANGE_RECORDS_SHOWN = 50  # the implementation's admin History tab lists them all
LIST_PAGE_SIZE = 50
_ITEM_RELATIONS = ("state", "commitment", "recommendation")


def _implementation_for(request, pk) -> Implementation:
    """The implementation, if the user may edit it; another state's id answers 403."""
    implementation = get_object_or_404(Implementation.objects.select_related(*_ITEM_RELATIONS, "owner"), pk=pk)
    if not permissions.can_edit_implementation(request.user, implementation):
        raise PermissionDenied(_("%(state)s is not in your scope.") % {"state": implementation.state})
    return implementation


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- My work and lists ---------------------------------------------------------------------


@staff_required
@require_GET
def my_work(request):
    """What is assigned to me: overdue, due soon, untouched; and what changed lately on my items."""
    today = timezone.localdate()
    mine = Implementation.objects.filter(owner=request.user).select_related(*_ITEM_RELATIONS)
    recent = (
        StatusUpdate.objects.filter(
            implementation__owner=request.user,
            created_at__gte=timezone.now() - datetime.timedelta(days=RECENT_DAYS),
        )
        .select_related(*(f"implementation__{name}" for name in _ITEM_RELATIONS), "author")
        .order_by("-created_at", "-id")[:20]
    )
    context = {
        "overdue": mine.filter(notifications.overdue_q(today)).order_by("due_date"),
        "due_soon": mine.filter(notifications.due_soon_q(today)).order_by("due_date"),
        "untouched": mine.filter(notifications.untouched_q(today)).order_by("last_reviewed", "state__name"),
        "recent": recent,
        "assigned_count": mine.count(),
        "states": permissions.editable_states(request.user) if not permissions.is_editor(request.user) else None,
        "unverified_count": Evidence.objects.filter(verified=False).count()
        if permissions.is_editor(request.user)
        else None,
        "due_soon_days": notifications.DUE_SOON_DAYS,
        "untouched_days": settings.OWNER_UNTOUCHED_AFTER_DAYS,
        "recent_days": RECENT_DAYS,
        "round_work": _round_work(request.user, today),
        "round_editor": permissions.is_editor(request.user),
    }
    return render(request, "staff/my_work.html", context)


def _rounds_asking_for(implementation) -> list[ReportingRound]:
    """The running rounds this item is in (its state and its commitment or recommendation named):
    the page says a status update saved here counts for them. One query."""
    item = (
        Q(commitments=implementation.commitment_id)
        if implementation.commitment_id
        else Q(recommendations=implementation.recommendation_id)
    )
    return list(
        ReportingRound.objects.running()
        .filter(item, states=implementation.state_id)
        .distinct()
        .order_by("deadline", "pk")
        .only("pk", "name", "deadline")
    )


def _round_work(user, today) -> list[dict]:
    """The open rounds that include a state the user may edit: for a focal point, the progress of
    each of their states in it with the items left; for an editor, the round's overall progress.
    A constant number of queries per round (recommendations/rounds.py)."""
    work = []
    editor = permissions.is_editor(user)
    for round in rounds.open_rounds_for(user).select_related("cycle"):
        entry = {
            "round": round,
            "past_deadline": round.is_past_deadline(today),
            "days_left": (round.deadline - today).days,
        }
        if editor:
            entry["summary"] = rounds.summary(round, rounds.progress(round))
        else:
            entry["progresses"] = rounds.progress(round, states=permissions.editable_states(user), with_left=True)
        work.append(entry)
    return work


@staff_required
@require_GET
def implementation_list(request):
    """The implementations a user may edit (a focal point: their states), filtered as in public."""
    queryset = permissions.restrict_to_scope(
        Implementation.objects.select_related(*_ITEM_RELATIONS, "owner"), request.user
    )
    if request.GET.get("mine"):
        queryset = queryset.filter(owner=request.user)
    filterset = ImplementationFilterSet(request.GET or None, queryset=queryset)
    # A focal point is offered only the states they may edit.
    filterset.form.fields["state"].queryset = permissions.editable_states(request.user)
    any_labels(filterset.form)
    # An invalid filter (a state out of scope, a made-up status) matches nothing rather than everything.
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none()
    # Commitments first (a recommendation's commitment is NULL, which SQLite would sort first).
    order = ["state__name", F("commitment__number").asc(nulls_last=True), "recommendation__code"]
    page = Paginator(rows.order_by(*order), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    keep = {"mine": "1"} if request.GET.get("mine") else {}
    return render(request, "staff/implementation_list.html", {"filter": filterset, "page": page, "keep": keep})


# --- One implementation ----------------------------------------------------------------------


def _render_implementation(
    request,
    implementation,
    *,
    status_form=None,
    new_evidence_form=None,
    evidence_form=None,
    assign_form=None,
    conflict=None,
    http_status=200,
):
    user = request.user
    now = timezone.now().isoformat()
    initial = {"version": implementation.version, "loaded_at": now}
    evidence = list(implementation.evidence.select_related("added_by", "verified_by"))
    history = implementation.updates.select_related("author").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.only("id", "title", "implementation_id", "file", "url"))
    )
    can_assign = permissions.can_assign(user, implementation)
    context = {
        "implementation": implementation,
        "evidence_list": evidence,
        "history": history,
        "change_records": ChangeRecord.objects.filter(implementation=implementation).select_related(
            "actor", "content_type"
        )[:CHANGE_RECORDS_SHOWN],
        "status_form": status_form
        or StatusForm(
            initial={**initial, "track": Track.REPORTED, "status": implementation.status},
            implementation=implementation,
            user=user,
        ),
        "new_evidence_form": new_evidence_form or EvidenceForm(optional=True, prefix="new"),
        "evidence_form": evidence_form or EvidenceForm(prefix="evidence"),
        "assign_form": (
            assign_form
            or AssignForm(
                initial={
                    **initial,
                    "owner": implementation.owner_id,
                    "lead_agency": implementation.lead_agency,
                    "due_date": implementation.due_date,
                    "position": implementation.position,
                },
                implementation=implementation,
            )
        )
        if can_assign
        else None,
        "can_publish": permissions.is_editor(user),
        "conflict": conflict,
        "max_upload_size": settings.EVIDENCE_MAX_UPLOAD_BYTES,
        "rounds": _rounds_asking_for(implementation),
    }
    return render(request, "staff/implementation_detail.html", context, status=http_status)


@staff_required
@require_http_methods(["GET", "POST"])
def implementation_detail(request, pk):
    """The implementation page; a POST records a status update, with new evidence in the same write."""
    implementation = _implementation_for(request, pk)
    if request.method == "GET":
        return _render_implementation(request, implementation)

    status_form = StatusForm(request.POST, implementation=implementation, user=request.user)
    new_form = EvidenceForm(request.POST, request.FILES, optional=True, prefix="new")
    if status_form.is_valid() & new_form.is_valid():
        data = status_form.cleaned_data
        try:
            # One service: the new evidence (if any) and the status change commit together, and an
            # uploaded file is removed again if they do not.
            services.implementation_set_status(
                implementation=implementation,
                actor=request.user,
                track=data["track"],
                status=data["status"],
                effective_date=data["effective_date"],
                comment=data["comment"],
                rationale=data["rationale"],
                evidence=data["evidence"],
                new_evidence=None if new_form.is_empty else _new_evidence(new_form.cleaned_data),
                expected_version=data["version"],
            )
        except services.StaleEdit as exc:
            return _conflict(
                request, exc, data.get("loaded_at"), form="status", had_file=bool(new_form.cleaned_data.get("file"))
            )
        except ValidationError as exc:
            _attach_errors(exc, status_form, new_form)
        else:
            messages.success(request, _("Status recorded: %(status)s.") % {"status": Status(data["status"]).label})
            return redirect(implementation.get_absolute_url())
    return _render_implementation(
        request, implementation, status_form=status_form, new_evidence_form=new_form, http_status=400
    )


@staff_required
@require_POST
def evidence_add(request, pk):
    """Attach evidence without changing the status."""
    implementation = _implementation_for(request, pk)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if form.is_valid():
        try:
            _add_evidence(implementation, request.user, form.cleaned_data)
        except ValidationError as exc:
            _attach_errors(exc, None, form)
        else:
            messages.success(request, _("Evidence added. An editor will verify it before it can be published."))
            return redirect(implementation.get_absolute_url())
    return _render_implementation(request, implementation, evidence_form=form, http_status=400)


@staff_required
@require_POST
def implementation_assign(request, pk):
    """Editors set the owner, lead agency, due date and position; a new owner gets an email."""
    implementation = _implementation_for(request, pk)
    if not permissions.can_assign(request.user, implementation):
        raise PermissionDenied(_("Only the secretariat assigns owners and due dates."))
    form = AssignForm(request.POST, implementation=implementation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            # The service emails a new owner once the write commits.
            services.implementation_assign(
                implementation=implementation,
                actor=request.user,
                owner=data["owner"],
                lead_agency=data["lead_agency"],
                due_date=data["due_date"],
                position=data["position"],
                expected_version=data["version"],
            )
        except services.StaleEdit as exc:
            return _conflict(request, exc, data.get("loaded_at"), form="assign", submitted=data)
        except ValidationError as exc:
            _attach_errors(exc, form, None)
        else:
            messages.success(request, _("Assignment saved."))
            return redirect(implementation.get_absolute_url())
    return _render_implementation(request, implementation, assign_form=form, http_status=400)


def _new_evidence(data) -> services.NewEvidence:
    return services.NewEvidence(
        title=data["title"],
        kind=data["kind"],
        url=data.get("url") or "",
        file=data.get("file"),
        date=data.get("date"),
        description=data.get("description") or "",
    )


def _add_evidence(implementation, user, data) -> Evidence:
    new = _new_evidence(data)
    return services.evidence_add(implementation=implementation, actor=user, **new.__dict__)


_EVIDENCE_FIELDS = {"title", "kind", "date", "url", "file", "description"}


def _attach_errors(exc: ValidationError, main_form, evidence_form) -> None:
    """Put a service's ValidationError on the form field it names (or on the form as a whole)."""
    if not hasattr(exc, "error_dict"):
        (main_form or evidence_form).add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        if evidence_form is not None and field in _EVIDENCE_FIELDS:
            evidence_form.add_error(field, errors)
        elif main_form is not None and field in main_form.fields:
            main_form.add_error(field, errors)
        else:
            (main_form or evidence_form).add_error(None, errors)


def _conflict(request, exc: services.StaleEdit, loaded_at, *, form, had_file=False, submitted=None):
    """Refuse a stale save: show what changed since the page was loaded, keep what was typed
    (with the new version, so a second, informed submit goes through)."""
    current = exc.current
    implementation = Implementation.objects.select_related(*_ITEM_RELATIONS, "owner").get(pk=current.pk)
    if loaded_at:
        changes = list(implementation.updates.filter(created_at__gt=loaded_at).select_related("author"))
    else:
        changes = list(exc.changes)
    retry = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    retry.update(version=implementation.version, loaded_at=timezone.now().isoformat())
    conflict = {
        "message": str(exc),
        "changes": changes,
        "had_file": had_file,
        "form": form,
        "assignment": services.assignment_differences(implementation, submitted) if submitted else None,
    }
    kwargs = {}
    if form == "status":
        retry["evidence"] = request.POST.getlist("evidence")
        kwargs["status_form"] = StatusForm(initial=retry, implementation=implementation, user=request.user)
        kwargs["new_evidence_form"] = EvidenceForm(
            initial={key.removeprefix("new-"): value for key, value in retry.items() if key.startswith("new-")},
            optional=True,
            prefix="new",
        )
    else:
        kwargs["assign_form"] = AssignForm(initial=retry, implementation=implementation)
    return _render_implementation(request, implementation, conflict=conflict, http_status=409, **kwargs)


# --- Evidence moderation -----------------------------------------------------------------------


@editor_required
@require_GET
def evidence_review(request):
    """Evidence waiting for the secretariat: unverified first, then verified but not published."""
    base = Evidence.objects.select_related(
        *(f"implementation__{name}" for name in _ITEM_RELATIONS), "added_by", "verified_by"
    ).order_by("added_at", "id")
    unverified = Paginator(base.filter(verified=False), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    unpublished = base.filter(Q(verified=True) & ~Q(visibility="public"))[:LIST_PAGE_SIZE]
    return render(request, "staff/evidence_review.html", {"page": unverified, "unpublished": unpublished})


@staff_required
@require_POST
def evidence_verify(request, pk):
    """Verify evidence (and publish it when the form says so). Only editors; services check again."""
    evidence = get_object_or_404(Evidence.objects.select_related("implementation"), pk=pk)
    publish = request.POST.get("publish") == "1"
    services.evidence_verify(evidence=evidence, actor=request.user, publish=publish)
    if publish:
        messages.success(request, _("“%(title)s” is verified and published.") % {"title": evidence.title})
    else:
        messages.success(request, _("“%(title)s” is verified (still staff only).") % {"title": evidence.title})
    return redirect(_next_url(request, reverse("staff:evidence-review")))


@staff_required
@require_POST
def evidence_unpublish(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("implementation"), pk=pk)
    services.evidence_unpublish(evidence=evidence, actor=request.user)
    messages.success(request, _("“%(title)s” is no longer public.") % {"title": evidence.title})
    return redirect(_next_url(request, evidence.implementation.get_absolute_url()))
