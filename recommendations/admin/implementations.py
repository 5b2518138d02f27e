"""Admin of implementations, their status history and their evidence.

Status history is read-only here as everywhere; status changes, assignments and publication go
through `services`. Staff see the rows of the states in their scope.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import permissions, services
from ..models import Evidence, Implementation, StatusUpdate
from ..services.bulk import BulkRefused, implementations_bulk_set_status
from .forms import BulkStatusForm


class StatusUpdateInline(admin.TabularInline):
    """The history, read-only: nobody adds, edits or deletes it here."""

    model = StatusUpdate
    extra = 0
    can_delete = False
    fields = ["effective_date", "track", "previous_status", "status", "author", "author_role", "comment", "rationale"]
    readonly_fields = fields
    ordering = ["-effective_date", "-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    """Evidence is listed here; it is added on the staff page and verified with the actions below."""

    model = Evidence
    extra = 0
    can_delete = False
    fields = ["title", "kind", "date", "url", "original_filename", "verified", "visibility", "added_by"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("added_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Implementation)
class ImplementationAdmin(admin.ModelAdmin):
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
        return self.fields

    @admin.display(description=_("item"))
    def item_column(self, obj):
        return obj.item_label

    @admin.action(description=_("Set the status of the selected implementations"))
    def set_status(self, request, queryset):
        """Ask for one status, comment and evidence, then apply it to all selected or to none."""
        form = BulkStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                updates = implementations_bulk_set_status(
                    implementations=list(queryset.select_related("state")),
                    actor=request.user,
                    evidence=form.evidence(),
                    **{k: form.cleaned_data[k] for k in ("status", "comment", "rationale", "track")},
                )
            except BulkRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
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

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Assignment goes through the service, so the admin obeys the same rules as the pages.
        services.implementation_assign(
            implementation=obj,
            actor=request.user,
            owner=form.cleaned_data.get("owner"),
            lead_agency=form.cleaned_data.get("lead_agency", ""),
            due_date=form.cleaned_data.get("due_date"),
            position=form.cleaned_data.get("position"),
        )
        Implementation.objects.filter(pk=obj.pk).update(internal_note=form.cleaned_data.get("internal_note", ""))


class ImplementationRowsAdmin(admin.ModelAdmin):
    """Rows that belong to an implementation (history, evidence): staff see those of the states in
    their scope; nobody adds, changes or deletes them here unless a subclass says so."""

    def get_queryset(self, request):
        return permissions.restrict_to_scope(super().get_queryset(request), request.user, "implementation__state")

    def has_module_permission(self, request):
        return permissions.is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_staff_member(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class EvidenceAdmin(ImplementationRowsAdmin):
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
