"""`delaktig pb count|import|export`: Pabulib files on the command line.

delaktig pb count FILE.pb [--rule RULE] [--tie-break NAME] [--utilities cost|cardinal] [--exact]
    prints one JSON object: {"selected": [...project ids...], "tie_break": ...,
    "warnings": [...], "reference": {...how the count compares with the file's
    `selected` column...}, ...}
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
        c.add_argument("--rule", default=None, help="Räkneregel; standard är filens.")
        c.add_argument(
            "--tie-break",
            choices=counting.TIE_BREAKS,
            default=None,
            help="Hur lika bryts; standard för Pabulib-filer är file-order.",
        )
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
                tie_break=options["tie_break"],
            )
        except (pabulib.PabulibError, counting.CountingError) as exc:
            raise CommandError(str(exc)) from None
        result = outcome.as_json()
        reference = compare_with_file(pb, instance, outcome, utilities=options["utilities"])
        if reference is not None:
            result["reference"] = reference
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


def reference_values(rule: str) -> tuple[str, ...]:
    """`selected` values that the rule itself funds: 1, and 2 for Poznań's reserve project.
    Other values (Gdynia's turnout award, extra money afterwards) are outside the rule."""
    return ("1", "2") if rule == "greedy-custom" else ("1",)


def compare_with_file(
    pb: pabulib.PabulibFile,
    instance: counting.Instance,
    outcome: counting.Outcome,
    *,
    utilities: str | None = None,
) -> dict[str, Any] | None:
    """Never silently agree or disagree with what the city funded: say which projects
    differ and whether any supported rule and tie-break reproduces the file."""
    if "selected" not in pb.project_columns:
        return None
    expected = pb.reference_selection(reference_values(outcome.rule))
    counted = set(outcome.selected)
    only_file = [p for p in expected if p not in counted]
    only_count = [p for p in outcome.selected if p not in set(expected)]
    result: dict[str, Any] = {
        "agrees": not only_file and not only_count,
        "only_in_file": only_file,
        "only_in_count": only_count,
    }
    if result["agrees"]:
        result["message"] = "Räkningen ger samma projekt som filens kolumn selected."
        return result
    reproducing = []
    for rule in counting.RULES:
        for tie_break in counting.TIE_BREAKS:
            try:
                other = counting.count(instance, rule, tie_break=tie_break, utilities=utilities)
            except counting.CountingError:
                continue
            if set(other.selected) == set(pb.reference_selection(reference_values(rule))):
                reproducing.append({"rule": rule, "tie_break": tie_break})
    result["reproduced_by"] = reproducing
    differ = (
        f"I filen men inte i räkningen: {', '.join(only_file) or 'inga'}. "
        f"I räkningen men inte i filen: {', '.join(only_count) or 'inga'}."
    )
    if reproducing:
        names = "; ".join(f"{r['rule']} med {r['tie_break']}" for r in reproducing)
        result["message"] = (
            f"Räkningen med {outcome.rule} stämmer inte med filens kolumn selected. "
            f"{differ} Filens urval ges av: {names}."
        )
    else:
        result["message"] = (
            f"Räkningen med {outcome.rule} stämmer inte med filens kolumn selected. "
            f"{differ} Ingen regel som stöds ger filens urval, så det går inte att "
            "avgöra varför staden valde så."
        )
    return result
