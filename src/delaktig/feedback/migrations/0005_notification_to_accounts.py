from django.db import migrations


class Migration(migrations.Migration):
    """Notices moved to the accounts app, below participation, which writes them.

    Only the migration state changes: the table `feedback_notification` and its rows stay,
    and `accounts.0003_notification` takes them over.
    """

    dependencies = [
        ("feedback", "0004_feedback_contact_givers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
        ),
    ]
