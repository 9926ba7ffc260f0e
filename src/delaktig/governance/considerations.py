"""The G6 register: which assignments were considered for dialogue, and the outcome.

The public page and both exports show the same columns, declared once here. None of
them names the official who recorded an entry: the register is public, the people
behind it are in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delaktig.governance.models import AssignmentConsideration, Dialogue
from delaktig.governance.states import Feature, allows
from delaktig.organisation.models import Municipality

# A linked dialogue still being prepared is not public: the register says only that.
NOT_PUBLIC_YET = _("Dialogen förbereds")


@dataclass(frozen=True)
class Entry:
    """One row as the public sees it: the dialogue only when it is public itself."""

    row: AssignmentConsideration
    public_dialogue: Dialogue | None

    @property
    def dialogue_text(self) -> str:
        if self.public_dialogue is not None:
            return self.public_dialogue.title
        dialogue = self.row.dialogue
        if dialogue is not None and not allows(dialogue, Feature.PUBLIC):
            return str(NOT_PUBLIC_YET)
        return self.row.unlinked_reason


COLUMNS: list[tuple[Any, Callable[[Entry], Any]]] = [
    (_("Prövat datum"), lambda e: e.row.considered_on),
    (_("Uppdrag"), lambda e: e.row.title),
    (_("Diarienummer"), lambda e: e.row.case_number),
    (_("Organ"), lambda e: e.row.body.name if e.row.body else ""),
    (_("Utfall"), lambda e: e.row.get_outcome_display()),
    (_("Skäl"), lambda e: e.row.reason),
    (_("Dialog"), lambda e: e.dialogue_text),
    (_("Senast ändrad"), lambda e: timezone.localdate(e.row.updated_at)),
]


def for_municipality(municipality: Municipality) -> QuerySet[AssignmentConsideration]:
    return AssignmentConsideration.objects.filter(municipality=municipality).select_related(
        "body", "dialogue"
    )


def entries(municipality: Municipality) -> list[Entry]:
    rows = list(for_municipality(municipality))
    public = set(
        Dialogue.objects.public()
        .filter(pk__in=[r.dialogue_id for r in rows if r.dialogue_id])
        .values_list("pk", flat=True)
    )
    return [Entry(r, r.dialogue if r.dialogue_id in public else None) for r in rows]


def header() -> list[str]:
    return [str(title) for title, _value in COLUMNS] + [str(_("Dialogens adress"))]


def export_rows(municipality: Municipality, base_url: str) -> Iterator[list[Any]]:
    yield header()
    for entry in entries(municipality):
        address = ""
        if entry.public_dialogue is not None:
            address = base_url + reverse("governance:dialogue", args=[entry.public_dialogue.slug])
        # results.exports writes formula-looking cells as text (CSV injection).
        yield [value(entry) for _title, value in COLUMNS] + [address]
