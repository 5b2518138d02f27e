"""The admin's own forms: the bulk status action's."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ..choices import Status, Track
from ..services.bulk import BulkEvidence


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
