"""Staff forms: change a status (with evidence), add evidence, assign an implementation, enter a
measurement; open, edit and close a reporting round, and confirm items unchanged in one.

Forms validate input only; the services decide and write. Every field that carries an id is
limited to rows of the implementation being edited, so an id edited in the page cannot reach
another state's data.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gcmtracker.validators import PlainTextValidator, PublicURLValidator

from .. import permissions
from ..choices import EvidenceKind, MigratoryStatus, Position, RegionalGroup, Sex, Status, Track
from ..models import Commitment, Evidence, Indicator, Recommendation, ReviewCycle, State
from ..services.uploads import allowed_extensions, validate_evidence_file


class DateInput(forms.DateInput):
    input_type = "date"


MAX_ID = 2**63 - 1  # ids are 64-bit: a larger number is no row, and must not reach the database (SQLite overflows)


def _past_any_id(value) -> bool:
    """A whole number no row can have as its id; anything else (a row's id, or not a number at all,
    which the field itself refuses) is False."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False
    return not 0 < number <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A row by its id, where an impossible id is "not a valid choice", never a database error."""

    def to_python(self, value):
        if value not in self.empty_values and _past_any_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows by their ids, where an impossible id is "not a valid choice", never a database error."""

    def _check_values(self, value):
        for pk in value:
            if _past_any_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


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
    evidence = IdMultipleChoiceField(
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
    owner = IdChoiceField(
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
    indicator = IdChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    state = IdChoiceField(label=_("State"), queryset=State.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=3)
    review_cycle = IdChoiceField(label=_("Review cycle"), queryset=ReviewCycle.objects.none(), required=False)
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


# --- Reporting rounds (staff/rounds.py) ------------------------------------------------------------

ROUND_MESSAGE_MAX = 5000
ROUND_NOTE_MAX = 2000
ROUND_CONFIRM_MAX = 500  # items in one "no change, confirmed" (a state's round is far smaller)


def _round_message_field():
    return forms.CharField(
        label=_("Message to the focal points"),
        required=False,
        max_length=ROUND_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        validators=[PlainTextValidator(allow_newlines=True)],
        help_text=_("Plain text. Sent with the opening email and shown on the round's public page."),
    )


def _round_name_field():
    return forms.CharField(
        label=_("Name"),
        max_length=200,
        validators=[PlainTextValidator()],
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )


class RoundForm(forms.Form):
    """Open a round: its cycle, name, dates, message, items and states. States are picked by whole
    regional group, one by one, or both (the round takes every state either way names)."""

    cycle = IdChoiceField(label=_("Review cycle"), queryset=ReviewCycle.objects.none())
    name = _round_name_field()
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput, initial=timezone.localdate)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)
    message = _round_message_field()
    commitments = IdMultipleChoiceField(
        label=_("Commitments"), queryset=Commitment.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    recommendations = IdMultipleChoiceField(
        label=_("Tracked recommendations"),
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regional_groups = forms.MultipleChoiceField(
        label=_("Whole regional groups"), choices=RegionalGroup.choices, required=False
    )
    states = IdMultipleChoiceField(label=_("States one by one"), queryset=State.objects.none(), required=False)
    invite_stakeholders = forms.BooleanField(
        label=_("Invite stakeholder reports"),
        required=False,
        help_text=_(
            "Contributors of approved organisations are told when the round opens; their approved reports "
            "on the round's states and items appear on its public page."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = ReviewCycle.objects.order_by("-closes_on", "name")
        self.fields["commitments"].queryset = Commitment.objects.order_by("number")
        # A recommendation is in a state's round only where it is tracked (has an implementation).
        self.fields["recommendations"].queryset = (
            Recommendation.objects.filter(implementations__isnull=False).distinct().order_by("code")
        )
        self.fields["recommendations"].label_from_instance = lambda item: f"{item.code}: {item}"
        self.fields["states"].queryset = State.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        opens_on, deadline = cleaned.get("opens_on"), cleaned.get("deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("deadline", _("The deadline cannot be before the round opens."))
        if not cleaned.get("commitments") and not cleaned.get("recommendations") and not self._item_errors():
            self.add_error(None, _("Choose at least one commitment or tracked recommendation."))
        groups = cleaned.get("regional_groups") or []
        chosen = {state.pk: state for state in cleaned.get("states") or ()}
        if groups:
            chosen.update({state.pk: state for state in State.objects.filter(regional_group__in=groups)})
        if not chosen and not self.errors.get("states") and not self.errors.get("regional_groups"):
            self.add_error("states", _("Choose at least one state, by regional group or one by one."))
        cleaned["chosen_states"] = sorted(chosen.values(), key=lambda state: state.name)
        return cleaned

    def _item_errors(self) -> bool:
        return bool(self.errors.get("commitments") or self.errors.get("recommendations"))


class RoundEditForm(forms.Form):
    """Change a round's name, deadline or message; carries the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    name = _round_name_field()
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)
    message = _round_message_field()


class RoundCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm = forms.BooleanField(
        label=_(
            "Yes, close the round: each state's result is frozen as it stands now, "
            "and no report counts for it any more."
        ),
        error_messages={"required": _("Tick the box to confirm that the round should be closed.")},
    )


class RoundConfirmForm(forms.Form):
    """ "No change, confirmed" for one item (`only`: the button on its row) or for the ticked ones
    (`implementation`, repeated), with one optional note for all of them."""

    only = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    note = forms.CharField(
        label=_("Note (optional, public)"),
        required=False,
        max_length=ROUND_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        validators=[PlainTextValidator(allow_newlines=True)],
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("only"):
            ids = [cleaned["only"]]
        else:
            try:
                ids = [int(value) for value in self.data.getlist("implementation")]
            except ValueError:
                ids = [0]
            if any(not 0 < pk <= MAX_ID for pk in ids):
                raise forms.ValidationError(_("An item was not recognised. Reload the page and try again."))
        if not ids:
            raise forms.ValidationError(_("Tick at least one item to confirm."), code="nothing")
        if len(ids) > ROUND_CONFIRM_MAX:
            raise forms.ValidationError(
                _("Confirm at most %(count)d items at once.") % {"count": ROUND_CONFIRM_MAX}, code="too_many"
            )
        cleaned["ids"] = list(dict.fromkeys(ids))
        return cleaned
