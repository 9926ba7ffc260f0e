"""Reads about a person: what we hold about them, and their consented demographics."""

from __future__ import annotations

from typing import Any

from delaktig.accounts.models import (
    ConsentPurpose,
    ConsentRecord,
    Demographics,
    Notification,
    User,
    age_band_for_birth_year,
)


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


def notices_of(user: User) -> list[Notification]:
    """The notices on a resident's "Mina uppgifter", newest first."""
    return list(Notification.objects.filter(user=user).select_related("dialogue")[:50])
