"""Reads about a person: what we hold about them, and their consented demographics."""

from __future__ import annotations

from typing import Any

from delaktig.accounts.models import (
    ConsentPurpose,
    ConsentRecord,
    Demographics,
    User,
    age_band_for_birth_year,
)
from delaktig.participation.models import Contribution


def has_consent(user: User, purpose: str) -> bool:
    return ConsentRecord.objects.active().filter(user=user, purpose=purpose).exists()


def consented_demographics(user: User) -> dict[str, str]:
    if not has_consent(user, ConsentPurpose.DEMOGRAPHICS):
        return {}
    result: dict[str, str] = {}
    band = age_band_for_birth_year(user.birth_year)
    if band:
        result["age_band"] = band
    demo = Demographics.objects.filter(user=user).first()
    if demo is not None:
        for key in ("gender", "district", "occupation"):
            if getattr(demo, key):
                result[key] = getattr(demo, key)
    return result


def contributions_of(user: User) -> Any:
    return (
        Contribution.objects.filter(author=user)
        .select_related("dialogue", "activity")
        .order_by("-created_at", "-id")
    )


def personal_data(user: User) -> dict[str, Any]:
    """Everything Delaktig holds about a person, as a JSON-serialisable dict (export).

    One section per registered model (`accounts/personal_data.py`), every row of theirs:
    account, identity links, consents, demographics, contributions of every kind, meeting
    registrations and needs, follows, proposals, and audit rows by or about them."""
    from django.utils import timezone

    from delaktig.accounts.personal_data import export_person

    return {
        "format": "delaktig-personal-data/2",
        "generated_at": timezone.now().isoformat(),
        "identity_level": user.identity_level,
        "sections": export_person(user),
    }
