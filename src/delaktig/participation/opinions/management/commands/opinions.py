"""`delaktig opinions map DIR [--k K]` and `delaktig opinions import DIR --activity ID`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Opinion map of a Polis export folder, or import of one into an activity."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        map_parser = sub.add_parser(
            "map",
            help="Print the opinion map of a Polis export folder as one JSON object.",
        )
        map_parser.add_argument("directory", help="folder with comments.csv and votes.csv")
        map_parser.add_argument("--k", type=int, default=None, help="force the number of groups")
        map_parser.add_argument(
            "--min-votes",
            type=int,
            default=None,
            help="cluster participants with at least this many votes "
            "(default as Polis: 7, or all statements if fewer)",
        )
        import_parser = sub.add_parser("import", help="Load a Polis export into an activity.")
        import_parser.add_argument("directory")
        import_parser.add_argument("--activity", type=int, required=True, help="activity id")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        for name in ("comments.csv", "votes.csv"):
            if not (directory / name).is_file():
                raise CommandError(f"{directory / name} saknas.")
        if options["subcommand"] == "map":
            from delaktig.participation.opinions.opinion_map import map_polis_export

            k = options["k"]
            if k is not None and not 1 <= k <= 20:
                raise CommandError("--k ska vara mellan 1 och 20.")
            result = map_polis_export(directory, k=k, min_votes=options["min_votes"])
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        from delaktig.participation.models import Activity
        from delaktig.participation.opinions.actions import import_polis_export

        try:
            activity = Activity.objects.get(pk=options["activity"], method="opinions")
        except Activity.DoesNotExist as exc:
            raise CommandError("Ingen aktivitet med metoden påståenden har det id:t.") from exc
        counts = import_polis_export(activity=activity, directory=directory)
        self.stdout.write(
            f"Importerade {counts['statements']} påståenden och "
            f"{counts['votes']} ställningstaganden till {activity}."
        )
