"""The editors' moderation queue of stakeholder organisations and reports (/staff/stakeholders/):
approve, reject with a reason, or ask for changes; each decision through the services, which
email the contributors, and refused over a newer version (409). The reports wait oldest first,
PER_PAGE a page, each with its links and files (which editors may open before deciding)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..choices import OrganisationStatus, ReportStatus
from ..models import Organisation, StakeholderEvidence, StakeholderReport
from ..stakeholders.forms import ModerateForm

PER_PAGE = 50  # reports a page of the queue, oldest first


def _queue(request, *, form=None, status=200):
    organisations = Organisation.objects.filter(status=OrganisationStatus.PENDING).select_related("country")
    reports = (
        permissions.visible_stakeholder_reports(request.user)
        .filter(status=ReportStatus.SUBMITTED)
        .select_related(
            "organisation", "implementation__state", "implementation__commitment", "implementation__recommendation"
        )
        .prefetch_related(Prefetch("evidence", queryset=StakeholderEvidence.objects.order_by("id")))
        .order_by("submitted_at", "id")
    )
    reports = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    context = {"organisations": organisations, "reports": reports, "failed": form}
    return render(request, "staff/stakeholder_queue.html", context, status=status)


@permissions.editor_required
def queue(request):
    return _queue(request)


def _decide(request, call):
    form = ModerateForm(request.POST)
    if not form.is_valid():
        return _queue(request, form=form, status=400)
    try:
        call(form.cleaned_data)
    except services.StaleModeration as error:
        form.add_error(None, error.messages)
        return _queue(request, form=form, status=409)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _queue(request, form=form, status=400)
    messages.success(request, _("Decision saved; the contributor is told by email."))
    return redirect("staff:stakeholder-queue")


@permissions.editor_required
@require_POST
def moderate_organisation(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)

    def call(data):
        if data["decision"] == "changes":
            raise ValidationError(_("An organisation is approved or rejected."))
        services.organisation_moderate(
            actor=request.user,
            organisation=organisation,
            approve=data["decision"] == "approve",
            reason=data["reason"],
            expected_version=data["version"],
        )

    return _decide(request, call)


@permissions.editor_required
@require_POST
def moderate_report(request, pk):
    report = get_object_or_404(StakeholderReport, pk=pk)

    def call(data):
        services.report_moderate(
            actor=request.user,
            report=report,
            decision=data["decision"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    return _decide(request, call)
