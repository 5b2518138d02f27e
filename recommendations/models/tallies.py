"""Counts kept up to date by the writes, so that no public page aggregates the implementations or
the evidence on read (issue 18: 2): per state and per commitment, how many items stand at each
status on each track, and how much published evidence there is.

A tally is one number under a `measure` (a short code of `services/tallies.py`'s vocabulary):
- per commitment (`CommitmentTally`): "reported:<status>" and "assessed:<status>" (its states at
  that status on that track), "evidenced" (its states with published evidence on it);
- per state (`StateTally`): "commitments:<track>:<status>" and "recommendations:<track>:<status>"
  (its items at that status), "evidence" (its pieces of published evidence), "evidenced" (its
  commitments with published evidence).
A measure with no row counts zero.

Written only by `services/tallies.py`, in the transaction of the write that changed what they
count (the status service, tracking an item, the commitment grid of a fixture load, verifying
and unpublishing evidence), with `F()` increments, so concurrent writes never lose one;
`manage.py rebuild_tallies` recounts them all (after raw SQL, e.g. bench/generate.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentTally(models.Model):
    commitment = models.ForeignKey(
        "recommendations.Commitment", verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="tallies"
    )
    measure = models.CharField(_("measure"), max_length=48)
    n = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("commitment tally")
        verbose_name_plural = _("commitment tallies")
        constraints = [models.UniqueConstraint(fields=["commitment", "measure"], name="commitmenttally_unique")]

    def __str__(self):
        return f"{self.commitment_id} {self.measure}: {self.n}"


class StateTally(models.Model):
    state = models.ForeignKey(
        "recommendations.State", verbose_name=_("state"), on_delete=models.CASCADE, related_name="tallies"
    )
    measure = models.CharField(_("measure"), max_length=48)
    n = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("state tally")
        verbose_name_plural = _("state tallies")
        constraints = [models.UniqueConstraint(fields=["state", "measure"], name="statetally_unique")]

    def __str__(self):
        return f"{self.state_id} {self.measure}: {self.n}"


# The measures (see the module's docstring).
EVIDENCE = "evidence"
EVIDENCED = "evidenced"


def commitment_measure(track: str, status: str) -> str:
    """A commitment's states at `status` on `track`."""
    return f"{track}:{status}"


def state_measure(items: str, track: str, status: str) -> str:
    """A state's `items` ("commitments" or "recommendations") at `status` on `track`."""
    return f"{items}:{track}:{status}"


def commitment_tallies(commitment_ids) -> dict[int, dict[str, int]]:
    """{commitment id: {measure: n}} of these commitments (one query)."""
    found = {pk: {} for pk in commitment_ids}
    rows = CommitmentTally.objects.filter(commitment_id__in=found).values_list("commitment_id", "measure", "n")
    for pk, measure, n in rows:
        found[pk][measure] = n
    return found
