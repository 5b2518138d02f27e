"""The change records in the admin: read-only, like the status history. Each tracked record's
History tab shows its own (`base.ThroughServicesMixin.history_view`); this list shows them all,
to staff of the states in their scope."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..models import ChangeRecord
from .base import ReadOnlyAdmin


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "content_type",
        "object_repr",
        "action",
        "what",
        "door",
        "actor",
        "actor_role",
        "is_public",
    ]
    list_filter = ["door", "action", "is_public", "content_type", "actor_role", "state__regional_group"]
    search_fields = ["object_repr", "object_id", "request_id", "state__name"]
    list_select_related = ["content_type", "actor", "state"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return permissions.restrict_to_scope(super().get_queryset(request), request.user)

    @admin.display(description=_("what changed"))
    def what(self, obj):
        return "; ".join(obj.sentences())
