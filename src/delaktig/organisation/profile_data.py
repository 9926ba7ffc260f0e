"""Load the shipped policy profiles (JSON in profiles/) into the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"


def shipped_profiles() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(PROFILE_DIR.glob("*.json"))]


def _known(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Keep the keys the model has: an older migration's model lacks later fields."""
    names = {f.name for f in model._meta.get_fields()}
    return {k: v for k, v in data.items() if k in names}


def sync_profiles(apps: Any = None) -> int:
    """Create or update the shipped profiles. Usable from a data migration (pass `apps`).

    Dialogues keep the checklist they were given when they were created; only new
    dialogues get the profile's current items.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Profile = apps.get_model("organisation", "PolicyProfile")
    GateRule = apps.get_model("organisation", "GateRule")
    Item = apps.get_model("organisation", "ChecklistTemplateItem")
    for data in shipped_profiles():
        fields = _known(
            Profile, {k: v for k, v in data.items() if k not in ("slug", "gate_rules", "checklist")}
        )
        profile, _ = Profile.objects.update_or_create(slug=data["slug"], defaults=fields)
        GateRule.objects.filter(profile=profile).delete()
        GateRule.objects.bulk_create(GateRule(profile=profile, **r) for r in data["gate_rules"])
        Item.objects.filter(profile=profile).delete()
        Item.objects.bulk_create(
            Item(profile=profile, order=order, **_known(Item, i))
            for order, i in enumerate(data["checklist"])
        )
    return len(shipped_profiles())
