"""The change record: one row per write of tracked data, written by the services in the same
transaction as the write.

Status changes keep their own, richer history (`StatusUpdate`); a change record covers every
other write: assignment, lead agency, due date, position, evidence added, verified, published,
unpublished or edited, measurements, review cycles, indicators, corridors, scopes and the
reference data edited in the admin. Append-only like the status history: `save()` refuses an
update, `delete()` refuses, the queryset refuses bulk update and delete, the admin grants neither.

A record says who (user and role), when, through which door, which record (content type and id,
with the state, commitment or recommendation it concerns, so a reader can filter and a cache can
tell which public pages it touched), and each changed field's value before and after (JSON). A
write that touches both public and staff-only fields writes two records, so a public record
holds public values only (`is_public`).
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import ChangeAction, Door, Role, Visibility


class ChangeRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Change records are append-only: they cannot be changed."))

    def delete(self):
        raise ValidationError(_("Change records are append-only: they cannot be deleted."))

    def public(self):
        return self.filter(is_public=True)

    def of(self, instance):
        """The records of one row (any model)."""
        return self.filter(content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk))


class ChangeRecord(models.Model):
    """One write of tracked data: who, when, through which door, which record, what changed."""

    created_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_records",
    )
    actor_role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    door = models.CharField(_("door"), max_length=10, choices=Door.choices)
    action = models.CharField(_("action"), max_length=12, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    # What the record concerns, for filtering (a state's history, a commitment's feed) and for
    # telling which public pages a write touched. SET_NULL: the record outlives what it names.
    state = models.ForeignKey(
        "recommendations.State",
        verbose_name=_("state"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_records",
    )
    commitment = models.ForeignKey(
        "recommendations.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_records",
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        verbose_name=_("recommendation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_records",
    )
    implementation = models.ForeignKey(
        "recommendations.Implementation",
        verbose_name=_("implementation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_records",
    )
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_("Each changed field with its value before and after.")
    )
    is_public = models.BooleanField(_("public"), default=False)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        constraints = [
            models.CheckConstraint(name="changerecord_valid_door", condition=models.Q(door__in=Door.values)),
            models.CheckConstraint(
                name="changerecord_valid_action", condition=models.Q(action__in=ChangeAction.values)
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="changerecord_object"),
            models.Index(fields=["state", "is_public", "-created_at"], name="changerecord_state_public"),
            models.Index(fields=["implementation", "-created_at"], name="changerecord_implementation"),
        ]

    def __str__(self):
        return f"{self.object_repr}: {self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Change records are append-only: they cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Change records are append-only: they cannot be deleted."))

    @property
    def is_unpublication(self) -> bool:
        visibility = self.changes.get("visibility") or {}
        return self.content_type.model == "evidence" and visibility.get(
            "before"
        ) == Visibility.PUBLIC != visibility.get("after")

    @property
    def public_repr(self) -> str:
        """The record's name as the public may see it: none for evidence taken out of public view."""
        return "" if self.is_unpublication else self.object_repr

    def sentences(self) -> list[str]:
        """What changed, in plain words, one sentence per field ("Lead agency changed from A to
        B", "Evidence “X” published"). Values of related rows are their names, never an account:
        a public record holds no staff-only field (services/changes.py)."""
        model = self.content_type.model_class()
        kind = capfirst(model._meta.verbose_name) if model else self.content_type.model
        name = self.object_repr
        visibility = self.changes.get("visibility") or {}
        if self.content_type.model == "evidence" and self.action == ChangeAction.CHANGED and visibility:
            if visibility.get("after") == Visibility.PUBLIC:
                return [gettext("Evidence “%(title)s” published") % {"title": name}]
            if visibility.get("before") == Visibility.PUBLIC:
                # No title: evidence is unpublished when it should not have been public.
                published = _shown(
                    _field(model, "published_at"), (self.changes.get("published_at") or {}).get("before")
                )
                return [gettext("A piece of evidence was unpublished (published %(date)s)") % {"date": published}]
        if self.action == ChangeAction.LOADED:
            return [gettext("Reference data loaded from %(files)s") % {"files": name}]
        if self.action == ChangeAction.CREATED and self.content_type.model == "implementation":
            return [gettext("Now tracked: %(name)s") % {"name": name}]
        if self.action == ChangeAction.CREATED:
            return [gettext("%(kind)s “%(name)s” added") % {"kind": kind, "name": name}]
        if self.action == ChangeAction.DELETED:
            return [gettext("%(kind)s “%(name)s” removed") % {"kind": kind, "name": name}]
        lines = []
        for field_name, change in self.changes.items():
            field = _field(model, field_name)
            label = capfirst(field.verbose_name) if field is not None else field_name
            before, after = _shown(field, change.get("before")), _shown(field, change.get("after"))
            if before in (None, "", []):
                lines.append(gettext("%(field)s set to %(after)s") % {"field": label, "after": after})
            elif after in (None, "", []):
                lines.append(gettext("%(field)s cleared (was %(before)s)") % {"field": label, "before": before})
            else:
                lines.append(
                    gettext("%(field)s changed from %(before)s to %(after)s")
                    % {"field": label, "before": before, "after": after}
                )
        return lines


def _field(model, name):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def _shown(field, value):
    """A recorded value as a reader sees it: a choice by its label, a date in the reader's format."""
    if value in (None, "", []):
        return value
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if field is not None and field.choices and not field.is_relation:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField):
        try:
            return formats.date_format(datetime.datetime.fromisoformat(value), "DATETIME_FORMAT")
        except (TypeError, ValueError):
            return value
    if isinstance(field, models.DateField):
        try:
            return formats.date_format(datetime.date.fromisoformat(value))
        except (TypeError, ValueError):
            return value
    return value
