"""Staff forms: change a status (with evidence), add evidence, assign an implementation, enter a
measurement.

Forms validate input only; the services decide and write. Every field that carries an id is
limited to rows of the implementation being edited, so an id edited in the page cannot reach
another state's data.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gcmtracker.validators import PlainTextValidator, PublicURLValidator

from .. import permissions
from ..choices import EvidenceKind, MigratoryStatus, Position, Sex, Status, Track
from ..models import Evidence, Indicator, ReviewCycle, State
from ..services.uploads import allowed_extensions, validate_evidence_file


class DateInput(forms.DateInput):
    input_type = "date"


class VersionedForm(forms.Form):
    """Carries the version the person loaded, so a save over someone else's change is refused,
    and when it was loaded, so the refusal can list what happened since."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)


class EvidenceForm(forms.Form):
    """A new piece of evidence: a URL, a file, or both. With `optional=True` (inside the status
    form) an untouched form means "no new evidence"."""

    title = forms.CharField(label=_("Title"), max_length=300, validators=[PlainTextValidator()])
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices, initial=EvidenceKind.OTHER)
    date = forms.DateField(label=_("Date of the evidence"), required=False, widget=DateInput)
    url = forms.URLField(
        label=_("URL"), max_length=1000, required=False, assume_scheme="https", validators=[PublicURLValidator()]
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, ODT, ODS, CSV, PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(allowed_extensions())}),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, optional=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional = optional
        if optional:
            self.fields["title"].required = False
            self.fields["kind"].required = False

    def clean_file(self):
        file = self.cleaned_data.get("file")
        return validate_evidence_file(file) if file else None

    def clean(self):
        cleaned = super().clean()
        has_source = bool(cleaned.get("url") or cleaned.get("file") or self.errors.get("file"))
        if self.optional and not has_source and not cleaned.get("title"):
            return cleaned
        if not has_source:
            raise forms.ValidationError(_("Give a URL or upload a file."), code="no_source")
        if not cleaned.get("title"):
            self.add_error("title", _("Give the evidence a title."))
        cleaned["kind"] = cleaned.get("kind") or EvidenceKind.OTHER
        return cleaned

    @property
    def is_empty(self) -> bool:
        """Nothing was entered (only meaningful for an optional form, after is_valid())."""
        data = self.cleaned_data
        return not (data.get("url") or data.get("file") or data.get("title"))


class StatusForm(VersionedForm):
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices, initial=Track.REPORTED)
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    effective_date = forms.DateField(label=_("Effective date"), widget=DateInput, initial=timezone.localdate)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. What changed and why. Staff only: never shown in public."),
    )
    rationale = forms.CharField(
        label=_("Public rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in public. Required for “partially implemented” and “implemented”."),
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("Existing evidence this rests on"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, implementation, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.implementation = implementation
        # Only this implementation's evidence: an id from another state is "not a valid choice".
        self.fields["evidence"].queryset = Evidence.objects.filter(implementation=implementation)
        if not permissions.can_set_track(user, implementation, Track.ASSESSED):
            self.fields["track"].choices = [(Track.REPORTED, Track.REPORTED.label)]
            self.fields["track"].widget = forms.HiddenInput()
        self.fields["effective_date"].widget.attrs["max"] = timezone.localdate().isoformat()


class AssignForm(VersionedForm):
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=permissions.staff_users(), required=False, empty_label=_("(nobody)")
    )
    lead_agency = forms.CharField(label=_("Lead agency"), max_length=300, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    position = forms.ChoiceField(label=_("Position of the state"), choices=Position.choices)

    def __init__(self, *args, implementation, **kwargs):
        super().__init__(*args, **kwargs)
        # Owners are people who may edit this state: the secretariat or the state's focal points.
        self.fields["owner"].queryset = permissions.assignable_owners(implementation)
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.username


class MeasurementForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    state = forms.ModelChoiceField(label=_("State"), queryset=State.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=3)
    review_cycle = forms.ModelChoiceField(label=_("Review cycle"), queryset=ReviewCycle.objects.none(), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.TOTAL)
    age_group = forms.CharField(
        label=_("Age group"),
        required=False,
        max_length=20,
        help_text=_('Blank for all ages; e.g. "0-17".'),
    )
    migratory_status = forms.ChoiceField(
        label=_("Migratory status"), choices=MigratoryStatus.choices, initial=MigratoryStatus.ALL
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.select_related("commitment").order_by(
            "commitment__number", "code"
        )
        self.fields["state"].queryset = permissions.editable_states(user).order_by("name")
        self.fields["review_cycle"].queryset = ReviewCycle.objects.order_by("closes_on")
