"""Who may use which admin page. Access is decided by `permissions`, not by Django's per-model
permission rows, so the admin refuses exactly what the pages and API refuse."""

from django.contrib import admin

from .. import permissions


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
