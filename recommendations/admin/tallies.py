"""The kept counts in the admin: looked at by administrators, never written here. The writes keep
them (`services/tallies.py`) and `manage.py rebuild_tallies` recounts them."""

from django.contrib import admin

from .. import permissions
from ..models import CommitmentTally, StateTally
from .base import ReadOnlyAdmin


class TallyAdmin(ReadOnlyAdmin):
    list_display = ["measure", "n"]
    list_filter = ["measure"]
    search_fields = ["measure"]

    def may_view(self, user) -> bool:
        return permissions.is_administrator(user)


@admin.register(CommitmentTally)
class CommitmentTallyAdmin(TallyAdmin):
    list_display = ["commitment", *TallyAdmin.list_display]
    list_select_related = ["commitment"]


@admin.register(StateTally)
class StateTallyAdmin(TallyAdmin):
    list_display = ["state", *TallyAdmin.list_display]
    list_select_related = ["state"]
