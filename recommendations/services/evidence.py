"""Writes of evidence: adding it (staff only and unverified at first), verifying and publishing it,
and unpublishing it. Only the secretariat verifies and publishes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..choices import Visibility
from ..models import Evidence, Implementation
from .logs import denied, logger


@transaction.atomic
def evidence_add(
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
    """Attach evidence (a URL and/or a file already checked by `uploads.validate_evidence_file`).
    New evidence is staff-only and unverified until an editor verifies and publishes it."""
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
    logger.info("evidence added", extra={"evidence": evidence.pk, "implementation": implementation.pk})
    return evidence


@transaction.atomic
def evidence_verify(*, evidence: Evidence, actor, publish: bool = False) -> Evidence:
    """Mark evidence as checked by the secretariat and, when asked, publish it."""
    if not permissions.can_publish_evidence(actor, evidence):
        raise denied(_("Only the secretariat verifies and publishes evidence."))
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    now = timezone.now()
    if not evidence.verified:
        evidence.verified, evidence.verified_by, evidence.verified_at = True, actor, now
    if publish and evidence.visibility != Visibility.PUBLIC:
        evidence.visibility, evidence.published_at = Visibility.PUBLIC, now
    evidence.save()
    logger.info(
        "evidence verified", extra={"evidence": evidence.pk, "published": evidence.visibility == Visibility.PUBLIC}
    )
    return evidence


@transaction.atomic
def evidence_unpublish(*, evidence: Evidence, actor) -> Evidence:
    if not permissions.can_publish_evidence(actor, evidence):
        raise denied(_("Only the secretariat verifies and publishes evidence."))
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    evidence.visibility, evidence.published_at = Visibility.STAFF, None
    evidence.save()
    logger.info("evidence unpublished", extra={"evidence": evidence.pk})
    return evidence
