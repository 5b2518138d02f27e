"""The review area's form: "as of" a date, offered on the public pages that can show the past."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("Show statuses as of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        # The browser's date field writes the date in the reader's own way (mm/dd/yyyy in American
        # English, jj/mm/aaaa in French); a hint naming another format contradicted it.
        help_text=gettext_lazy("A past date. Leave empty for today."),
        error_messages={"invalid": gettext_lazy("That is not a valid date (YYYY-MM-DD); showing today's statuses.")},
    )

    def clean_as_of(self):
        date = self.cleaned_data["as_of"]
        if date and date > timezone.localdate():
            raise ValidationError(_("The date is in the future; showing today's statuses."))
        return date


def as_of_date(request) -> tuple[AsOfForm, datetime.date | None]:
    """The page's `?as_of=` date if valid and past, else None: the page then shows today's statuses
    and the form says why."""
    form = AsOfForm(request.GET if request.GET.get("as_of") else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["as_of"]
    return form, None
