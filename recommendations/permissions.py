"""The one place that decides who may see and change what. Every door asks here: pages, API,
admin, import. Each rule is a predicate (`can_…`, `is_…`) and, where a list needs it, a queryset
twin (`restrict_to_scope`, `editable_states`, `visible_evidence`, `assignable_owners`); the view
decorators (`staff_required`, `editor_required`) and the API's permission class (`StaffOrReadOnly`)
are built on them. No other module reads groups, superuser flags or scopes
(tests/test_architecture.py holds the list of the few that may).
Longer than 400 lines: every access rule lives in this one module, by design.

Roles are Django groups named after `Role` values (kept in sync by `ensure_role_groups` after
each migrate). A superuser is an administrator. A focal point's scope is their StateScope rows;
editors and administrators may act on every state.

| action                                   | focal point        | editor | administrator |
| ---------------------------------------- | ------------------ | ------ | ------------- |
| set the reported status, add evidence    | own states         | all    | all           |
| set the assessed status                  | no                 | all    | all           |
| assign owner / lead agency / due date    | no                 | all    | all           |
| verify and publish evidence              | no                 | all    | all           |
| enter indicator measurements             | own states         | all    | all           |
| import status data                       | rows of own states | all    | all           |
| import reference data (fixtures)         | no                 | no     | yes           |
| manage users, roles, cycles, corridors   | no                 | cycles, corridors | yes |
| edit reference data and events (admin)   | no                 | no     | yes           |
| moderate stakeholder organisations and reports | no           | all    | all           |
| open, edit and close reporting rounds    | no                 | all    | all           |
| "no change, confirmed" in a round        | own states         | all    | all           |

A contributor (Role.CONTRIBUTOR) is not staff: no staff page, API write, admin page, import or
command opens to them. They submit and edit their own organisation's stakeholder reports, once
their email address is confirmed and an editor approved the organisation, and nothing else.

What each role may write of the records edited as they are (the admin's forms and inlines, the
demo) is `RECORD_WRITERS`, read through `can_write_record` and `can_delete_record`.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .choices import Role, Track

# The roles of the secretariat and the states. A contributor's role is not among them.
STAFF_ROLES = (Role.ADMINISTRATOR, Role.EDITOR, Role.FOCAL_POINT)


def user_role(user) -> Role | None:
    """The strongest role a user holds, or None for the public and for staff without a role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    names = _group_names(user)
    for role in (*STAFF_ROLES, Role.CONTRIBUTOR):
        if role.value in names:
            return role
    return None


def _group_names(user) -> frozenset[str]:
    # Cached on the user object for the request: a page asks many times.
    cached = getattr(user, "_gcm_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._gcm_group_names = cached
    return cached


def ensure_role_groups(sender=None, **kwargs):
    """One Django group per role, so administrators grant roles in the user admin (after each migrate)."""
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def grant_role(user, role: Role, *, superuser: bool = False) -> None:
    """Give an account a role (its group), with Django's staff flag for the secretariat, which opens
    the admin, and the superuser flag when asked. Accounts are not tracked data; the demo and
    administrators' scripts grant roles here rather than handling groups and flags themselves."""
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])
    user.is_staff = Role(role) not in (Role.FOCAL_POINT, Role.CONTRIBUTOR)
    user.is_superuser = superuser
    user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_gcm_group_names", None)


def new_scope(user, state):
    """The scope that lets `user` edit `state`, unsaved, for `services.record_save` to write (with its
    permission check and change record); None when it is granted already."""
    from .models import StateScope

    if StateScope.objects.filter(user=user, state=state).exists():
        return None
    return StateScope(user=user, state=state)


