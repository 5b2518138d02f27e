"""Reporting rounds (issue 20, item 3): the secretariat asks states to report on some items of a
review cycle by a deadline, and sees who has.

A round names items (commitments and/or recommendations), states, an opening date, a deadline and
a message. It is open from `opens_on` until an editor closes it; reports recorded after the
deadline but before the close still count, and are shown as late. An item of a state is
*reported in the round* when a status update on the reported track was recorded inside the
round's window, or the state confirmed it unchanged (`RoundConfirmation`). Progress is computed
by `recommendations/rounds.py` while the round is open; closing it freezes each state's result
into `RoundStateResult` rows, the round's snapshot, read from then on and never recomputed.
Writes go through `services/rounds.py`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gcmtracker.validators import PlainTextValidator

from ..choices import ReminderKind, Role


class ReportingRoundQuerySet(models.QuerySet):
    def not_closed(self):
        return self.filter(closed_at__isnull=True)

    def closed(self):
        return self.filter(closed_at__isnull=False)

    def running(self, today: datetime.date | None = None):
        """Rounds states may report in now: opened (on or before today) and not closed."""
        return self.not_closed().filter(opens_on__lte=today or timezone.localdate())


class ReportingRound(models.Model):
    """One round of reporting in a review cycle: which items, which states, by when."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[PlainTextValidator()])
    cycle = models.ForeignKey(
        "recommendations.ReviewCycle", verbose_name=_("review cycle"), on_delete=models.PROTECT, related_name="rounds"
    )
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    message = models.TextField(
        _("message"),
        blank=True,
        validators=[PlainTextValidator(allow_newlines=True)],
        help_text=_("To the focal points; also shown on the round's public page."),
    )
    commitments = models.ManyToManyField(
        "recommendations.Commitment", verbose_name=_("commitments"), blank=True, related_name="rounds"
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", verbose_name=_("recommendations"), blank=True, related_name="rounds"
    )
    states = models.ManyToManyField("recommendations.State", verbose_name=_("states"), related_name="rounds")
    invite_stakeholders = models.BooleanField(_("invite stakeholder reports"), default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="rounds_opened",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds_closed",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.CheckConstraint(
                name="reportinground_deadline_after_opening", condition=models.Q(deadline__gte=models.F("opens_on"))
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cycles:round-detail", args=[self.slug])

    @property
    def is_open(self) -> bool:
        """Not closed yet (it may not have reached its opening date: `has_opened`)."""
        return self.closed_at is None

    def has_opened(self, today: datetime.date | None = None) -> bool:
        return self.opens_on <= (today or timezone.localdate())

    def is_past_deadline(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.deadline


class RoundConfirmation(models.Model):
    """A state's "no change, confirmed" for one item in one round: it counts as reported."""

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("reporting round"), on_delete=models.PROTECT, related_name="confirmations"
    )
    implementation = models.ForeignKey(
        "recommendations.Implementation",
        verbose_name=_("implementation"),
        on_delete=models.PROTECT,
        related_name="round_confirmations",
    )
    # Copied from the implementation (which never changes state): a state's confirmations are
    # read without the join.
    state = models.ForeignKey(
        "recommendations.State", verbose_name=_("state"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="round_confirmations",
    )
    author_role = models.CharField(_("author's role"), max_length=16, choices=Role.choices, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)
    note = models.TextField(
        _("note"), blank=True, validators=[PlainTextValidator(allow_newlines=True)], help_text=_("Shown in public.")
    )

    class Meta:
        ordering = ["round", "state__name", "implementation"]
        verbose_name = _("round confirmation")
        verbose_name_plural = _("round confirmations")
        constraints = [
            models.UniqueConstraint(fields=["round", "implementation"], name="roundconfirmation_once_per_item"),
        ]

    def __str__(self):
        return _("%(implementation)s: no change, confirmed in %(round)s") % {
            "implementation": self.implementation,
            "round": self.round,
        }


class RoundStateResult(models.Model):
    """What one state had reported when its round closed: the round's frozen snapshot."""

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("reporting round"), on_delete=models.PROTECT, related_name="results"
    )
    state = models.ForeignKey(
        "recommendations.State", verbose_name=_("state"), on_delete=models.PROTECT, related_name="round_results"
    )
    items = models.PositiveIntegerField(_("items"))
    reported = models.PositiveIntegerField(_("reported"))
    confirmed = models.PositiveIntegerField(_("confirmed unchanged"))
    completed_at = models.DateTimeField(_("completed"), null=True)
    last_reported_at = models.DateTimeField(_("last reported"), null=True)
    late = models.BooleanField(_("late"), default=False)

    class Meta:
        ordering = ["round", "state__name"]
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        constraints = [
            models.UniqueConstraint(fields=["round", "state"], name="roundstateresult_once_per_state"),
            models.CheckConstraint(
                name="roundstateresult_reported_within_items",
                condition=models.Q(reported__lte=models.F("items")) & models.Q(confirmed__lte=models.F("reported")),
            ),
        ]

    def __str__(self):
        return f"{self.round} – {self.state}: {self.reported}/{self.items}"


class RoundReminder(models.Model):
    """One reminder of one kind sent to one state's focal points in one round, at most once."""

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("reporting round"), on_delete=models.PROTECT, related_name="reminders"
    )
    state = models.ForeignKey(
        "recommendations.State", verbose_name=_("state"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["round", "state__name", "sent_at"]
        verbose_name = _("round reminder")
        verbose_name_plural = _("round reminders")
        constraints = [
            models.UniqueConstraint(fields=["round", "state", "kind"], name="roundreminder_once_per_kind"),
            models.CheckConstraint(name="roundreminder_valid_kind", condition=models.Q(kind__in=ReminderKind.values)),
        ]

    def __str__(self):
        return f"{self.round} – {self.state}: {self.get_kind_display()}"
