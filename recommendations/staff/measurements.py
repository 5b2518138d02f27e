"""Staff entry of indicator measurements: one value for a state the user may edit, recorded (or
corrected) through `services.measurement_save`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import permissions, services
from ..models import Measurement
from ..permissions import staff_required
from .forms import MeasurementForm


@staff_required
def measurement_new(request):
    initial = {key: request.GET[key] for key in ("indicator", "state") if request.GET.get(key)}
    form = MeasurementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measurement, created = services.measurement_save(
                actor=request.user,
                indicator=data["indicator"],
                state=data["state"],
                date=data["date"],
                value=data["value"],
                sex=data["sex"],
                age_group=data["age_group"],
                migratory_status=data["migratory_status"],
                review_cycle=data["review_cycle"],
                source=data["source"],
            )
        except PermissionDenied as error:
            form.add_error("state", str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = _("Measurement recorded.") if created else _("Measurement corrected.")
            messages.success(request, text)
            return redirect(reverse("cycles:indicator-detail", args=[measurement.indicator.code]))
    recent = (
        permissions.restrict_to_scope(Measurement.objects.all(), request.user)
        .select_related("indicator", "state", "review_cycle")
        .order_by("-id")[:10]
    )
    return render(request, "cycles/measurement_form.html", {"form": form, "recent": recent})
