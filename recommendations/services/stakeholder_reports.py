"""Writes of stakeholder reports: a contributor submits one for a state and a tracked item (a
commitment or a tracked recommendation), with links and files (checked like staff uploads), and
edits it while it waits for moderation or after an editor asked for changes; an editor approves
it (then it is public), rejects it with a reason, or asks for changes (the contributor is told
each time). A write that started from an old version is refused, nothing written.

Change records are staff-only (`changes.PRIVATE`); an approval touches the cache scopes of the
report's state and item, where it now shows.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gcmtracker.scopes import touch

from .. import permissions
from ..choices import ReportStatus, Status
from ..models import Implementation, StakeholderEvidence, StakeholderReport
from . import changes, uploads
from .context import discard_file_on_failure, service
from .logs import denied, logger
from .scopes import implementation_scopes
from .stakeholders import absolute_url, check_version, send

MAX_LINKS = 10
MAX_FILES = 5
MAX_NARRATIVE = 10000
EDITABLE = (ReportStatus.SUBMITTED, ReportStatus.CHANGES_REQUESTED)


@dataclass
class Link:
    url: str
    title: str = ""


def find_implementation(*, state: str, commitment=None, recommendation: str = "") -> Implementation:
    """The tracked item a report is about, by the state's ISO code and the commitment's number or
    the recommendation's code; a clear error when there is no such state or tracked item."""
    state = (state or "").strip().upper()
    found = Implementation.objects.select_related("state", "commitment", "recommendation").filter(state__iso2=state)
    if not state or not found.exists():
        raise ValidationError({"state": _("There is no state with the code “%(code)s”.") % {"code": state}})
    if bool(commitment) == bool(recommendation):
        raise ValidationError({"commitment": _("Name one commitment or one tracked recommendation.")})
    if commitment:
        try:
            number = int(commitment)
        except (TypeError, ValueError):
            number = None
        implementation = found.filter(commitment__number=number).first() if number is not None else None
        if implementation is None:
            raise ValidationError({"commitment": _("There is no commitment %(number)s.") % {"number": commitment}})
        return implementation
    implementation = found.filter(recommendation__code=recommendation.strip()).first()
    if implementation is None:
        raise ValidationError(
            {
                "recommendation": _("The recommendation “%(code)s” is not tracked for this state.")
                % {"code": recommendation}
            }
        )
    return implementation


def _checked(assessment: str, narrative: str, links, files) -> tuple[list[Link], list]:
    """Everything a submission gives, checked before anything is written."""
    errors = {}
    if assessment not in Status.values or assessment == Status.NO_INFORMATION:
        errors["assessment"] = _("Choose an assessment from the tracker's statuses.")
    narrative = narrative.strip()
    if not narrative:
        errors["narrative"] = _("Write what your organisation found.")
    elif len(narrative) > MAX_NARRATIVE:
        errors["narrative"] = _("The narrative is too long (%(length)s characters; at most %(limit)s).") % {
            "length": len(narrative),
            "limit": MAX_NARRATIVE,
        }
    links = [link if isinstance(link, Link) else Link(url=str(link)) for link in links or []]
    links = [Link(url=link.url.strip(), title=link.title.strip()) for link in links if link.url.strip()]
    files = list(files or [])
    if len(links) > MAX_LINKS:
        errors["links"] = _("At most %(limit)s links.") % {"limit": MAX_LINKS}
    if len(files) > MAX_FILES:
        errors["files"] = _("At most %(limit)s files.") % {"limit": MAX_FILES}
    for file in files[:MAX_FILES]:
        try:
            uploads.validate_evidence_file(file)
        except ValidationError as error:
            name = getattr(file, "name", "") or ""
            errors.setdefault("files", f"{name}: {' '.join(error.messages)}")
    if errors:
        raise ValidationError(errors)
    return links, files


def _add_evidence(actor, report, links: list[Link], files: list) -> None:
    for link in links:
        row = StakeholderEvidence(
            report=report, url=link.url, title=link.title or link.url[:300], is_demo=report.is_demo
        )
        try:
            row.full_clean(exclude=["report"])
        except ValidationError as error:
            raise ValidationError({"links": f"{link.url}: {' '.join(error.messages)}"}) from error
        row.save()
        changes.record(actor=actor, instance=row, before={})
    for file in files:
        row = StakeholderEvidence(
            report=report,
            title=(getattr(file, "name", "") or "")[-300:],
            original_filename=(getattr(file, "name", "") or "")[-255:],
            size=getattr(file, "size", None),
            content_type=getattr(file, "gcm_content_type", "") or "",
            file=file,
            is_demo=report.is_demo,
        )
        row.full_clean(exclude=["report", "file"])
        row.save()
        discard_file_on_failure(row.file)
        changes.record(actor=actor, instance=row, before={})


