from django.db import migrations, models
from django.db.models import F


def from_joined_at(apps, schema_editor):
    # Until now nothing recorded a change, so the last one known is the joining.
    apps.get_model("accounts", "Membership").objects.update(updated_at=F("joined_at"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_backfill_pupils_created_by_school")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
            preserve_default=False,
        ),
        migrations.RunPython(from_joined_at, migrations.RunPython.noop),
    ]
