"""`delaktig backup --output FILE`: a consistent copy of the whole database.

SQLite: the online backup API (safe while the app runs). PostgreSQL: pg_dump in its
custom format. Restore with `delaktig restore --input FILE`.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


class Command(BaseCommand):
    help = "Säkerhetskopiera databasen till en fil."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="Fil att skriva säkerhetskopian till.")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        path = Path(output)
        if path.exists():
            raise CommandError(f"Filen {path} finns redan. Välj ett nytt namn.")
        path.parent.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif connection.vendor == "postgresql":
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(path)],
                env=pg_env(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump misslyckades: {result.stderr.strip()}")
        else:
            raise CommandError(f"Databasen {connection.vendor} stöds inte.")
        self.stdout.write(f"Säkerhetskopian är sparad i {path} ({path.stat().st_size} byte).")
