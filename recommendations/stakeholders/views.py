"""A contributor confirms their email address (a form, so that a mail scanner opening the link
confirms nothing) and sees their organisation's submissions with where each stands."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import permissions, services


@require_http_methods(["GET", "POST"])
def confirm(request, uidb64, token):
    confirmed, error = None, None
    if request.method == "POST":
        try:
            confirmed = services.contributor_confirm_email(uidb64=uidb64, token=token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    status = 400 if error else 200
    return render(request, "stakeholders/confirm.html", {"confirmed": confirmed, "error": error}, status=status)


@permissions.signed_in_required
def mine(request):
    organisation = permissions.contributor_organisation(request.user)
    if organisation is None:
        raise PermissionDenied(_("This page is for contributors of stakeholder organisations."))
    reports = (
        permissions.visible_stakeholder_reports(request.user)
        .filter(organisation=organisation)
        .select_related("implementation__state", "implementation__commitment", "implementation__recommendation")
        .prefetch_related("evidence")
    )
    return render(request, "stakeholders/mine.html", {"organisation": organisation, "reports": reports})
