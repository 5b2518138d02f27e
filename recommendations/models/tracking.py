"""How far each state has got: implementations, their append-only status history, evidence,
and the states a staff member may edit.

Writes go through `services/`; nothing here writes history by itself.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gcmtracker.validators import PlainTextValidator, PublicURLValidator, url_host

from ..choices import (
    EvidenceKind,
    Position,
    Role,
    Status,
    Track,
    Visibility,
)
from .querysets import EvidenceQuerySet, ImplementationQuerySet, StatusUpdateQuerySet


class Implementation(models.Model):
    """One state's progress on one tracked item: a commitment or a recommendation.

    `status` (what the state reports) and `assessment` (what the secretariat's review finds) are
    caches of the latest StatusUpdate of each track, written in the same transaction as that
    update by `services.implementation_set_status`; `version` guards against stale edits.
    """

    state = models.ForeignKey(
        "recommendations.State", verbose_name=_("state"), on_delete=models.PROTECT, related_name="implementations"
    )
    commitment = models.ForeignKey(
        "recommendations.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementations",
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        verbose_name=_("recommendation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementations",
    )
    status = models.CharField(
        _("reported status"), max_length=24, choices=Status.choices, default=Status.NO_INFORMATION
    )
    status_changed_at = models.DateTimeField(_("reported status changed"), null=True, blank=True)
    assessment = models.CharField(
        _("assessed status"), max_length=24, choices=Status.choices, default=Status.NO_INFORMATION
    )
    assessment_changed_at = models.DateTimeField(_("assessed status changed"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, default=Position.NO_RESPONSE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_implementations",
    )
    lead_agency = models.CharField(_("lead agency"), max_length=300, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    internal_note = models.TextField(_("internal note"), blank=True, help_text=_("Staff only; never public."))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ImplementationQuerySet.as_manager()

    class Meta:
        ordering = ["state__name", "commitment__number", "recommendation__code"]
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        constraints = [
            models.CheckConstraint(
                name="implementation_exactly_one_item",
                condition=models.Q(commitment__isnull=False, recommendation__isnull=True)
                | models.Q(commitment__isnull=True, recommendation__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["state", "commitment"],
                condition=models.Q(commitment__isnull=False),
                name="implementation_unique_state_commitment",
            ),
            models.UniqueConstraint(
                fields=["state", "recommendation"],
                condition=models.Q(recommendation__isnull=False),
                name="implementation_unique_state_recommendation",
            ),
            models.CheckConstraint(name="implementation_valid_status", condition=models.Q(status__in=Status.values)),
            models.CheckConstraint(
                name="implementation_valid_assessment", condition=models.Q(assessment__in=Status.values)
            ),
            models.CheckConstraint(
                name="implementation_valid_position", condition=models.Q(position__in=Position.values)
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "due_date"], name="implementation_owner_due"),
            # A state's latest update (state list, state page) without reading its every item.
            models.Index(fields=["state", "last_reviewed"], name="implementation_state_reviewed"),
        ]

    def __str__(self):
        return f"{self.state} – {self.item_label}"

    def get_absolute_url(self):
        return reverse("staff:implementation", args=[self.pk])

    @property
    def item(self):
        return self.commitment if self.commitment_id else self.recommendation

    @property
    def item_label(self):
        if self.commitment_id:
            return _("Commitment %(number)s") % {"number": self.commitment.number}
        return _("Recommendation %(code)s") % {"code": self.recommendation.code}

    @property
    def disagrees(self):
        """The state's report and the secretariat's assessment differ (both known)."""
        return (
            self.assessment != Status.NO_INFORMATION
            and self.status != Status.NO_INFORMATION
            and self.assessment != self.status
        )


class StatusUpdate(models.Model):
    """One change of status on one track: dated, attributed, with its reasons and evidence.

    Append-only. Rows are created by `services.implementation_set_status` and are never edited or
    deleted, through any door: `save()` refuses an update, `delete()` refuses, the queryset refuses
    bulk update/delete, and the admin grants neither change nor delete.
    """

    implementation = models.ForeignKey(
        Implementation, verbose_name=_("implementation"), on_delete=models.PROTECT, related_name="updates"
    )
    # The implementation's state, copied (an implementation never changes state): a state's history,
    # newest first, is then one range of the statusupdate_state_newest index. Through the join,
    # PostgreSQL walked the whole history's date index, filtering on the state.
    state = models.ForeignKey(
        "recommendations.State",
        verbose_name=_("state"),
        on_delete=models.PROTECT,
        related_name="status_updates",
        editable=False,
    )
    track = models.CharField(_("track"), max_length=10, choices=Track.choices, default=Track.REPORTED)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    previous_status = models.CharField(_("previous status"), max_length=24, choices=Status.choices)
    effective_date = models.DateField(
        _("effective date"), default=timezone.localdate, help_text=_("The date the status took effect.")
    )
    comment = models.TextField(_("comment"), help_text=_("Staff only."))
    rationale = models.TextField(
        _("public rationale"), blank=True, help_text=_("Shown in public. Required for partial or full implementation.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_updates",
    )
    author_role = models.CharField(_("author's role"), max_length=16, choices=Role.choices, blank=True)
    evidence = models.ManyToManyField(
        "recommendations.Evidence", verbose_name=_("evidence"), blank=True, related_name="status_updates"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_date", "-created_at", "-id"]
        get_latest_by = ["effective_date", "created_at", "id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        constraints = [
            models.CheckConstraint(name="statusupdate_valid_status", condition=models.Q(status__in=Status.values)),
            models.CheckConstraint(
                name="statusupdate_valid_previous", condition=models.Q(previous_status__in=Status.values)
            ),
            models.CheckConstraint(name="statusupdate_valid_track", condition=models.Q(track__in=Track.values)),
        ]
        indexes = [
            models.Index(fields=["implementation", "track", "effective_date"], name="statusupdate_impl_track_date"),
            models.Index(fields=["effective_date"], name="statusupdate_effective"),
            models.Index(fields=["state", "-effective_date", "-created_at", "-id"], name="statusupdate_state_newest"),
        ]

    def __str__(self):
        return f"{self.implementation}: {self.get_previous_status_display()} → {self.get_status_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Status history is append-only: an update cannot be changed."))
        if self.state_id is None:
            self.state_id = self.implementation.state_id
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Status history is append-only: an update cannot be deleted."))


def evidence_upload_to(instance, filename):
    """Store under a generated name: the uploader's file name never reaches the file system."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A law, policy, programme, budget line, data set, report or statement an implementation rests on.

    Evidence can hold personal data of migrants, so it starts as staff-only; an editor verifies it
    and only then may publish it. Nothing unpublished reaches the public (`.public()`).
    """

    implementation = models.ForeignKey(
        Implementation, verbose_name=_("implementation"), on_delete=models.PROTECT, related_name="evidence"
    )
    # Shown to the public as text and link: no bidi controls that would make it read as something
    # else, and links only to the public web (gcmtracker/validators.py says why).
    title = models.CharField(_("title"), max_length=300, validators=[PlainTextValidator()])
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    date = models.DateField(_("date of the evidence"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True, validators=[PublicURLValidator()])
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, validators=[PlainTextValidator(allow_newlines=True)])
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_added",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    verified = models.BooleanField(_("verified"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_verified",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    visibility = models.CharField(_("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.STAFF)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-added_at", "-id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [
            # The public's reads ask "has this item published evidence?" for many items at once
            # (dashboard shares, evidence counts): a small index of public evidence answers them
            # without reading the staff-only and unverified rows.
            models.Index(
                fields=["implementation"],
                name="evidence_public_by_item",
                condition=models.Q(visibility=Visibility.PUBLIC, verified=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(name="evidence_has_url_or_file", condition=~models.Q(url="") | ~models.Q(file="")),
            models.CheckConstraint(
                name="evidence_public_only_when_verified",
                condition=models.Q(visibility=Visibility.STAFF) | models.Q(verified=True),
            ),
            models.CheckConstraint(
                name="evidence_valid_visibility", condition=models.Q(visibility__in=Visibility.values)
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC

    def get_download_url(self):
        return reverse("evidence-file", args=[self.pk])

    @property
    def url_host(self) -> str:
        """The host the link leads to, shown beside its title (`_evidence_link.html`)."""
        return url_host(self.url)


class StateScope(models.Model):
    """A state a focal point may edit. Editors and administrators need none: their scope is all states."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="state_scopes"
    )
    state = models.ForeignKey(
        "recommendations.State", verbose_name=_("state"), on_delete=models.CASCADE, related_name="scopes"
    )

    class Meta:
        ordering = ["user", "state__name"]
        verbose_name = _("state scope")
        verbose_name_plural = _("state scopes")
        constraints = [models.UniqueConstraint(fields=["user", "state"], name="statescope_unique_user_state")]

    def __str__(self):
        return f"{self.user} → {self.state}"
