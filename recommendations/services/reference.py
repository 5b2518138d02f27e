"""Loading the source fixtures (`manage.py seed`, the admin's and the command's fixture import):
`loaddata` of files `imports.seeding` has already checked, then the commitment grid, in one
transaction, with one change record of the load (which files, how many rows were created)."""

from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import ChangeAction, Status
from ..models import ChangeRecord, Implementation, State
from .context import current_door, current_request_id, service
from .scopes import AGGREGATES, REFERENCE, touch
from .tallies import implementations_added, tallies_rebuild


class FixtureError(Exception):
    """A fixture that cannot be loaded; the message names the file and the record."""


def create_commitment_grid() -> int:
    """Every state tracks every commitment: create the missing rows at "no information" (not a claim)."""
    Commitment = apps.get_model("recommendations", "Commitment")
    existing = set(Implementation.objects.filter(commitment__isnull=False).values_list("state_id", "commitment_id"))
    missing = [
        Implementation(state_id=state_id, commitment_id=commitment_id, status=Status.NO_INFORMATION)
        for state_id in State.objects.values_list("id", flat=True)
        for commitment_id in Commitment.objects.values_list("id", flat=True)
        if (state_id, commitment_id) not in existing
    ]
    Implementation.objects.bulk_create(missing, batch_size=500)
    implementations_added(missing)
    return len(missing)


def _rows(labels) -> dict[str, dict]:
    """Every row of these models, by model and primary key, to tell what a load changed."""
    rows = {}
    for label in sorted(labels):
        model = apps.get_model(label)
        rows[label] = {row["pk"]: row for row in model._default_manager.order_by("pk").values("pk", *_columns(model))}
    return rows


def _columns(model):
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


@service
def load_fixtures(
    *, paths: list[Path], models: set[str], actor=None, verbosity: int = 0, before_load=None, after_load=None
) -> int:
    """Load checked fixture files (holding rows of `models`, "app.model" labels) and complete the
    commitment grid; returns the implementation rows created. `before_load` and `after_load` run
    inside the load, between the two snapshots the change record compares. From the command line (`actor`
    None) anything may be loaded; through the import, only what the user may import. The change
    record counts the rows each model gained or changed; a load that changed nothing leaves none."""
    if actor is not None and not permissions.can_import_reference_data(actor):
        raise PermissionDenied(_("Only administrators load reference data."))
    before = _rows(models)
    if before_load is not None:  # e.g. moving items out of the way of the orders the files give them
        before_load()
    try:
        call_command("loaddata", *[str(p) for p in paths], verbosity=verbosity)
    except Exception as exc:  # loaddata wraps database errors; report them as the fixture's fault
        raise FixtureError(f"loading failed: {exc}") from exc
    if after_load is not None:  # what the load recomputes (events' listings) is part of the load
        after_load()
    created = create_commitment_grid()
    if models & {"recommendations.implementation", "recommendations.evidence"}:
        tallies_rebuild()  # loaddata wrote statuses or evidence the tallies count, past the services
    after = _rows(models)
    changed = {label: sum(1 for pk, row in after[label].items() if before[label].get(pk) != row) for label in after}
    changed = {label: count for label, count in changed.items() if count}
    if not changed and not created:
        return 0
    touch(REFERENCE, AGGREGATES)  # loaddata and bulk_create: the load declares it changed everything
    names = [Path(p).name for p in paths]
    ChangeRecord.objects.create(
        actor=actor,
        actor_role=(permissions.user_role(actor) or "") if actor is not None else "",
        door=current_door(),
        action=ChangeAction.LOADED,
        content_type=ContentType.objects.get_for_model(State),
        object_id="",
        object_repr=", ".join(names)[:300],
        changes={
            "files": {"before": None, "after": names},
            "rows": {"before": None, "after": {**changed, "recommendations.implementation": created}},
        },
        is_public=True,
        request_id=current_request_id(),
    )
    return created
