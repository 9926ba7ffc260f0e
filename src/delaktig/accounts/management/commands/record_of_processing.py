"""`delaktig record_of_processing [--output PATH] [--check]`: the art. 30 record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from delaktig.accounts.personal_data import record_of_processing


class Command(BaseCommand):
    help = (
        "Skriver registret över behandling av personuppgifter (art. 30) från "
        "personuppgiftsregistret i koden (accounts/personal_data.py)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", default="docs/record-of-processing.md", help="Filen som skrivs."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Skriv inget; avsluta med fel om filen inte stämmer med koden.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        text = record_of_processing()
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(
                    f"{path} stämmer inte med registret. Kör: delaktig record_of_processing"
                )
            self.stdout.write(f"{path} stämmer med registret.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Skrev {path}.")
