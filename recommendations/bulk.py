"""Bulk status change: one status, one comment and one piece of evidence applied to many
implementations. Each row still goes through `services` (and so through `permissions` and the
evidence rule); the whole batch is one transaction, so all rows change or none do."""

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import services
from .choices import EvidenceKind, Status, Track
from .models import Implementation, StatusUpdate


@dataclass
class BulkEvidence:
    """Evidence to attach to every selected implementation (each gets its own copy)."""

    title: str
    url: str
    kind: str = EvidenceKind.REPORT


class BulkRefused(Exception):
    """One implementation of the batch was refused; nothing was applied."""

    def __init__(self, implementation: Implementation, reason: str):
        self.implementation, self.reason = implementation, reason
        super().__init__(
            _("Nothing was changed: %(item)s was refused: %(reason)s") % {"item": implementation, "reason": reason}
        )


def _reason(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@transaction.atomic
def implementations_bulk_set_status(
    *,
    implementations: Sequence[Implementation],
    status: str,
    actor,
    comment: str,
    rationale: str = "",
    track: str = Track.REPORTED,
    evidence: BulkEvidence | None = None,
) -> list[StatusUpdate]:
    """Apply one status to every implementation, or to none: the first refusal rolls all back."""
    if not implementations:
        raise ValidationError({"implementations": _("Select at least one implementation.")})
    updates = []
    for implementation in implementations:
        try:
            attached = []
            if evidence is not None:
                attached.append(
                    services.evidence_add(
                        implementation=implementation,
                        actor=actor,
                        title=evidence.title,
                        kind=evidence.kind,
                        url=evidence.url,
                    )
                )
            updates.append(
                services.implementation_set_status(
                    implementation=implementation,
                    status=status,
                    actor=actor,
                    comment=comment,
                    rationale=rationale,
                    track=track,
                    evidence=attached,
                )
            )
        except (PermissionDenied, ValidationError) as exc:
            raise BulkRefused(implementation, _reason(exc)) from exc
    return updates


class BulkStatusForm(forms.Form):
    """One status, comment and optional evidence for every selected implementation."""

    track = forms.ChoiceField(label=_lazy("Track"), choices=Track.choices, initial=Track.ASSESSED)
    status = forms.ChoiceField(label=_lazy("New status"), choices=Status.choices)
    comment = forms.CharField(label=_lazy("Comment (staff only)"), widget=forms.Textarea(attrs={"rows": 3}))
    rationale = forms.CharField(
        label=_lazy("Public rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("Required for partially implemented and implemented."),
    )
    evidence_title = forms.CharField(label=_lazy("Evidence title"), required=False, max_length=300)
    evidence_url = forms.URLField(label=_lazy("Evidence URL"), required=False, max_length=1000, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if bool(data.get("evidence_title")) != bool(data.get("evidence_url")):
            raise ValidationError(_("Give both a title and a URL for the evidence, or neither."))
        return data

    def evidence(self) -> BulkEvidence | None:
        data = self.cleaned_data
        return BulkEvidence(title=data["evidence_title"], url=data["evidence_url"]) if data["evidence_url"] else None
