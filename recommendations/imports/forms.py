"""The import area's form: what the file holds and the file, within the size limit, and for a
workbook within the archive limits (a small .xlsx that unpacks to hundreds of megabytes is refused
here, before an import job stores it; the importer checks again, for the command line)."""

import zipfile

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gcmtracker.limits import DamagedArchive, LimitExceeded, check_archive


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A spreadsheet (.csv in UTF-8, or .xlsx), or a fixture (.json, .yaml)."),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,.json,.yaml,.yml"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
            )
        if upload.name.lower().endswith(".xlsx"):
            try:
                check_archive(upload)
            except LimitExceeded as exc:
                raise forms.ValidationError(str(exc)) from None
            except (zipfile.BadZipFile, DamagedArchive):
                pass  # not a workbook: the import's report says so, as for any unreadable file
        return upload
