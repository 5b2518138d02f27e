"""Writes of the records staff edit as they are: reference data (states, themes, SDG targets,
commitments and their actions, recommendations), review cycles, indicators, corridors and their
states, focal points' scopes, an editor's correction of evidence, and the administrator's
"start tracking" of an implementation. The admin's forms and the demo call these; each write
leaves a change record, one per row (an inline row is a row).

Who may write which model is `permissions.RECORD_WRITERS` (`can_write_record`, `can_delete_record`).
"""

from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import ChangeAction
from . import changes
from .context import service
from .measurements import measurement_delete, measurement_save


def _check(actor, instance, deleting=False):
    allowed = permissions.can_delete_record if deleting else permissions.can_write_record
    if not allowed(actor, instance):
        raise PermissionDenied(_("You may not change %(kind)s records.") % {"kind": instance._meta.verbose_name_plural})


def _save_row(actor, instance, save_m2m=None):
    if instance._meta.model_name == "measurement":
        fields = {
            name: getattr(instance, name)
            for name in (
                "indicator",
                "state",
                "date",
                "value",
                "sex",
                "age_group",
                "migratory_status",
                "review_cycle",
                "source",
            )
        }
        measurement_save(actor=actor, instance=instance, **fields)
        return
    _check(actor, instance)
    fresh = type(instance)._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    before = changes.snapshot(fresh)
    instance.save()
    if save_m2m is not None:
        save_m2m()
    changes.record(actor=actor, instance=instance, before=before)


def _delete_row(actor, instance):
    if instance._meta.model_name == "measurement":
        measurement_delete(actor=actor, measurement=instance)
        return
    _check(actor, instance, deleting=True)
    for row in [*_cascaded(instance), instance]:
        changes.record(actor=actor, instance=row, before=changes.snapshot(row), after={}, action=ChangeAction.DELETED)
    instance.delete()


def _cascaded(instance) -> list:
    """The rows deleting `instance` deletes with it (CASCADE), as Django's collector finds them: each
    gets its own record. Link tables of many-to-many fields are not rows of their own (the field is
    in the snapshot of the row that holds it)."""
    collector = Collector(using=router.db_for_write(type(instance)), origin=instance)
    collector.collect([instance])
    rows = [row for model, found in collector.data.items() for row in found]
    rows += [row for queryset in collector.fast_deletes for row in queryset]
    return [
        row
        for row in rows
        if row is not instance
        and not row._meta.auto_created
        and not (type(row) is type(instance) and row.pk == instance.pk)
        and row._meta.model_name != "changerecord"
    ]


@service
def record_save(*, actor, instance, save_m2m=None, formsets=()):
    """Save one row (its many-to-many fields with `save_m2m`, a ModelForm's) and the rows of its
    inline formsets (an admin form's), each checked and recorded."""
    _save_row(actor, instance, save_m2m)
    for formset in formsets:
        saved = formset.save(commit=False)
        for child in formset.deleted_objects:
            _delete_row(actor, child)
        for child in saved:
            _save_row(actor, child)
        formset.save_m2m()
    return instance


@service
def record_delete(*, actor, instances) -> int:
    """Delete rows (the admin's delete page and "delete selected"), each checked and recorded."""
    count = 0
    for instance in instances:
        _delete_row(actor, instance)
        count += 1
    return count
