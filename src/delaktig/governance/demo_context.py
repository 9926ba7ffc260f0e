"""The demo municipality is built in steps: governance first, then every app's `demo.py`.

An app takes part by providing `delaktig/<app>/demo.py` with `load(ctx: DemoContext)`.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.text import slugify


@dataclass
class DemoContext:
    municipality: Any
    users: dict[str, Any] = field(default_factory=dict)
    # One dialogue per lifecycle state, keyed by DialogueStatus value, plus named extras.
    dialogues: dict[str, Any] = field(default_factory=dict)
    today: datetime.date = field(default_factory=datetime.date.today)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def activity(self, dialogue_key: str, method: str, title: str, **fields: Any) -> Any:
        from delaktig.participation.models import Activity

        dialogue = self.dialogues[dialogue_key]
        return Activity.objects.create(
            dialogue=dialogue,
            method=method,
            title=title,
            slug=slugify(title)[:200] or method,
            order=dialogue.activities.count(),
            **fields,
        )


def run_app_demos(ctx: DemoContext, *, skip: tuple[str, ...] = ()) -> list[str]:
    """Call every installed Delaktig app's demo.load(ctx), in INSTALLED_APPS order."""
    loaded = []
    for config in apps.get_app_configs():
        if not config.name.startswith("delaktig.") or config.name in skip:
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        module.load(ctx)
        loaded.append(config.label)
    return loaded
