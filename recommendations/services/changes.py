"""Writing change records (`models.ChangeRecord`): services snapshot a row before they write it and
call `record` after, in the same transaction, so a write and its record commit together or not
at all. Nothing but a service calls this module.

Which fields are public: every field of the tracker's public data, except staff-only fields
(an implementation's owner and internal note, who added, verified or entered anything) and
anything about evidence that is not (or was not) public. A write that changes both kinds of
field writes two records, so a public record never holds a private value.
"""

import datetime
import decimal
import uuid

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .. import permissions
from ..choices import ChangeAction, Door, Visibility
from ..models import ChangeRecord
from .context import current_door, current_request_id
from .scopes import touch_for_change, touch_for_changes

# Bookkeeping that is not a change of its own (a status update is recorded in the status history).
SKIPPED = frozenset(
    {
        "id",
        "version",
        "created_at",
        "updated_at",
        "status",
        "status_changed_at",
        "assessment",
        "assessment_changed_at",
        "last_reviewed",
    }
)
# Staff-only fields by model; any reference to a user account is staff-only too.
PRIVATE = {
    "implementation": frozenset({"owner", "internal_note"}),
    "evidence": frozenset({"file", "original_filename", "content_type", "size", "verified", "verified_at"}),
    "statescope": None,  # None: the whole record is staff-only
    # Stakeholders: moderated before anything is public; an approved report shows on the pages
    # as it is, never through the public history.
    "organisation": None,
    "contributor": None,
    "stakeholderreport": None,
    "stakeholderevidence": None,
    # Which focal points were reminded when: the secretariat's bookkeeping.
    "roundreminder": None,
}
EVIDENCE_PUBLIC = frozenset({"title", "kind", "date", "url", "description", "visibility", "published_at"})


def _jsonable(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED]


