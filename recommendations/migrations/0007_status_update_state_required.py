"""Every status update has its state (0006 copied them): the column is required and indexed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0006_status_update_state"),
    ]

    operations = [
        migrations.AlterField(
            model_name="statusupdate",
            name="state",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="status_updates",
                to="recommendations.state",
                verbose_name="state",
            ),
        ),
        migrations.AddIndex(
            model_name="statusupdate",
            index=models.Index(
                fields=["state", "-effective_date", "-created_at", "-id"], name="statusupdate_state_newest"
            ),
        ),
    ]
