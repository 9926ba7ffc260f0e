"""Guarded state machines for the records that have a life of their own inside a dialogue.

The dialogue itself has `governance.lifecycle`. A compilation, a theme and the feedback each
have a few states of their own (draft → published, proposed → accepted/merged/rejected);
they are declared here the same way: every step names where it may start, where it ends
and what must hold, and every step taken is an event in the audit log with its from and to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError

Check = Callable[[Any], list[str]]


@dataclass(frozen=True)
class Step:
    name: str
    source: tuple[str, ...]
    target: str
    # The audit log's name for the event, e.g. "results.theme_accepted".
    action: str
    guards: tuple[Check, ...] = ()
    # Shown when the record is not in a state this step starts from.
    refusal: object = ""


@dataclass(frozen=True)
class Machine:
    """The steps of one record type, over its `field`."""

    steps: tuple[Step, ...]
    field: str = "status"

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def blockers(self, obj: models.Model, name: str) -> list[str]:
        step = self.step(name)
        if getattr(obj, self.field) not in step.source:
            return [str(step.refusal or _("Det går inte i det nuvarande läget."))]
        return [message for guard in step.guards for message in guard(obj)]

    def move(
        self,
        obj: models.Model,
        name: str,
        *,
        actor: Any,
        summary: str = "",
        message: object = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        """Take the step and record it; `message` heads the list of what is missing."""
        step = self.step(name)
        source = getattr(obj, self.field)
        missing = self.blockers(obj, name)
        if missing and (source not in step.source or not message):
            raise DomainError(missing[0])
        if missing:
            raise DomainError(str(message), missing=missing)
        setattr(obj, self.field, step.target)
        obj.save()
        record_audit(
            actor=actor,
            action=step.action,
            obj=obj,
            summary=summary,
            data={"from": source, "to": getattr(obj, self.field), **(data or {})},
        )
