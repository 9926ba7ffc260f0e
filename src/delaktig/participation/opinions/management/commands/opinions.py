"""`delaktig opinions map DIR [--k K]` and `delaktig opinions import DIR --activity ID`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def parse_statement_ids(raw: str) -> list[str]:
    """ "1-14,20" → ["1", ..., "14", "20"]; a clear Swedish error for anything else."""
    from delaktig.core.parsing import parse_int

    ids: list[str] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        low, dash, high = part.partition("-")
        first = parse_int(low, minimum=0)
        last = parse_int(high, minimum=0) if dash else first
        if first is None or last is None or last < first or last - first > 100_000:
            raise CommandError(
                f"--meta: {part!r} är inte ett påståendenummer eller ett intervall som 1-14."
            )
        ids.extend(str(i) for i in range(first, last + 1))
    return ids


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
        map_parser.add_argument(
            "--method",
            choices=["polis", "plain"],
            default="polis",
            help="polis (default): Polis's method with sparsity scaling and base clusters; "
            "plain: the earlier method, k-means on unscaled positions",
        )
        map_parser.add_argument(
            "--meta",
            default="",
            help="statements Polis marked as meta (not in the export), e.g. 1-14,20",
        )
        map_parser.add_argument(
            "--ignore-polis-members",
            action="store_true",
            help="do not keep the participants the export says Polis clustered",
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
            try:
                result = map_polis_export(
                    directory,
                    k=k,
                    min_votes=options["min_votes"],
                    method=options["method"],
                    meta=parse_statement_ids(options["meta"]),
                    keep_polis_members=not options["ignore_polis_members"],
                )
            except (KeyError, ValueError) as exc:
                raise CommandError(f"Exporten går inte att läsa: {exc}") from exc
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
