"""Writes of evidence: adding it (staff only and unverified at first), verifying and publishing it,
unpublishing it, and an editor's correction of its description. Only the secretariat verifies
and publishes. Each write leaves a change record; unpublishing keeps the earlier publication in
it (the record holds `published_at` before and after)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import Visibility
from ..models import Evidence, Implementation
from . import changes
from .context import discard_file_on_failure, service
from .logs import denied, logger
from .tallies import public_evidence_changed


def create_evidence(
    *,
    implementation: Implementation,
    actor,
    title: str,
    kind: str,
    url: str = "",
    file=None,
    date: datetime.date | None = None,
    description: str = "",
    is_demo: bool = False,
) -> Evidence:
    """The body of `evidence_add`, for services that add evidence inside their own transaction."""
    if not permissions.can_add_evidence(actor, implementation):
        raise denied(_("You may not add evidence to %(item)s.") % {"item": implementation})
    evidence = Evidence(
        implementation=implementation,
        title=title.strip(),
        kind=kind,
        url=url.strip(),
        date=date,
        description=description.strip(),
        added_by=actor,
        is_demo=is_demo,
    )
    if file is not None:
        evidence.original_filename = getattr(file, "name", "")[-255:]
        evidence.size = getattr(file, "size", None)
        evidence.content_type = getattr(file, "gcm_content_type", "") or ""
        evidence.file = file
    if not evidence.url and not evidence.file:
        raise ValidationError({"url": _("Give a URL or upload a file.")})
    evidence.full_clean(exclude=["implementation", "added_by", "file"])
    evidence.save()
    discard_file_on_failure(evidence.file)
    changes.record(actor=actor, instance=evidence, before={})
    logger.info("evidence added", extra={"evidence": evidence.pk, "implementation": implementation.pk})
    return evidence


def _published(evidence) -> bool:
    """What `Evidence.objects.public()` keeps."""
    return evidence.verified and evidence.visibility == Visibility.PUBLIC


@service
def evidence_add(**kwargs) -> Evidence:
    """Attach evidence (a URL and/or a file already checked by `uploads.validate_evidence_file`).
    New evidence is staff-only and unverified until an editor verifies and publishes it.
    Arguments: those of `create_evidence`."""
    return create_evidence(**kwargs)


@service
def evidence_verify(*, evidence: Evidence, actor, publish: bool = False) -> Evidence:
    """Mark evidence as checked by the secretariat and, when asked, publish it."""
    if not permissions.can_publish_evidence(actor, evidence):
        raise denied(_("Only the secretariat verifies and publishes evidence."))
    evidence = Evidence.objects.select_for_update(of=("self",)).select_related("implementation").get(pk=evidence.pk)
    before = changes.snapshot(evidence)
    was_public = _published(evidence)
    now = timezone.now()
    if not evidence.verified:
        evidence.verified, evidence.verified_by, evidence.verified_at = True, actor, now
    if publish and evidence.visibility != Visibility.PUBLIC:
        evidence.visibility, evidence.published_at = Visibility.PUBLIC, now
    evidence.save()
    if _published(evidence) and not was_public:
        public_evidence_changed(evidence, +1)
    changes.record(actor=actor, instance=evidence, before=before)
    logger.info(
        "evidence verified", extra={"evidence": evidence.pk, "published": evidence.visibility == Visibility.PUBLIC}
    )
    return evidence


@service
def evidence_unpublish(*, evidence: Evidence, actor) -> Evidence:
    """Take evidence back to staff only. Its publication date stays in the change record."""
    if not permissions.can_publish_evidence(actor, evidence):
        raise denied(_("Only the secretariat verifies and publishes evidence."))
    evidence = Evidence.objects.select_for_update(of=("self",)).select_related("implementation").get(pk=evidence.pk)
    before = changes.snapshot(evidence)
    was_public = _published(evidence)
    evidence.visibility, evidence.published_at = Visibility.STAFF, None
    evidence.save()
    if was_public:
        public_evidence_changed(evidence, -1)
    changes.record(actor=actor, instance=evidence, before=before)
    return evidence
