"""The whole-of-society voice: stakeholder organisations, their contributors' accounts and the
reports they submit on a state's progress, which an editor moderates before the public sees them.

An organisation registers itself (its first contributor confirms their email address), then an
editor approves or rejects it. A contributor of an approved organisation submits reports: for one
state and one tracked item (an `Implementation`: a commitment or a tracked recommendation), an
assessment in the tracker's status vocabulary, a narrative and evidence (links and files, the
files checked like staff uploads). Only an approved report is public, and the public sees the
organisation's name, never a contributor's. Writes go through `services/stakeholders.py`.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gcmtracker.validators import PlainTextValidator, PublicURLValidator, url_host

from ..choices import OrganisationStatus, ReportStatus, StakeholderKind, Status


class StakeholderQuerySet(models.QuerySet):
    def public(self):
        """Reports the public may see: approved ones, of approved organisations."""
        return self.filter(status=ReportStatus.APPROVED, organisation__status=OrganisationStatus.APPROVED)


class Organisation(models.Model):
    """A stakeholder organisation (Annex I's list of stakeholders) whose contributors report."""

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[PlainTextValidator()])
    kind = models.CharField(_("kind of stakeholder"), max_length=24, choices=StakeholderKind.choices)
    country = models.ForeignKey(
        "recommendations.State",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stakeholder_organisations",
    )
    website = models.URLField(_("website"), max_length=500, blank=True, validators=[PublicURLValidator()])
    status = models.CharField(
        _("status"), max_length=12, choices=OrganisationStatus.choices, default=OrganisationStatus.PENDING
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        validators=[PlainTextValidator(allow_newlines=True)],
        help_text=_("Why it was rejected."),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations_moderated",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder organisation")
        verbose_name_plural = _("stakeholder organisations")
        constraints = [
            models.CheckConstraint(name="organisation_valid_kind", condition=models.Q(kind__in=StakeholderKind.values)),
            models.CheckConstraint(
                name="organisation_valid_status", condition=models.Q(status__in=OrganisationStatus.values)
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_approved(self):
        return self.status == OrganisationStatus.APPROVED


class Contributor(models.Model):
    """A person's account that reports for one organisation. Never shown to the public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="contributor"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="contributors"
    )
    email_confirmed_at = models.DateTimeField(_("email address confirmed"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self):
        return f"{self.user.get_username()} ({self.organisation})"


class StakeholderReport(models.Model):
    """An organisation's assessment of one state's progress on one tracked item: the third voice
    beside the state's report and the secretariat's assessment. Public only once approved."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="reports"
    )
    implementation = models.ForeignKey(
        "recommendations.Implementation",
        verbose_name=_("implementation"),
        on_delete=models.PROTECT,
        related_name="stakeholder_reports",
    )
    assessment = models.CharField(_("assessment"), max_length=24, choices=Status.choices)
    narrative = models.TextField(_("narrative"), validators=[PlainTextValidator(allow_newlines=True)])
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    reason = models.TextField(
        _("reason"),
        blank=True,
        validators=[PlainTextValidator(allow_newlines=True)],
        help_text=_("Why it was rejected, or what to change."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="stakeholder_reports",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stakeholder_reports_moderated",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("stakeholder report")
        verbose_name_plural = _("stakeholder reports")
        constraints = [
            models.CheckConstraint(
                name="stakeholderreport_valid_assessment", condition=models.Q(assessment__in=Status.values)
            ),
            models.CheckConstraint(
                name="stakeholderreport_valid_status", condition=models.Q(status__in=ReportStatus.values)
            ),
            models.CheckConstraint(
                name="stakeholderreport_published_only_when_approved",
                condition=models.Q(published_at__isnull=True) | models.Q(status=ReportStatus.APPROVED),
            ),
        ]
        indexes = [
            models.Index(fields=["implementation", "status"], name="stakeholderreport_item"),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.implementation}"

    @property
    def is_public(self):
        return self.status == ReportStatus.APPROVED and self.organisation.is_approved


def stakeholder_upload_to(instance, filename):
    """Store under a generated name: the uploader's file name never reaches the file system."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"stakeholders/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class StakeholderEvidence(models.Model):
    """A link or a file a stakeholder report rests on (files pass `services.uploads`' checks)."""

    report = models.ForeignKey(
        StakeholderReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=300, validators=[PlainTextValidator()])
    url = models.URLField(_("URL"), max_length=1000, blank=True, validators=[PublicURLValidator()])
    file = models.FileField(_("file"), upload_to=stakeholder_upload_to, blank=True, max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("stakeholder evidence")
        verbose_name_plural = _("stakeholder evidence")
        constraints = [
            models.CheckConstraint(
                name="stakeholderevidence_has_url_or_file", condition=~models.Q(url="") | ~models.Q(file="")
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def url_host(self) -> str:
        return url_host(self.url)

    def get_download_url(self):
        return reverse("stakeholder-evidence-file", args=[self.pk])
