"""Contributions imported from another tool's file were stored as "digital"; they are
"import" now (issue 13: imported answers are not labelled Digitalt)."""

from django.db import migrations


def mark_imported(apps, schema_editor):
    Contribution = apps.get_model("participation", "Contribution")
    Contribution.objects.filter(data__has_key="imported_from", channel="digital").update(
        channel="import"
    )


def unmark_imported(apps, schema_editor):
    Contribution = apps.get_model("participation", "Contribution")
    Contribution.objects.filter(channel="import").update(channel="digital")


class Migration(migrations.Migration):
    dependencies = [("participation", "0002_fewer_submission_indexes")]

    operations = [migrations.RunPython(mark_imported, unmark_imported)]
