"""The stakeholder contributors' forms: registering an organisation, submitting or editing a
report, and the editor's moderation decision. Forms check the shape of the input; the services
decide and write (and check again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gcmtracker.validators import PlainTextValidator

from ..choices import StakeholderKind, Status
from ..models import State
from ..services.uploads import allowed_extensions

ASSESSMENTS = [(value, label) for value, label in Status.choices if value != Status.NO_INFORMATION]


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200, validators=[PlainTextValidator()])
    kind = forms.ChoiceField(label=_("Kind of stakeholder"), choices=StakeholderKind.choices)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=State.objects.order_by("name"), required=False, to_field_name="iso2"
    )
    website = forms.CharField(label=_("Website"), max_length=500, required=False)
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False, max_length=128)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(allowed_extensions())}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    """A report's content. The state and item are chosen on submission only (`SubmitForm`)."""

    assessment = forms.ChoiceField(label=_("Your organisation's assessment"), choices=ASSESSMENTS)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000)
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line (http or https)."),
        max_length=10000,
    )
    files = MultipleFileField(
        label=_("Files"), required=False, help_text=_("PDF, DOCX, XLSX, ODT, ODS, CSV, PNG or JPEG; at most 5.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def clean_links(self):
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]


class SubmitForm(ReportForm):
    state = forms.CharField(label=_("State (ISO code, e.g. FR)"), max_length=2)
    commitment = forms.IntegerField(label=_("Commitment number"), required=False, min_value=1, max_value=1000)
    recommendation = forms.CharField(label=_("or the code of a tracked recommendation"), required=False, max_length=40)

    field_order = ["state", "commitment", "recommendation", "assessment", "narrative", "links", "files"]


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject")), ("changes", _("Ask for changes"))]
    )
    reason = forms.CharField(
        label=_("Reason, or what to change"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
