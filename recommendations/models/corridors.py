"""Migration corridors: ordered sets of states of origin, transit and destination, shown side by side."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import CorridorRole


class Corridor(models.Model):
    """A migration corridor staff define: an ordered set of states of origin, transit and destination."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("migration corridor")
        verbose_name_plural = _("migration corridors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accountability:corridor-detail", args=[self.slug])


class CorridorState(models.Model):
    """A state on a corridor, with its role and its place along the route."""

    corridor = models.ForeignKey(Corridor, verbose_name=_("corridor"), on_delete=models.CASCADE, related_name="stops")
    state = models.ForeignKey(
        "recommendations.State", verbose_name=_("state"), on_delete=models.PROTECT, related_name="corridor_stops"
    )
    role = models.CharField(_("role"), max_length=12, choices=CorridorRole.choices)
    order = models.PositiveSmallIntegerField(_("order along the route"))

    class Meta:
        ordering = ["corridor", "order"]
        verbose_name = _("corridor state")
        verbose_name_plural = _("corridor states")
        constraints = [
            models.UniqueConstraint(fields=["corridor", "state"], name="corridorstate_unique_state"),
            models.UniqueConstraint(fields=["corridor", "order"], name="corridorstate_unique_order"),
            models.CheckConstraint(name="corridorstate_valid_role", condition=models.Q(role__in=CorridorRole.values)),
        ]

    def __str__(self):
        return f"{self.corridor}: {self.state} ({self.get_role_display()})"
