"""`delaktig feedback remind`: warn about upcoming and escalate overdue feedback.
`delaktig feedback deliver`: send feedback e-mails still pending (retries, lost tasks).

Run them daily or hourly (cron, systemd timer). Running them twice mails nobody twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from delaktig.feedback.reminders import send_feedback_reminders
from delaktig.organisation.models import Municipality


class Command(BaseCommand):
    help = "Återkoppling: varna före och eskalera efter återkopplingsdatum (remind)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="Mejla påminnelser om återkoppling.")
        remind.add_argument("--date", help="Dagens datum (ÅÅÅÅ-MM-DD), för test och omkörning.")
        remind.add_argument("--municipality", help="Kommunens kortnamn (standard: alla).")
        sub.add_parser(
            "deliver", help="Skicka återkoppling som inte har gått iväg än (försöker igen)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "deliver":
            from delaktig.feedback.tasks import deliver_pending

            self.stdout.write(f"{deliver_pending()} mejl med återkoppling skickade.")
            return
        if options["action"] != "remind":
            raise CommandError("Okänd åtgärd.")
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Datumet ska skrivas ÅÅÅÅ-MM-DD.") from exc
        municipalities = Municipality.objects.select_related("profile").order_by("pk")
        if options.get("municipality"):
            municipalities = municipalities.filter(slug=options["municipality"])
            if not municipalities.exists():
                raise CommandError("Kommunen finns inte.")
        for municipality in municipalities:
            result = send_feedback_reminders(municipality=municipality, today=today)
            self.stdout.write(
                f"{municipality.name}: {result.upcoming} närmar sig, {result.overdue} försenade, "
                f"{result.emails} mejl skickade, {result.skipped} redan skickade i dag."
            )
