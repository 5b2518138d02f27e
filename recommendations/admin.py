"""Django admin for administrators and the secretariat.

Access is decided by `permissions`, not by Django's per-model permission rows, so the admin
refuses exactly what the pages and API refuse. Status history is read-only here as everywhere;
status changes, assignments and publication go through `services`.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import permissions, services
from .bulk import BulkRefused, BulkStatusForm, implementations_bulk_set_status
from .models import (
    Commitment,
    CommitmentAction,
    Corridor,
    CorridorState,
    Evidence,
    Implementation,
    Indicator,
    Measurement,
    Recommendation,
    ReviewCycle,
    SDGTarget,
    State,
    StateScope,
    StatusUpdate,
    Theme,
)


class ReferenceDataAdmin(admin.ModelAdmin):
    """Source data: any staff member may look, only administrators change it."""

    def has_module_permission(self, request):
        return permissions.is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_staff_member(request.user)

    def has_add_permission(self, request):
        return permissions.is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_administrator(request.user)


class SecretariatAdmin(ReferenceDataAdmin):
    """Data the secretariat manages: editors and administrators change it."""

    def has_add_permission(self, request):
        return permissions.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_administrator(request.user)


@admin.register(State)
class StateAdmin(ReferenceDataAdmin):
    list_display = ["name", "iso2", "iso3", "numeric", "regional_group", "region", "subregion", "membership"]
    list_filter = ["regional_group", "region", "membership"]
    search_fields = ["name", "iso2", "iso3"]


@admin.register(SDGTarget)
class SDGTargetAdmin(ReferenceDataAdmin):
    list_display = ["code", "title"]
    search_fields = ["code", "title"]


@admin.register(Theme)
class ThemeAdmin(ReferenceDataAdmin):
    list_display = ["__str__", "kind", "document"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    list_select_related = ["document"]
    filter_horizontal = ["sdg_targets"]


class CommitmentActionInline(admin.TabularInline):
    model = CommitmentAction
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(ReferenceDataAdmin):
    list_display = ["number", "short_title", "action_count", "recommendation_count"]
    list_display_links = ["short_title"]
    search_fields = ["short_title", "text"]
    filter_horizontal = ["themes", "sdg_targets"]
    inlines = [CommitmentActionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                action_total=Count("actions", distinct=True),
                recommendation_total=Count("recommendations", distinct=True),
            )
        )

    @admin.display(description=_("actions"), ordering="action_total")
    def action_count(self, obj):
        return obj.action_total

    @admin.display(description=_("recommendations"), ordering="recommendation_total")
    def recommendation_count(self, obj):
        return obj.recommendation_total


@admin.register(CommitmentAction)
class CommitmentActionAdmin(ReferenceDataAdmin):
    list_display = ["__str__", "commitment", "text"]
    list_filter = ["commitment"]
    search_fields = ["text"]
    list_select_related = ["commitment"]


@admin.register(Recommendation)
class RecommendationAdmin(ReferenceDataAdmin):
    list_display = ["code", "__str__", "kind", "document", "place", "year_text", "event"]
    list_filter = ["kind", "document", "themes", "commitments", "year_from"]
    search_fields = ["code", "text", "section", "place"]
    list_select_related = ["document", "event"]
    filter_horizontal = ["themes", "commitments"]
    autocomplete_fields = ["parent", "event", "document"]


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


@admin.register(ReviewCycle)
class ReviewCycleAdmin(SecretariatAdmin):
    list_display = ["name", "kind", "event", "opens_on", "closes_on", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "slug"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ["name"]}


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ["state", "date", "review_cycle", "value", "sex", "age_group", "migratory_status", "source"]
    autocomplete_fields = ["state"]


@admin.register(Indicator)
class IndicatorAdmin(SecretariatAdmin):
    list_display = ["code", "name", "commitment", "unit", "direction", "baseline", "target", "is_demo"]
    list_filter = ["commitment", "direction", "is_demo"]
    search_fields = ["code", "name"]
    list_select_related = ["commitment"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(SecretariatAdmin):
    list_display = ["indicator", "state", "date", "value", "sex", "age_group", "migratory_status", "review_cycle"]
    list_filter = ["indicator", "sex", "migratory_status", "review_cycle", "state__regional_group"]
    search_fields = ["indicator__name", "state__name"]
    list_select_related = ["indicator", "state", "review_cycle"]
    autocomplete_fields = ["state", "indicator"]


class CorridorStateInline(admin.TabularInline):
    model = CorridorState
    extra = 0
    autocomplete_fields = ["state"]


@admin.register(Corridor)
class CorridorAdmin(SecretariatAdmin):
    list_display = ["name", "slug", "is_demo"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CorridorStateInline]


@admin.register(CorridorState)
class CorridorStateAdmin(SecretariatAdmin):
    list_display = ["corridor", "order", "state", "role"]
    list_filter = ["role", "corridor"]
    search_fields = ["corridor__name", "state__name"]
    list_select_related = ["corridor", "state"]
    autocomplete_fields = ["state", "corridor"]


@admin.register(StateScope)
class StateScopeAdmin(ReferenceDataAdmin):
    list_display = ["user", "state"]
    list_filter = ["state__regional_group"]
    search_fields = ["user__username", "user__email", "state__name", "state__iso2"]
    list_select_related = ["user", "state"]
    autocomplete_fields = ["user", "state"]


# --- Bulk import ------------------------------------------------------------------------------
# The implementation list gains an "Import" page (recommendations/import_admin.py): upload a
# spreadsheet or fixture, preview what it would change and every error, then apply it.

from .import_admin import ImportAdminMixin  # noqa: E402  (extends the ImplementationAdmin above)

admin.site.unregister(Implementation)


@admin.register(Implementation)
class ImplementationImportAdmin(ImportAdminMixin, ImplementationAdmin):
    """The implementation admin with its bulk import page."""
