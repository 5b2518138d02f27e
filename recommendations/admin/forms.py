"""The admin's own forms: the implementation's change form (with the version it was loaded at)
and the bulk status action's."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .. import services
from ..choices import EvidenceKind, Status, Track


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

    def changes(self, implementations) -> list[services.StatusChange]:
        """One change per implementation, each with its own copy of the evidence."""
        data = self.cleaned_data
        new = (
            services.NewEvidence(title=data["evidence_title"], url=data["evidence_url"], kind=EvidenceKind.REPORT)
            if data["evidence_url"]
            else None
        )
        return [
            services.StatusChange(
                implementation=implementation,
                status=data["status"],
                comment=data["comment"],
                rationale=data["rationale"],
                track=data["track"],
                new_evidence=new,
            )
            for implementation in implementations
        ]


def bulk_refusal(refused: services.BulkStatusError, implementations) -> str:
    """The first refused implementation of a batch and why: nothing was applied."""
    index, errors = next(iter(refused.errors.items()))
    return _("Nothing was changed: %(item)s was refused: %(reason)s") % {
        "item": implementations[index],
        "reason": " ".join(errors.values()),
    }


class ImplementationAdminForm(forms.ModelForm):
    """The implementation's admin form carries the version it was loaded at: a save over someone
    else's newer change is refused with what changed (the staff page's message and diff), the
    input kept, and the version renewed so that a second, informed save goes through."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = None
        if self.instance.pk is not None:
            self.initial.setdefault("expected_version", self.instance.version)
            self.fields["expected_version"].required = True

    def clean(self):
        data = super().clean()
        if self.instance.pk is None or data.get("expected_version") is None:
            return data
        try:
            services.check_version(self.instance, data["expected_version"])
        except services.StaleEdit as stale:
            self.stale = stale
            self.data = self.data.copy()
            self.data["expected_version"] = str(stale.current.version)
            raise ValidationError(stale_messages(stale, data)) from None
        errors = services.assignment_errors(implementation=self.instance, owner=data.get("owner"))
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
        return data


def stale_messages(stale, submitted) -> list[str]:
    """The refusal of a stale save, then each difference with what was sent, then the status
    changes recorded since: what the staff page lists too."""
    current = type(stale.current).objects.select_related("owner").get(pk=stale.current.pk)
    lines = [str(stale)]
    for difference in services.assignment_differences(current, submitted):
        lines.append(
            _("%(field)s is now “%(saved)s” (you sent “%(mine)s”).")
            % {"field": difference["label"], "saved": difference["saved"] or "—", "mine": difference["mine"] or "—"}
        )
    for update in stale.changes:
        lines.append(_("Status changed since: %(update)s") % {"update": update})
    return lines
