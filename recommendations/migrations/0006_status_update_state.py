"""Copy each status update's state onto the update, so that a state's history is one index range.

The column becomes required in 0007: on PostgreSQL, a schema change after this data change in one
transaction would meet the deferred foreign-key checks still pending."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_states(apps, schema_editor):
    StatusUpdate = apps.get_model("recommendations", "StatusUpdate")
    Implementation = apps.get_model("recommendations", "Implementation")
    StatusUpdate.objects.using(schema_editor.connection.alias).update(
        state_id=Subquery(Implementation.objects.filter(pk=OuterRef("implementation_id")).values("state_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0005_state_reviewed_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="statusupdate",
            name="state",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="status_updates",
                to="recommendations.state",
                verbose_name="state",
            ),
        ),
        migrations.RunPython(copy_states, migrations.RunPython.noop, elidable=False),
    ]
