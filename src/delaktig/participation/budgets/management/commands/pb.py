"""`delaktig pb count|import|export`: Pabulib files on the command line.

delaktig pb count FILE.pb [--rule RULE] [--utilities cost|cardinal] [--exact]
    prints one JSON object: {"selected": [...project ids...], ...}
delaktig pb import FILE.pb --activity ID [--by USERNAME]
    creates the projects and ballots of a budget activity from the file
delaktig pb export --activity ID [--output FILE.pb]
    writes the budget's projects and ballots as a .pb file
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from delaktig.participation.budgets import counting, pabulib


class Command(BaseCommand):
    help = "Räkna, importera och exportera medborgarbudgetar i Pabulib-formatet (.pb)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        c = sub.add_parser("count", help="Räkna rösterna i en .pb-fil.")
        c.add_argument("file")
        c.add_argument("--rule", choices=counting.RULES, default=None)
        c.add_argument("--utilities", choices=("cost", "cardinal"), default=None)
        c.add_argument("--exact", action="store_true", help="Räkna alla MES-körningar exakt.")
        c.add_argument("--steps", action="store_true", help="Ta med varje projekts steg.")
        i = sub.add_parser("import", help="Läs in projekt och röster till en budget.")
        i.add_argument("file")
        i.add_argument("--activity", type=int, required=True)
        i.add_argument("--by", default=None, help="Användarnamn för tjänstepersonen.")
        e = sub.add_parser("export", help="Skriv en budget som .pb-fil.")
        e.add_argument("--activity", type=int, required=True)
        e.add_argument("--output", default="-")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "count":
            self.count(options)
        elif action == "import":
            self.import_file(options)
        else:
            self.export(options)

    def count(self, options: dict[str, Any]) -> None:
        try:
            pb, instance = pabulib.load(Path(options["file"]))
            outcome = counting.count(
                instance,
                options["rule"],
                utilities=options["utilities"],
                exact=True if options["exact"] else None,
            )
        except (pabulib.PabulibError, counting.CountingError) as exc:
            raise CommandError(str(exc)) from None
        result = outcome.as_json()
        if options["steps"]:
            result["steps"] = [
                {
                    "project_id": s.project_id,
                    "selected": s.selected,
                    "reason": s.reason,
                    "score": counting._num(s.score),
                    "cost": counting._num(s.cost),
                    "remaining_after": counting._num(s.remaining_after),
                }
                for s in outcome.steps
            ]
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _budget(self, activity_id: int) -> Any:
        from delaktig.participation.budgets.models import Budget

        budget = Budget.objects.filter(activity_id=activity_id).first()
        if budget is None:
            raise CommandError(f"Aktiviteten {activity_id} har ingen medborgarbudget.")
        return budget

    def import_file(self, options: dict[str, Any]) -> None:
        from delaktig.accounts.models import User
        from delaktig.core.exceptions import DomainError
        from delaktig.participation.budgets.actions import import_pabulib

        budget = self._budget(options["activity"])
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"Användaren {options['by']} finns inte.")
        try:
            text = Path(options["file"]).read_text(encoding="utf-8-sig")
            result = import_pabulib(budget=budget, text=text, by=by)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Kunde inte läsa filen: {exc}") from None
        except (pabulib.PabulibError, DomainError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def export(self, options: dict[str, Any]) -> None:
        from delaktig.participation.budgets.selectors import export_pabulib

        text = export_pabulib(self._budget(options["activity"]))
        if options["output"] == "-":
            sys.stdout.write(text)
        else:
            Path(options["output"]).write_text(text, encoding="utf-8")
