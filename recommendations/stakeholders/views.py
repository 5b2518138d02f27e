"""The stakeholder contributors' pages: registering an organisation (then confirming the email
address from the link sent: a form, so that a mail scanner opening the link confirms nothing),
submitting a report, editing one, and the contributor's own submissions with where each stands,
beside the open reporting rounds that invite stakeholder reports.

Registration and submissions are throttled per client address and per account, with the counter
the password reset uses (`gcmtracker.throttle.hit`): no third-party CAPTCHA."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from gcmtracker.throttle import hit

from .. import permissions, rounds, services, voices
from ..models import Commitment, Recommendation, StakeholderEvidence, State
from .forms import RegisterForm, ReportForm, SubmitForm


def _attach(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _throttled(request, kind: str, account: str = "") -> bool:
    """Whether this client (and account) made too many `kind` requests in the window."""
    window = settings.STAKEHOLDER_WINDOW_SECONDS
    client = request.META.get("REMOTE_ADDR", "")
    per_client = hit(f"stakeholders:{kind}:client:{client}", settings.STAKEHOLDER_PER_CLIENT, window)
    per_account = not account or hit(f"stakeholders:{kind}:account:{account}", settings.STAKEHOLDER_PER_ACCOUNT, window)
    return not (per_client and per_account)


def _too_many(request, template, context):
    minutes = max(1, settings.STAKEHOLDER_WINDOW_SECONDS // 60)
    context["form"].add_error(
        None, _("Too many submissions. Wait %(minutes)d minutes, then try again.") % {"minutes": minutes}
    )
    return render(request, template, context, status=429)


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        if _throttled(request, "register"):
            return _too_many(request, "stakeholders/register.html", context)
        try:
            services.organisation_register(**form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            return render(request, "stakeholders/registered.html", {"email": form.cleaned_data["email"]})
    return render(request, "stakeholders/register.html", context, status=400 if form.errors else 200)


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


def _organisation_of(request):
    organisation = permissions.contributor_organisation(request.user)
    if organisation is None:
        raise PermissionDenied(_("This page is for contributors of stakeholder organisations."))
    return organisation


def _invitations(organisation):
    """The open reporting rounds that invite stakeholder reports, with their states and items:
    what an approved organisation is asked to report on (none for another)."""
    if not organisation.is_approved:
        return []
    return list(
        rounds.inviting_stakeholders()
        .prefetch_related(
            Prefetch("states", queryset=State.objects.only("iso2", "name")),
            Prefetch("commitments", queryset=Commitment.objects.only("number", "short_title")),
            Prefetch("recommendations", queryset=Recommendation.objects.only("code")),
        )
        .order_by("deadline", "name")
    )


@permissions.signed_in_required
def mine(request):
    organisation = _organisation_of(request)
    reports = (
        permissions.visible_stakeholder_reports(request.user)
        .filter(organisation=organisation)
        .select_related("implementation__state", "implementation__commitment", "implementation__recommendation")
        .prefetch_related("evidence")
        .order_by("-submitted_at", "-id")
    )
    page = voices.page_of(reports, request.GET.get("page"), per_page=voices.PER_PAGE)
    context = {"organisation": organisation, "reports": page, "invitations": _invitations(organisation)}
    return render(request, "stakeholders/mine.html", context)


# A link from an invitation names the state (and the item, when the round has one): the form starts on them.
PREFILLED = ("state", "commitment", "recommendation")


@permissions.signed_in_required
@require_http_methods(["GET", "POST"])
def submit(request):
    organisation = _organisation_of(request)
    initial = {name: request.GET[name][:40] for name in PREFILLED if request.GET.get(name)}
    form = SubmitForm(request.POST or None, request.FILES or None, initial=initial)
    context = {"form": form, "organisation": organisation}
    if not organisation.is_approved:
        context["blocked"] = _("Your organisation is not approved: it cannot submit reports.")
        return render(
            request, "stakeholders/report_form.html", context, status=403 if request.method == "POST" else 200
        )
    if request.method == "POST" and form.is_valid():
        if _throttled(request, "report", str(request.user.pk)):
            return _too_many(request, "stakeholders/report_form.html", context)
        data = form.cleaned_data
        try:
            services.report_submit(
                actor=request.user,
                state=data["state"],
                commitment=data["commitment"],
                recommendation=data["recommendation"],
                assessment=data["assessment"],
                narrative=data["narrative"],
                links=data["links"],
                files=data["files"],
            )
        except (ValidationError, PermissionDenied) as error:
            _attach(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("Report submitted. An editor will review it before it is published."))
            return redirect("stakeholders:mine")
    return render(request, "stakeholders/report_form.html", context, status=400 if form.errors else 200)


@permissions.signed_in_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    _organisation_of(request)
    report = get_object_or_404(
        permissions.visible_stakeholder_reports(request.user).select_related("organisation", "implementation__state"),
        pk=pk,
    )
    if not permissions.can_edit_stakeholder_report(request.user, report):
        raise PermissionDenied(_("You may edit only your own organisation's reports."))
    initial = {"assessment": report.assessment, "narrative": report.narrative, "version": report.version}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    form.fields["version"].required = True
    context = {"form": form, "report": report, "organisation": report.organisation}
    if request.method == "POST" and form.is_valid():
        if _throttled(request, "report", str(request.user.pk)):
            return _too_many(request, "stakeholders/report_form.html", context)
        data = form.cleaned_data
        try:
            services.report_edit(
                actor=request.user,
                report=report,
                expected_version=data["version"],
                assessment=data["assessment"],
                narrative=data["narrative"],
                links=data["links"],
                files=data["files"],
            )
        except services.StaleModeration as error:
            _attach(form, error)
            return render(request, "stakeholders/report_form.html", context, status=409)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Report saved. An editor will review it before it is published."))
            return redirect("stakeholders:mine")
    return render(request, "stakeholders/report_form.html", context, status=400 if form.errors else 200)


@require_safe
def evidence_file(request, pk):
    """A stakeholder report's file, as a download: to everyone once the report is public, else
    only to its organisation's contributors and the secretariat (404 to anyone else, so its
    existence is not disclosed). At a stable, unprefixed address, like staff evidence files."""
    item = get_object_or_404(StakeholderEvidence.objects.select_related("report__organisation"), pk=pk)
    if not item.file or not permissions.can_view_stakeholder_report(request.user, item.report):
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_filename or item.file.name.rsplit("/", 1)[-1],
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300" if item.report.is_public else "private, no-store"
    if request.method == "HEAD":
        response.file_to_stream.close()
        response.streaming_content = []
    return response
