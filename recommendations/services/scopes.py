"""Which public scopes a write touched (`gcmtracker/scopes.py`), declared by the service making it.

- public evidence, a position, a lead agency, a due date, a measurement:
  the implementation's state, its commitment or recommendation, and the aggregates;
- a status change: the same, but of the state's and commitment's pages only the `statuses`
  facet, so that their evidence and indicators stay cached (`status_scopes`);
- reference data (states, themes, SDG targets, commitments and their actions, recommendations),
  review cycles and indicators, which nearly every page shows, and any event or document
  (`events`): the reference scope, which every cached page folds in;
- corridors: the aggregates (their pages are lists and corridor pages);
- anything staff-only (an owner, an internal note, a focal point's scope, unpublished evidence,
  a staff comment): nothing.

`changes.record` calls `touch_for_change` for every public change record it writes, the status
service and the fixture load call `touch` themselves (they write with `bulk_create`, `update()`
and `loaddata`, which send no usable signal). A model save or delete outside any service (a
shell, a data migration, a test's factory) retires every cached page: it declared nothing.
"""

import datetime

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from gcmtracker import scopes
from gcmtracker.scopes import AGGREGATES, REFERENCE, facet, touch

from ..models import Commitment, Recommendation, State
from .context import in_service

REFERENCE_MODELS = frozenset(
    {"state", "sdgtarget", "theme", "commitment", "commitmentaction", "recommendation", "reviewcycle", "indicator"}
)


def item_scopes(*, state=None, commitment=None, recommendation=None) -> list[str]:
    """The scopes of one tracked item's public facts: its state, its commitment or recommendation,
    the aggregates. Each is a natural key (an ISO code, a number, a code) or None."""
    found = [AGGREGATES]
    if state:
        found.append(scopes.state(state))
    if commitment is not None:
        found.append(scopes.commitment(commitment))
    if recommendation:
        found.append(scopes.recommendation(recommendation))
    return found


def implementation_scopes(implementation) -> list[str]:
    """`item_scopes` of an implementation whose state, commitment and recommendation are loaded."""
    return item_scopes(
        state=implementation.state.iso2,
        commitment=implementation.commitment.number if implementation.commitment_id else None,
        recommendation=implementation.recommendation.code if implementation.recommendation_id else None,
    )


def status_scopes(implementation, effective_date: datetime.date | None = None) -> list[str]:
    """What a status change of the implementation (loaded as for `implementation_scopes`) shows on:
    its recommendation's pages and the aggregates, and of its state's and commitment's pages the
    `statuses` facet (the page, its rows, history, today's column of the timeline and stakeholder
    reports, which give the current status) and, for a recommendation, the state page's
    recommendation rows; not their evidence or indicators, which a status change leaves as they
    were (`gcmtracker.scopes`). A change dated before today (`effective_date`) also changes the
    timeline's past periods: the `timeline` facet of the state and the commitment."""
    state = scopes.state(implementation.state.iso2)
    if implementation.commitment_id:
        found = [
            AGGREGATES,
            facet(state, "statuses"),
            facet(scopes.commitment(implementation.commitment.number), "statuses"),
        ]
        if effective_date is not None and effective_date < timezone.localdate():
            found += [facet(state, "timeline"), facet(scopes.commitment(implementation.commitment.number), "timeline")]
        return found
    return [
        AGGREGATES,
        facet(state, "statuses"),
        facet(state, "recommendations"),
        scopes.recommendation(implementation.recommendation.code),
    ]


def _key(model, pk, field):
    return model.objects.filter(pk=pk).values_list(field, flat=True).first() if pk else None


def touch_for_change(instance, concerns: dict) -> None:
    """Touch what a public change record of `instance` shows (`concerns`: its state, commitment
    and recommendation ids, as the record holds them)."""
    name = instance._meta.model_name
    if name in REFERENCE_MODELS:
        touch(REFERENCE, AGGREGATES)
        return
    touch(
        *item_scopes(
            state=_key(State, concerns.get("state_id"), "iso2"),
            commitment=_key(Commitment, concerns.get("commitment_id"), "number"),
            recommendation=_key(Recommendation, concerns.get("recommendation_id"), "code"),
        )
    )


def touch_for_changes(rows) -> None:
    """`touch_for_change` of many public change records (`rows`: (instance, concerns) pairs), the
    states', commitments' and recommendations' keys read once for all of them."""
    rows = list(rows)
    keys = {}
    for model, name, field in (
        (State, "state_id", "iso2"),
        (Commitment, "commitment_id", "number"),
        (Recommendation, "recommendation_id", "code"),
    ):
        ids = {concerns[name] for _instance, concerns in rows if concerns.get(name)}
        keys[name] = dict(model.objects.filter(pk__in=ids).values_list("pk", field)) if ids else {}
    found = set()
    for instance, concerns in rows:
        if instance._meta.model_name in REFERENCE_MODELS:
            found.update((REFERENCE, AGGREGATES))
            continue
        found.update(item_scopes(**{name[: -len("_id")]: keys[name].get(concerns.get(name)) for name in keys}))
    if found:
        touch(*found)


def _written_outside_services(sender, **kwargs):
    if kwargs.get("raw") or in_service():
        return  # loaddata (the fixture load declares its own) or a service (it declared its scopes)
    touch(REFERENCE, AGGREGATES, using=kwargs.get("using"))


def _event_written(sender, **kwargs):
    if not kwargs.get("raw"):
        touch(REFERENCE, AGGREGATES, using=kwargs.get("using"))


def connect_signals() -> None:
    """Called from the app's ready(); idempotent thanks to dispatch_uid. Events and documents
    retire every page whoever writes them (events are shown on the dashboard, recommendations,
    cycles and the timeline); the tracker's own models only when no service wrote them."""
    for app_label, receiver in (("recommendations", _written_outside_services), ("events", _event_written)):
        for model in apps.get_app_config(app_label).get_models():
            uid = f"gcm-scopes-{model._meta.label_lower}"
            post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(receiver, sender=through, dispatch_uid=f"{uid}-{field.name}")
