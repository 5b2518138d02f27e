"""Stakeholder organisations, contributors and reports in the admin: read-only, for the
secretariat. Approving, rejecting and asking for changes go through the moderation services
(`services/stakeholders.py`, `services/stakeholder_reports.py`), never through a form here."""

from django.contrib import admin

from .. import permissions
from ..models import Contributor, Organisation, StakeholderEvidence, StakeholderReport
from .base import ReadOnlyAdmin


class StakeholderAdmin(ReadOnlyAdmin):
    """What the secretariat looks at; nobody adds, changes or deletes a row here."""

    def may_view(self, user) -> bool:
        return permissions.can_moderate_stakeholders(user)


@admin.register(Organisation)
class OrganisationAdmin(StakeholderAdmin):
    list_display = ["name", "kind", "country", "status", "created_at", "moderated_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "website"]
    list_select_related = ["country"]


@admin.register(Contributor)
class ContributorAdmin(StakeholderAdmin):
    list_display = ["user", "organisation", "email_confirmed_at", "created_at"]
    list_filter = ["organisation__status"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]


@admin.register(StakeholderReport)
class StakeholderReportAdmin(StakeholderAdmin):
    list_display = ["organisation", "implementation", "assessment", "status", "submitted_at", "moderated_at"]
    list_filter = ["status", "assessment", "implementation__state__regional_group"]
    search_fields = ["organisation__name", "implementation__state__name", "narrative"]
    list_select_related = [
        "organisation",
        "implementation__state",
        "implementation__commitment",
        "implementation__recommendation",
    ]


@admin.register(StakeholderEvidence)
class StakeholderEvidenceAdmin(StakeholderAdmin):
    list_display = ["title", "report", "url", "original_filename", "size"]
    search_fields = ["title", "url", "report__organisation__name"]
    list_select_related = [
        "report__organisation",
        "report__implementation__state",
        "report__implementation__commitment",
        "report__implementation__recommendation",
    ]
