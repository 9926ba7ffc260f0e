import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Notices on "Mina uppgifter", taken over from the feedback app with their table."""

    dependencies = [
        ("accounts", "0002_identity_privacy"),
        ("governance", "0005_reach_and_period"),
        ("feedback", "0005_notification_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("feedback_published", "Återkopplingen är publicerad"),
                                    ("decision_taken", "Beslutet är fattat"),
                                    ("idea_answered", "Kommunen har svarat på din idé"),
                                    (
                                        "threshold_reached",
                                        "Ditt förslag har fått tillräckligt stöd",
                                    ),
                                    ("meeting_changed", "Ett möte du är anmäld till har ändrats"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("key", models.CharField(blank=True, default="", max_length=60)),
                        ("text", models.CharField(max_length=300)),
                        ("link", models.CharField(max_length=300)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "dialogue",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="governance.dialogue",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "avisering",
                        "verbose_name_plural": "aviseringar",
                        "db_table": "feedback_notification",
                        "ordering": ["-created_at", "-id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "kind", "dialogue", "key"),
                                name="one_notification_per_kind",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
