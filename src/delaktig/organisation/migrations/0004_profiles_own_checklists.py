from django.db import migrations


def load(apps, schema_editor):
    # Each profile now ships the checklist of its own policy (G8), with checkpoints and
    # the plan fields that answer an item.
    from delaktig.organisation.profile_data import sync_profiles

    sync_profiles(apps)


class Migration(migrations.Migration):
    dependencies = [("organisation", "0003_checklist_checkpoints")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
