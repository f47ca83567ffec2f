from django.db import migrations


def seed(apps, schema_editor):
    from courses.models.taxonomy import seed_vocabulary

    seed_vocabulary(apps.get_model("courses", "Audience"), apps.get_model("courses", "Subject"))


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