def staff_users() -> QuerySet:
    """Active users holding a staff role."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[role.value for role in STAFF_ROLES]))
        .distinct()
        .order_by("username")
    )


def is_staff_member(user) -> bool:
    return user_role(user) in STAFF_ROLES


def is_editor(user) -> bool:
    """Editors and administrators: the secretariat, with every state in scope."""
    return user_role(user) in (Role.EDITOR, Role.ADMINISTRATOR)


def is_administrator(user) -> bool:
    return user_role(user) == Role.ADMINISTRATOR


def scoped_state_ids(user) -> frozenset[int] | None:
    """The ids of the states a user may edit; None means every state."""
    role = user_role(user)
    if role not in STAFF_ROLES:
        return frozenset()
    if role in (Role.EDITOR, Role.ADMINISTRATOR):
        return None
    cached = getattr(user, "_gcm_state_ids", None)
    if cached is None:
        cached = frozenset(user.state_scopes.values_list("state_id", flat=True))
        user._gcm_state_ids = cached
    return cached


def can_edit_state(user, state_id: int) -> bool:
    ids = scoped_state_ids(user)
    return ids is None or state_id in ids


def editable_states(user) -> QuerySet:
    from .models import State

    ids = scoped_state_ids(user)
    return State.objects.all() if ids is None else State.objects.filter(id__in=ids)


def restrict_to_scope(queryset: QuerySet, user, state_field: str = "state") -> QuerySet:
    """Filter any queryset with a state relation down to what the user may edit."""
    ids = scoped_state_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{state_field}__in": ids})


def can_edit_implementation(user, implementation) -> bool:
    return is_staff_member(user) and can_edit_state(user, implementation.state_id)


def can_set_track(user, implementation, track: str) -> bool:
    """Focal points report for their states; only the secretariat assesses."""
    if track == Track.ASSESSED:
        return is_editor(user)
    return can_edit_implementation(user, implementation)


def can_assign(user, implementation=None) -> bool:
    return is_editor(user)


def assignable_owners(implementation) -> QuerySet:
    """Whom the implementation can be assigned to: staff who may edit its state (the secretariat,
    or the state's focal points). The queryset twin of `can_edit_state(owner, implementation.state_id)`."""
    in_scope = (
        Q(is_superuser=True)
        | Q(groups__name__in=[Role.EDITOR, Role.ADMINISTRATOR])
        | Q(state_scopes__state_id=implementation.state_id)
    )
    return staff_users().filter(in_scope).distinct()


def can_add_evidence(user, implementation) -> bool:
    return can_edit_implementation(user, implementation)


def can_publish_evidence(user, evidence) -> bool:
    """Only the secretariat verifies and publishes; nobody publishes evidence they added themselves
    unless they are an editor (an editor's own upload still needs the explicit publish step)."""
    return is_editor(user)


def can_view_staff_evidence(user, evidence) -> bool:
    return can_edit_implementation(user, evidence.implementation) or is_editor(user)


def visible_evidence(user) -> QuerySet:
    """Evidence a user may see: published evidence for everyone, plus, for staff, what their scope allows
    (every state for the secretariat, their own states for a focal point). The queryset twin of
    `evidence.is_public or can_view_staff_evidence(user, evidence)`."""
    from .models import Evidence

    public = Evidence.objects.public()
    if not is_staff_member(user):
        return public
    return public | restrict_to_scope(Evidence.objects.all(), user, "implementation__state")


def can_enter_measurement(user, state_id: int) -> bool:
    return is_staff_member(user) and can_edit_state(user, state_id)


def can_import_reference_data(user) -> bool:
    return is_administrator(user)


def can_import(user, kind: str) -> bool:
    """What a user may import: administrators anything; editors status data and implementations;
    focal points status data of their own states (which rows those are is checked row by row)."""
    from .imports.report import Kind

    if kind == Kind.FIXTURE:
        return can_import_reference_data(user)
    if kind == Kind.IMPLEMENTATIONS:
        return can_assign(user)
    return is_staff_member(user)


def can_manage_cycles(user) -> bool:
    return is_editor(user)


# --- Reporting rounds (services/rounds.py) -------------------------------------------------------


def can_manage_rounds(user) -> bool:
    """Editors and administrators open, edit and close reporting rounds."""
    return is_editor(user)


def can_confirm_in_round(user, implementation) -> bool:
    """Whoever may set the reported status of an item may report it in a round, or confirm it
    unchanged: its state's focal points and the secretariat."""
    return can_set_track(user, implementation, Track.REPORTED)


def rounds_to_report(queryset: QuerySet, user) -> QuerySet:
    """The rounds of `queryset` that name a state the user may edit (none for the public and
    contributors). The queryset twin of `can_confirm_in_round` over a round's states."""
    ids = scoped_state_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(states__in=ids).distinct()


def round_focal_points(state_ids) -> QuerySet:
    """The active focal points (not the secretariat) holding a scope on any of these states, with
    an email address: whom a round's opening and reminders are for."""
    secretariat = Q(is_superuser=True) | Q(groups__name__in=[Role.EDITOR, Role.ADMINISTRATOR])
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.FOCAL_POINT, state_scopes__state_id__in=list(state_ids))
        .exclude(email="")
        .exclude(pk__in=get_user_model().objects.filter(secretariat).values("pk"))
        .distinct()
        .order_by("username")
    )