def snapshot(instance) -> dict:
    """The row's values as a change record compares them: {field name: raw JSON value}, with each
    many-to-many field as a sorted list of ids. Empty for a row not saved yet."""
    if instance is None or instance.pk is None:
        return {}
    values = {}
    for field in _fields(type(instance)):
        value = getattr(instance, field.attname)
        if isinstance(field, models.FileField):
            value = value.name or ""
        elif isinstance(field, models.DecimalField) and value is not None:
            value = decimal.Decimal(value).quantize(decimal.Decimal(10) ** -field.decimal_places)
        values[field.name] = _jsonable(value)
    for field in instance._meta.many_to_many:
        values[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return values


def _label(field, raw):
    """A value as a reader sees it: a related row by its name, a list of them by their names."""
    if raw is None or raw == [] or not field.is_relation:
        return raw
    related = field.related_model._default_manager
    if field.many_to_many:
        return sorted(str(obj) for obj in related.filter(pk__in=raw))
    obj = related.filter(pk=raw).first()
    return str(obj) if obj is not None else str(raw)


def _diff(model, before: dict, after: dict, label=_label) -> dict:
    changes = {}
    fields = {f.name: f for f in [*model._meta.concrete_fields, *model._meta.many_to_many]}
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old == new or name not in fields:
            continue
        field = fields[name]
        entry = {"before": label(field, old), "after": label(field, new)}
        if field.is_relation and not field.many_to_many:
            entry.update(before_id=old, after_id=new)
        changes[name] = entry
    return changes


def _private_fields(instance, before, after) -> frozenset | None:
    """The names of staff-only fields of this write; None when all of it is staff-only."""
    name = instance._meta.model_name
    if name in PRIVATE and PRIVATE[name] is None:
        return None
    users = frozenset(
        f.name for f in instance._meta.concrete_fields if f.is_relation and f.related_model is get_user_model()
    )
    if name == "evidence":
        was_or_is_public = Visibility.PUBLIC in (before.get("visibility"), after.get("visibility"))
        if not was_or_is_public:
            return None
        everything = frozenset(f.name for f in _fields(type(instance)))
        return everything - EVIDENCE_PUBLIC
    return PRIVATE.get(name, frozenset()) | users


def _concerns(instance, action) -> dict:
    """The state, commitment, recommendation and implementation the row belongs to."""
    from ..models import Commitment, Implementation, Recommendation, State

    found = {}
    implementation = instance if isinstance(instance, Implementation) else getattr(instance, "implementation", None)
    if implementation is not None:
        found = {
            "implementation_id": implementation.pk,
            "state_id": implementation.state_id,
            "commitment_id": implementation.commitment_id,
            "recommendation_id": implementation.recommendation_id,
        }
    for name in ("state", "commitment", "recommendation"):
        if not found.get(f"{name}_id") and hasattr(instance, f"{name}_id"):
            found[f"{name}_id"] = getattr(instance, f"{name}_id")
    indicator = getattr(instance, "indicator", None)
    if indicator is not None and not found.get("commitment_id"):
        found["commitment_id"] = indicator.commitment_id
    for model, key in ((State, "state_id"), (Commitment, "commitment_id"), (Recommendation, "recommendation_id")):
        if isinstance(instance, model):
            found[key] = instance.pk
    if action == ChangeAction.DELETED:  # a record cannot point at the row being deleted
        for model, key in (
            (State, "state_id"),
            (Commitment, "commitment_id"),
            (Recommendation, "recommendation_id"),
            (Implementation, "implementation_id"),
        ):
            if isinstance(instance, model):
                found.pop(key, None)
    return {key: value for key, value in found.items() if value is not None}


def record(
    *, actor, instance, before: dict, after: dict | None = None, action: str | None = None
) -> list[ChangeRecord]:
    """Write the change records of one write: `before` and `after` are `snapshot`s (`after` is
    taken now when not given). Writes nothing when nothing changed; a row created or deleted is
    always recorded."""
    if after is None:
        after = snapshot(instance) if action != ChangeAction.DELETED else {}
    if action is None:
        action = ChangeAction.CREATED if not before else ChangeAction.CHANGED
    found, concerns = _records(actor, instance, before, after, action, _label)
    if any(found_record.is_public for found_record in found):
        touch_for_change(instance, concerns)
    for found_record in found:
        found_record.save(force_insert=True)
    return found


def record_created(*, actor, instances) -> list[ChangeRecord]:
    """`record(actor=actor, instance=row, before={})` of each of `instances` (rows of one model
    just saved, without many-to-many fields), the same records in a constant number of queries:
    the related rows' names read once a field, every record written in one insert."""
    instances = list(instances)
    if not instances:
        return []
    afters = [snapshot(instance) for instance in instances]
    names: dict[str, dict] = {}
    for field in type(instances[0])._meta.concrete_fields:
        if field.is_relation and not field.many_to_many:
            ids = {after[field.name] for after in afters if after.get(field.name) is not None}
            related = field.related_model._default_manager.filter(pk__in=ids) if ids else []
            names[field.name] = {obj.pk: str(obj) for obj in related}

    def label(field, raw):
        if raw is None or not field.is_relation or field.many_to_many or field.name not in names:
            return _label(field, raw)
        return names[field.name].get(raw, str(raw))

    written, public = [], []
    for instance, after in zip(instances, afters, strict=True):
        found, concerns = _records(actor, instance, {}, after, ChangeAction.CREATED, label)
        written.extend(found)
        if any(found_record.is_public for found_record in found):
            public.append((instance, concerns))
    touch_for_changes(public)
    return ChangeRecord.objects.bulk_create(written)


def _records(actor, instance, before, after, action, label) -> tuple[list[ChangeRecord], dict]:
    """The change records (not saved) of one write, and what the row concerns."""
    changes = _diff(type(instance), before, after, label)
    if action == ChangeAction.CHANGED and not changes:
        return [], {}
    private = _private_fields(instance, before, after)
    if private is None:
        parts = [(changes, False)]
    else:
        public_part = {k: v for k, v in changes.items() if k not in private}
        private_part = {k: v for k, v in changes.items() if k in private}
        parts = [(public_part, True), (private_part, False)]
        parts = [(part, public) for part, public in parts if part] or [({}, True)]
    concerns = _concerns(instance, action)
    common = {
        "actor": actor if getattr(actor, "pk", None) else None,
        "actor_role": permissions.user_role(actor) or "" if getattr(actor, "pk", None) else "",
        "door": current_door(),
        "action": action,
        "content_type": ContentType.objects.get_for_model(instance),
        "object_id": str(instance.pk if instance.pk is not None else before.get("id", "")),
        "object_repr": str(instance)[:300],
        "request_id": current_request_id(),
        "is_demo": bool(getattr(instance, "is_demo", False)) or current_door() == Door.DEMO,
        **concerns,
    }
    return [ChangeRecord(changes=part, is_public=public, **common) for part, public in parts], concerns
