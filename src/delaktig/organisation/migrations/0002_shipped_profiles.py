from django.db import migrations


def load(apps, schema_editor):
    from delaktig.organisation.profile_data import sync_profiles

    sync_profiles(apps)


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
