"""`delaktig restore --input FILE`: put a backup from `delaktig backup` back.

Stop the app processes first: the database is replaced as a whole.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from delaktig.core.management.commands.backup import pg_env


class Command(BaseCommand):
    help = "Återställ databasen från en säkerhetskopia."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="Säkerhetskopian att läsa.")

    def handle(self, *args: Any, input: str, **options: Any) -> None:  # noqa: A002
        path = Path(input)
        if not path.is_file():
            raise CommandError(f"Hittar ingen säkerhetskopia i {path}.")
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            with path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise CommandError(f"{path} är inte en säkerhetskopia av en SQLite-databas.")
            source = sqlite3.connect(path)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        elif connection.vendor == "postgresql":
            connection.close()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(path),
                ],
                env=pg_env(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore misslyckades: {result.stderr.strip()}")
        else:
            raise CommandError(f"Databasen {connection.vendor} stöds inte.")
        self.stdout.write(f"Databasen är återställd från {path}.")