def focal_points_by_state(state_ids) -> dict[int, list]:
    """`round_focal_points` by state, in one query: {state id: [users]} (a state without any has
    no key)."""
    from .models import StateScope

    scopes = (
        StateScope.objects.filter(state_id__in=list(state_ids), user__in=round_focal_points(state_ids))
        .select_related("user")
        .order_by("state_id", "user__username")
    )
    found: dict[int, list] = {}
    for scope in scopes:
        found.setdefault(scope.state_id, []).append(scope.user)
    return found


# --- Stakeholders: contributors and moderation (services/stakeholders.py) -----------------------


def is_contributor(user) -> bool:
    return user_role(user) == Role.CONTRIBUTOR


def contributor_organisation(user):
    """The organisation a contributor reports for, or None (anyone else, or an account whose
    email address is not confirmed yet)."""
    if not is_contributor(user):
        return None
    contributor = getattr(user, "contributor", None)
    if contributor is None or contributor.email_confirmed_at is None:
        return None
    return contributor.organisation


def can_submit_stakeholder_report(user) -> bool:
    """A contributor whose organisation an editor approved (not one pending or rejected)."""
    organisation = contributor_organisation(user)
    return organisation is not None and organisation.is_approved


def can_edit_stakeholder_report(user, report) -> bool:
    """A contributor edits their own organisation's reports, and only those."""
    organisation = contributor_organisation(user)
    return organisation is not None and organisation.is_approved and report.organisation_id == organisation.pk


def can_moderate_stakeholders(user) -> bool:
    """Editors and administrators approve or reject organisations and reports."""
    return is_editor(user)


def can_view_stakeholder_report(user, report) -> bool:
    """Everyone an approved report of an approved organisation; its organisation's contributors
    and the secretariat any report."""
    return report.is_public or can_edit_stakeholder_report(user, report) or can_moderate_stakeholders(user)


def visible_stakeholder_reports(user) -> QuerySet:
    """Reports a user may see: approved ones for everyone, plus their own organisation's for a
    contributor and every report for the secretariat. The queryset twin of
    `report.is_public or can_edit_stakeholder_report(user, report) or can_moderate_stakeholders(user)`."""
    from .models import StakeholderReport

    if can_moderate_stakeholders(user):
        return StakeholderReport.objects.all()
    public = StakeholderReport.objects.public()
    organisation = contributor_organisation(user)
    if organisation is None:
        return public
    return public | StakeholderReport.objects.filter(organisation=organisation)


# --- Records edited as they are (the admin, the demo: services/records.py) ----------------------


def _nobody(user) -> bool:
    return False


