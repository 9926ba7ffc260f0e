"""`delaktig gallra [--dry-run] [--now YYYY-MM-DD]`: thin personal data past retention."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from delaktig.accounts.retention import thin


class Command(BaseCommand):
    help = (
        "Gallrar personuppgifter när dialogens bevarandetid har gått ut. Raderar aldrig "
        "beslut, dialoghändelser, granskningslogg eller publicerade bidrag."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle gallras, ändra inget."
        )
        parser.add_argument("--now", help="Räkna som om det vore detta datum (ÅÅÅÅ-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                day = datetime.date.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError("--now ska vara ett datum som ÅÅÅÅ-MM-DD") from exc
            now = datetime.datetime.combine(
                day, datetime.time(12), tzinfo=timezone.get_current_timezone()
            )
        result = thin(now=now, dry_run=options["dry_run"])
        heading = (
            "Gallring, provkörning – inget har ändrats. Skulle gallra:"
            if result["dry_run"]
            else "Gallring genomförd:"
        )
        self.stdout.write(heading)
        self.stdout.write(f"  Dialoger förbi bevarandetiden: {len(result['dialogues'])}")
        for title in result["dialogues"]:
            self.stdout.write(f"    - {title}")
        for label, count in result["counts"].items():
            self.stdout.write(f"  {label}: {count}")
