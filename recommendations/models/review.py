"""Review and follow-up: review cycles, the indicators of progress on a commitment, and their
measurements per state. What a cycle reports is derived from the status history
(`review/asof.py`); nothing here keeps a copy of it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import CycleKind, Direction, MigratoryStatus, Sex


class ReviewCycle(models.Model):
    """A named review window (baseline, regional review, review forum) tied to an event.

    What a cycle reports is the status of every implementation at `closes_on`, derived from
    the status history, so a cycle never needs a copy of the data.
    """

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CycleKind.choices)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_cycles",
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["closes_on"]
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        constraints = [
            models.CheckConstraint(
                name="reviewcycle_closes_after_opening", condition=models.Q(closes_on__gte=models.F("opens_on"))
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cycles:cycle-detail", args=[self.slug])


class Indicator(models.Model):
    """A measurable indicator of progress on a commitment, with its unit, direction, baseline and target."""

    commitment = models.ForeignKey(
        "recommendations.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=3, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=3, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["commitment__number", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name


class Measurement(models.Model):
    """A value of an indicator for one state at one date, disaggregated where the source gives it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="measurements"
    )
    state = models.ForeignKey(
        "recommendations.State", verbose_name=_("state"), on_delete=models.PROTECT, related_name="measurements"
    )
    date = models.DateField(_("date"))
    review_cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("review cycle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements",
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.TOTAL)
    age_group = models.CharField(
        _("age group"), max_length=20, blank=True, help_text=_('Blank for all ages; e.g. "0-17".')
    )
    migratory_status = models.CharField(
        _("migratory status"), max_length=16, choices=MigratoryStatus.choices, default=MigratoryStatus.ALL
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements_entered",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["indicator", "state__name", "date"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "state", "date", "sex", "age_group", "migratory_status"],
                name="measurement_unique_disaggregation",
            ),
            models.CheckConstraint(name="measurement_valid_sex", condition=models.Q(sex__in=Sex.values)),
            models.CheckConstraint(
                name="measurement_valid_migratory_status",
                condition=models.Q(migratory_status__in=MigratoryStatus.values),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} – {self.state} – {self.date}: {self.value}"
