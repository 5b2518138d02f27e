"""Admin of implementations, their status history and their evidence.

Status history is read-only here as everywhere; status changes, assignments, the internal note
and publication go through `services`. The change form carries the version it was loaded at
(`forms.ImplementationAdminForm`): a stale save is refused (409) as on the staff page. Staff see
the rows of the states in their scope.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import permissions, services
from ..choices import Door
from ..models import Evidence, Implementation, StatusUpdate
from .base import ReadOnlyAdmin, ReadOnlyTabularInline, ThroughServicesMixin
from .forms import BulkStatusForm, ImplementationAdminForm, bulk_refusal


class StatusUpdateInline(ReadOnlyTabularInline):
    """The history, read-only: nobody adds, edits or deletes it here."""

    model = StatusUpdate
    fields = ["effective_date", "track", "previous_status", "status", "author", "author_role", "comment", "rationale"]
    ordering = ["-effective_date", "-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class EvidenceInline(ReadOnlyTabularInline):
    """Evidence is listed here; it is added on the staff page and verified with the actions below."""

    model = Evidence
    fields = ["title", "kind", "date", "url", "original_filename", "verified", "visibility", "added_by"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("added_by")


@admin.register(Implementation)
class ImplementationAdmin(ThroughServicesMixin, admin.ModelAdmin):
    form = ImplementationAdminForm
    list_display = [
        "state",
        "item_column",
        "status",
        "assessment",
        "position",
        "owner",
        "lead_agency",
        "due_date",
        "last_reviewed",
    ]
    list_filter = ["status", "assessment", "position", "state__regional_group", "commitment", "is_demo"]
    search_fields = ["state__name", "state__iso2", "lead_agency", "commitment__short_title", "recommendation__code"]
    list_select_related = ["state", "commitment", "recommendation", "owner"]
    readonly_fields = [
        "state",
        "commitment",
        "recommendation",
        "status",
        "status_changed_at",
        "assessment",
        "assessment_changed_at",
        "last_reviewed",
        "version",
        "created_at",
        "updated_at",
    ]
    fields = (
        readonly_fields[:3] + ["owner", "lead_agency", "due_date", "position", "internal_note"] + readonly_fields[3:]
    )
    inlines = [StatusUpdateInline, EvidenceInline]
    actions = ["set_status"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = permissions.staff_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return permissions.is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_staff_member(request.user) and (
            obj is None or permissions.can_edit_implementation(request.user, obj)
        )

    def has_add_permission(self, request):
        return permissions.is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_assign(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return permissions.restrict_to_scope(super().get_queryset(request), request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:  # an administrator adding a tracked recommendation picks state and item
            return [f for f in self.readonly_fields if f not in ("state", "commitment", "recommendation")]
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        return self.fields + (["expected_version"] if obj is not None else [])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except services.StaleEdit as stale:  # saved by someone else between the form's check and the write
            self.message_user(request, str(stale), messages.ERROR)
            return HttpResponseRedirect(request.path)
        adminform = (getattr(response, "context_data", None) or {}).get("adminform")
        if adminform is not None and getattr(adminform.form, "stale", None) is not None:
            response.status_code = 409  # as the staff page: refused, nothing written, the input kept
        return response

    @admin.display(description=_("item"))
    def item_column(self, obj):
        return obj.item_label

    @admin.action(description=_("Set the status of the selected implementations"))
    def set_status(self, request, queryset):
        """Ask for one status, comment and evidence, then apply it to all selected or to none."""
        form = BulkStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            implementations = list(queryset.select_related("state", "commitment", "recommendation"))
            try:
                with services.door(Door.BULK):
                    updates = services.implementation_set_status_bulk(
                        changes=form.changes(implementations), actor=request.user
                    )
            except services.BulkStatusError as refused:
                self.message_user(request, bulk_refusal(refused, implementations), messages.ERROR)
            else:
                self.message_user(
                    request, ngettext("%d status updated.", "%d statuses updated.", len(updates)) % len(updates)
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Set the status of %(count)d implementations") % {"count": queryset.count()},
            "form": form,
            "queryset": queryset.select_related("state", "commitment", "recommendation"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/recommendations/bulk_status.html", context)

    def save_related(self, request, form, formsets, change):
        if not change:  # an administrator starting to track an item
            super().save_related(request, form, formsets, change)
            return
        # The assignment service, at the version the form was loaded at: the same rules as the pages.
        data = form.cleaned_data
        services.implementation_assign(
            implementation=form.instance,
            actor=request.user,
            owner=data.get("owner"),
            lead_agency=data.get("lead_agency", ""),
            due_date=data.get("due_date"),
            position=data.get("position"),
            internal_note=data.get("internal_note", ""),
            expected_version=data["expected_version"],
        )
        form.instance.refresh_from_db()
        for formset in formsets:  # the inlines are read-only: nothing of theirs is saved
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ImplementationRowsAdmin(ReadOnlyAdmin):
    """Rows that belong to an implementation (history, evidence): staff see those of the states in
    their scope; nobody adds, changes or deletes them here unless a subclass says so."""

    def get_queryset(self, request):
        return permissions.restrict_to_scope(super().get_queryset(request), request.user, "implementation__state")


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ImplementationRowsAdmin):
    list_display = [
        "implementation",
        "track",
        "previous_status",
        "status",
        "effective_date",
        "author",
        "author_role",
        "created_at",
    ]
    list_filter = ["track", "status", "author_role", "implementation__state__regional_group", "is_demo"]
    search_fields = ["implementation__state__name", "comment", "rationale"]
    list_select_related = [
        "implementation__state",
        "implementation__commitment",
        "implementation__recommendation",
        "author",
    ]
    date_hierarchy = "effective_date"


@admin.register(Evidence)
class EvidenceAdmin(ThroughServicesMixin, ImplementationRowsAdmin):
    list_display = ["title", "implementation", "kind", "date", "verified", "visibility", "added_by", "added_at"]
    list_filter = ["verified", "visibility", "kind", "implementation__state__regional_group", "is_demo"]
    search_fields = ["title", "description", "url", "implementation__state__name"]
    list_select_related = [
        "implementation__state",
        "implementation__commitment",
        "implementation__recommendation",
        "added_by",
    ]
    readonly_fields = [
        "implementation",
        "file",
        "original_filename",
        "content_type",
        "size",
        "added_by",
        "added_at",
        "verified",
        "verified_by",
        "verified_at",
        "visibility",
        "published_at",
    ]
    actions = ["verify_and_publish", "unpublish"]

    def has_change_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # evidence is never lost; unpublish it instead

    def _apply(self, request, queryset, **kwargs):
        done = 0
        try:
            for evidence in queryset:
                if kwargs.get("unpublish"):
                    services.evidence_unpublish(evidence=evidence, actor=request.user)
                else:
                    services.evidence_verify(evidence=evidence, actor=request.user, publish=True)
                done += 1
        except (PermissionDenied, ValidationError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
        return done

    @admin.action(description=_("Verify and publish the selected evidence"))
    def verify_and_publish(self, request, queryset):
        done = self._apply(request, queryset)
        self.message_user(
            request, ngettext("%d piece of evidence published.", "%d pieces of evidence published.", done) % done
        )

    @admin.action(description=_("Unpublish the selected evidence"))
    def unpublish(self, request, queryset):
        done = self._apply(request, queryset, unpublish=True)
        self.message_user(
            request, ngettext("%d piece of evidence unpublished.", "%d pieces of evidence unpublished.", done) % done
        )


# --- Bulk import ------------------------------------------------------------------------------
# The implementation list gains an "Import" page (recommendations/imports/admin.py): upload a
# spreadsheet or fixture, preview what it would change and every error, then apply it.

from ..imports.admin import ImportAdminMixin  # noqa: E402  (extends the ImplementationAdmin above)

admin.site.unregister(Implementation)


@admin.register(Implementation)
class ImplementationImportAdmin(ImportAdminMixin, ImplementationAdmin):
    """The implementation admin with its bulk import page."""
