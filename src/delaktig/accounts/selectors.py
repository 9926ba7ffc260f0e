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


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def personal_data(user: User) -> dict[str, Any]:
    """Everything Delaktig holds about a person, as a JSON-serialisable dict (export)."""
    demo = Demographics.objects.filter(user=user).first()
    return {
        "format": "delaktig-personal-data/1",
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
            "birth_year": user.birth_year,
            "email_verified_at": _iso(user.email_verified_at),
            "eid_verified_at": _iso(user.eid_verified_at),
            "connected_to_municipality": user.connected_to_municipality,
            "residency_attested_at": _iso(user.residency_attested_at),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "identity_level": user.identity_level,
        },
        "eid_identities": [
            {
                "issuer": e.issuer,
                "pseudonym": e.subject_hash,
                "created_at": _iso(e.created_at),
                "last_login_at": _iso(e.last_login_at),
            }
            for e in user.eid_identities.all()
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "text_version": c.text_version,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in user.consents.all()
        ],
        "demographics": (
            {"gender": demo.gender, "district": demo.district, "occupation": demo.occupation}
            if demo
            else None
        ),
        "contributions": [
            {
                "id": c.pk,
                "dialogue": c.dialogue.title,
                "activity": c.activity.title,
                "method": c.activity.method,
                "kind": c.kind,
                "channel": c.channel,
                "status": c.status,
                "text": c.text,
                "data": c.data,
                "created_at": _iso(c.created_at),
            }
            for c in contributions_of(user)
        ],
    }
