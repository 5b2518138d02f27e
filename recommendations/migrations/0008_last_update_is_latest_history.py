"""An implementation's last update (`last_reviewed`) became the date of the update recorded last,
even when an earlier-dated update of the other track was recorded after a later one (issue 19).
Set it to the latest effective date of its history wherever the history has a later one."""

from django.db import migrations
from django.db.models import Exists, Max, OuterRef, Subquery


def latest_history_date(apps, schema_editor):
    Implementation = apps.get_model("recommendations", "Implementation")
    StatusUpdate = apps.get_model("recommendations", "StatusUpdate")
    later = StatusUpdate.objects.filter(implementation=OuterRef("pk"), effective_date__gt=OuterRef("last_reviewed"))
    latest = (
        StatusUpdate.objects.filter(implementation=OuterRef("pk"))
        .order_by()
        .values("implementation")
        .annotate(latest=Max("effective_date"))
        .values("latest")
    )
    Implementation.objects.filter(Exists(later)).update(last_reviewed=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0007_status_update_state_required")]

    operations = [migrations.RunPython(latest_history_date, migrations.RunPython.noop)]
