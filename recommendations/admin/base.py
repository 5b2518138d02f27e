"""Who may use which admin page, and how the admin writes. Access is decided by `permissions`,
not by Django's per-model permission rows, so the admin refuses exactly what the pages and API
refuse; every write goes through `services` (`ThroughServicesMixin`), so it is checked again
and leaves a change record, which the History tab shows."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import permissions, services


class ThroughServicesMixin:
    """Every admin write goes through `services` (with its permission check and change record):
    the form's row, its many-to-many fields and its inline rows in one service call, deletes
    too. Django's own LogEntry is still written; the History tab shows the change records.
    `save_service` and `delete_service` name the services (the events' admin uses theirs)."""

    save_service = staticmethod(services.record_save)
    delete_service = staticmethod(services.record_delete)

    def save_model(self, request, obj, form, change):
        """Nothing yet: `save_related` saves the row with its related rows, in one service call."""

    def save_related(self, request, form, formsets, change):
        self.save_service(actor=request.user, instance=form.instance, save_m2m=form.save_m2m, formsets=formsets)

    def delete_model(self, request, obj):
        self.delete_service(actor=request.user, instances=[obj])

    def delete_queryset(self, request, queryset):
        self.delete_service(actor=request.user, instances=list(queryset))

    def history_view(self, request, object_id, extra_context=None):
        """The History tab: the change records of this row (and, for an implementation, of its evidence)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        records = history_of(obj)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history: %s") % obj,
            "subtitle": None,
            "records": records,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/recommendations/change_history.html", context)


def history_of(obj):
    """The change records of a row, newest first; an implementation's include its evidence's."""
    from ..models import ChangeRecord, Implementation

    records = ChangeRecord.objects.select_related("actor", "content_type")
    if isinstance(obj, Implementation):
        return records.filter(implementation=obj)
    return records.of(obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows looked at here and written only by their services: `may_view` says who may look (any
    staff member unless a subclass says otherwise); nobody adds, changes or deletes them here."""

    def may_view(self, user) -> bool:
        return permissions.is_staff_member(user)

    def has_module_permission(self, request):
        return self.may_view(request.user)

    def has_view_permission(self, request, obj=None):
        return self.may_view(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTabularInline(admin.TabularInline):
    """Rows shown under their parent, read-only: every field shown is read-only and nobody adds,
    edits or deletes a row here (their services write them)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordAdmin(ThroughServicesMixin, admin.ModelAdmin):
    """A record edited as it is: any staff member may look; who may add, change and delete is
    `permissions.RECORD_WRITERS` (administrators for reference data and events, the secretariat
    for cycles, indicators and corridors)."""

    def has_module_permission(self, request):
        return permissions.is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_staff_member(request.user)

    def has_add_permission(self, request):
        return permissions.can_write_record(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        return permissions.can_write_record(request.user, self.model)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_delete_record(request.user, self.model)


class RecordInlineMixin:
    """An inline decides by the same rules as its model's own admin (`permissions.RECORD_WRITERS`),
    not by Django's per-model permission rows, which no role holds: without it an editor saw a
    corridor's stops but could not add or change one. Its rows are saved by the parent's service
    call (`ThroughServicesMixin.save_related`)."""

    def has_view_permission(self, request, obj=None):
        return permissions.is_staff_member(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.can_write_record(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        return permissions.can_write_record(request.user, self.model)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_delete_record(request.user, self.model)


class RecordTabularInline(RecordInlineMixin, admin.TabularInline):
    pass


class RecordStackedInline(RecordInlineMixin, admin.StackedInline):
    pass