@service
def report_submit(
    *,
    actor,
    state: str,
    assessment: str,
    narrative: str,
    commitment=None,
    recommendation: str = "",
    links=(),
    files=(),
    is_demo: bool = False,
) -> StakeholderReport:
    """A contributor of an approved organisation submits a report for moderation."""
    if not permissions.can_submit_stakeholder_report(actor):
        raise denied(_("Only contributors of an approved organisation submit stakeholder reports."))
    implementation = find_implementation(state=state, commitment=commitment, recommendation=recommendation)
    links, files = _checked(assessment, narrative, links, files)
    report = StakeholderReport(
        organisation=permissions.contributor_organisation(actor),
        implementation=implementation,
        assessment=assessment,
        narrative=narrative.strip(),
        submitted_by=actor,
        is_demo=is_demo,
    )
    report.full_clean(exclude=["organisation", "implementation", "submitted_by"])
    report.save()
    changes.record(actor=actor, instance=report, before={})
    _add_evidence(actor, report, links, files)
    logger.info("stakeholder report submitted", extra={"report": report.pk, "implementation": implementation.pk})
    return report


@service
def report_edit(
    *,
    actor,
    report: StakeholderReport,
    expected_version: int | None,
    assessment: str,
    narrative: str,
    links=(),
    files=(),
) -> StakeholderReport:
    """A contributor edits their organisation's report while it waits for moderation or after an
    editor asked for changes (it goes back to the queue); new links and files are added."""
    report = StakeholderReport.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=report.pk)
    if not permissions.can_edit_stakeholder_report(actor, report):
        raise denied(_("You may edit only your own organisation's reports."))
    if report.status not in EDITABLE:
        raise ValidationError(_("This report was already moderated: submit a new one instead."), code="moderated")
    check_version(report, expected_version)
    links, files = _checked(assessment, narrative, links, files)
    before = changes.snapshot(report)
    report.assessment, report.narrative = assessment, narrative.strip()
    report.status, report.submitted_at, report.version = ReportStatus.SUBMITTED, timezone.now(), report.version + 1
    report.full_clean(exclude=["organisation", "implementation", "submitted_by", "moderated_by"])
    report.save()
    changes.record(actor=actor, instance=report, before=before)
    _add_evidence(actor, report, links, files)
    return report


DECISIONS = {
    "approve": ReportStatus.APPROVED,
    "reject": ReportStatus.REJECTED,
    "changes": ReportStatus.CHANGES_REQUESTED,
}


@service
def report_moderate(
    *, actor, report: StakeholderReport, decision: str, reason: str = "", expected_version: int | None = None
) -> StakeholderReport:
    """An editor approves a report (it is public from now on), rejects it with a reason, or asks
    for changes (with what to change). The contributor who submitted it is told by email."""
    if not permissions.can_moderate_stakeholders(actor):
        raise denied(_("Only the secretariat moderates stakeholder reports."))
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Approve, reject or ask for changes.")})
    report = (
        StakeholderReport.objects.select_for_update(of=("self",))
        .select_related("organisation", "submitted_by", "implementation__state")
        .select_related("implementation__commitment", "implementation__recommendation")
        .get(pk=report.pk)
    )
    check_version(report, expected_version)
    reason = reason.strip()
    if decision != "approve" and not reason:
        raise ValidationError({"reason": _("Say why, or what to change: it is sent to the contributor.")})
    if decision == "approve" and not report.organisation.is_approved:
        raise ValidationError(_("Approve the organisation first: its reports cannot be published before it is."))
    was_public = report.status == ReportStatus.APPROVED
    before = changes.snapshot(report)
    report.status = DECISIONS[decision]
    report.reason = "" if decision == "approve" else reason
    report.moderated_by, report.moderated_at = actor, timezone.now()
    report.published_at = report.moderated_at if decision == "approve" else None
    report.version += 1
    report.full_clean(exclude=["organisation", "implementation", "submitted_by", "moderated_by"])
    report.save()
    changes.record(actor=actor, instance=report, before=before)
    if was_public or decision == "approve":
        touch(*implementation_scopes(report.implementation))
    _tell_contributor(report, decision, reason)
    logger.info("stakeholder report moderated", extra={"report": report.pk, "decision": decision})
    return report


def _tell_contributor(report, decision: str, reason: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"item": report.implementation, "reason": reason, "url": absolute_url(reverse("stakeholders:mine"))}
        if decision == "approve":
            subject = _("Your report is published: %(item)s") % context
            body = _("An editor approved your report on %(item)s; it is now public.\n%(url)s") % context
        elif decision == "reject":
            subject = _("Your report was rejected: %(item)s") % context
            body = _("An editor rejected your report on %(item)s, for this reason:\n\n%(reason)s\n\n%(url)s") % context
        else:
            subject = _("Changes asked to your report: %(item)s") % context
            body = (
                _(
                    "An editor asks for changes to your report on %(item)s before it can be published:\n\n"
                    "%(reason)s\n\nEdit it here: %(url)s"
                )
                % context
            )
        send(to=[report.submitted_by.email], subject=subject, body=body, kind="stakeholder_report")