_ADMINISTRATORS = (is_administrator, is_administrator)
_SECRETARIAT = (is_editor, is_administrator)
# Model label: (who may add or change a row, who may delete one). A model not listed is written
# by its own service only (status history, change records) and by no form.
RECORD_WRITERS = {
    # Reference data: the source documents' facts, which administrators correct.
    "recommendations.state": _ADMINISTRATORS,
    "recommendations.sdgtarget": _ADMINISTRATORS,
    "recommendations.theme": _ADMINISTRATORS,
    "recommendations.commitment": _ADMINISTRATORS,
    "recommendations.commitmentaction": _ADMINISTRATORS,
    "recommendations.recommendation": _ADMINISTRATORS,
    "events.phase": _ADMINISTRATORS,
    "events.event": _ADMINISTRATORS,
    "events.eventlisting": _ADMINISTRATORS,
    "events.eventsession": _ADMINISTRATORS,
    "events.participant": _ADMINISTRATORS,
    "events.participantlisting": _ADMINISTRATORS,
    "events.document": _ADMINISTRATORS,
    # Who may edit which states.
    "recommendations.statescope": _ADMINISTRATORS,
    # An administrator starts tracking an item; nobody deletes one (its history would go with it).
    "recommendations.implementation": (is_administrator, _nobody),
    # Editors correct evidence; nobody deletes it (unpublish it instead).
    "recommendations.evidence": (is_editor, _nobody),
    # The secretariat's data. A measurement's service also checks the state (can_enter_measurement).
    "recommendations.reviewcycle": _SECRETARIAT,
    "recommendations.indicator": _SECRETARIAT,
    "recommendations.measurement": _SECRETARIAT,
    "recommendations.corridor": _SECRETARIAT,
    "recommendations.corridorstate": _SECRETARIAT,
}


def can_write_record(user, model) -> bool:
    """Whether the user may add or change rows of `model` (a model or one of its rows) as a form edits them."""
    may_write, _may_delete = RECORD_WRITERS.get(model._meta.label_lower, (_nobody, _nobody))
    return may_write(user)


def can_delete_record(user, model) -> bool:
    _may_write, may_delete = RECORD_WRITERS.get(model._meta.label_lower, (_nobody, _nobody))
    return may_delete(user)


# --- The second factor (gcmtracker/accounts.py) ------------------------------------------------


def _second_factor_roles() -> list[str]:
    return [Role.EDITOR, Role.ADMINISTRATOR, *([Role.FOCAL_POINT] if settings.TWO_FACTOR_FOCAL_POINTS else [])]


def needs_second_factor(user) -> bool:
    """Whether this account must prove a second factor before it acts as staff: editors,
    administrators, any account with Django's staff or superuser flag, and focal points when
    TWO_FACTOR_FOCAL_POINTS is on."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or user_role(user) in _second_factor_roles()


def needing_second_factor(users: QuerySet) -> QuerySet:
    """The queryset twin of `needs_second_factor`: those of `users` who must prove a second factor."""
    return users.filter(Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=_second_factor_roles()))


# --- View decorators ---------------------------------------------------------------------------


def signed_in_required(view):
    """Logged in, whatever the role (else to the login page): an account's own pages."""
    return login_required(view)


def staff_required(view):
    """Logged in (else to the login page) and holding a role (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied(_("Your account has no role in the tracker. Ask an administrator."))
        return view(request, *args, **kwargs)

    return wrapper


def editor_required(view):
    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied(_("Only the secretariat may do this."))
        return view(request, *args, **kwargs)

    return wrapper


# --- The API's permission class ------------------------------------------------------------------


class StaffOrReadOnly(BasePermission):
    """Reading is open to everyone; a write needs a role (each service then decides what the role
    may do). Anonymous writes answer 401/403 as Django REST framework decides."""

    message = _("Your account has no role in the tracker. Ask an administrator.")
    reads_are_public = True  # the API schema draws no padlock on the reads (gcmtracker/schema.py)

    def has_permission(self, request, view):
        # A method the view has no handler for is let through to DRF's 405, whoever asks: the
        # answer to a method an address never takes is the same for everyone.
        unhandled = getattr(view, request.method.lower(), None) is None
        return request.method in SAFE_METHODS or unhandled or is_staff_member(request.user)
