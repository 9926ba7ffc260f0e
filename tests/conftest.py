"""Shared fixtures: a municipality under a policy profile and one person per role."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from delaktig.accounts.models import User
from delaktig.organisation.models import (
    Body,
    BodyKind,
    BodyMembership,
    Municipality,
    Office,
    PolicyProfile,
    Role,
    StaffRole,
)

ROLES = [
    "anonymous",
    "resident",
    "elected",
    "official",
    "other_official",
    "process_leader",
    "strategist",
    "admin",
]


@pytest.fixture(autouse=True)
def swedish_by_default() -> Any:
    """An English request must not leave English active for the next test in the worker."""
    from django.utils import translation

    with translation.override("sv"):
        yield


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    """Cached public pages and the cached municipality belong to one test's data."""
    from django.core.cache import cache

    from delaktig.core.public_cache import clear_local_copies

    cache.clear()
    clear_local_copies()
    yield
    cache.clear()
    clear_local_copies()


@pytest.fixture
def make_municipality(db: Any) -> Callable[..., Municipality]:
    def make(profile_slug: str = "sollentuna", name: str = "Exempelby kommun") -> Municipality:
        from django.utils.text import slugify

        if not PolicyProfile.objects.exists():
            # Transactional tests flush the data migration's rows; put the profiles back.
            from delaktig.organisation.profile_data import sync_profiles

            sync_profiles()
        profile = PolicyProfile.objects.get(slug=profile_slug)
        municipality = Municipality.objects.create(
            name=name, slug=slugify(name), profile=profile, contact_email="dialog@exempelby.se"
        )
        for kind, body_name in [
            (BodyKind.KF, "Kommunfullmäktige"),
            (BodyKind.KS, "Kommunstyrelsen"),
            (BodyKind.STYRGRUPP, "Styrgruppen för medborgardialog"),
            (BodyKind.KLG, "Kommunledningsgruppen"),
            (BodyKind.NAMND, "Samhällsbyggnadsnämnden"),
            (BodyKind.NAMND, "Barn- och utbildningsnämnden"),
        ]:
            Body.objects.create(municipality=municipality, kind=kind, name=body_name)
        Office.objects.create(
            municipality=municipality,
            name="Samhällsbyggnadsförvaltningen",
            body=Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden"),
        )
        Office.objects.create(municipality=municipality, name="Utbildningsförvaltningen")
        return municipality

    return make


@pytest.fixture
def municipality(make_municipality: Callable[..., Municipality]) -> Municipality:
    return make_municipality()


@pytest.fixture
def people(municipality: Municipality) -> dict[str, Any]:
    """One user per role. `anonymous` is None."""
    office = Office.objects.get(municipality=municipality, name="Samhällsbyggnadsförvaltningen")
    other_office = Office.objects.get(municipality=municipality, name="Utbildningsförvaltningen")

    def user(name: str) -> User:
        return User.objects.create_user(
            username=name, password="lösenord-123", email=f"{name}@exempelby.se"
        )

    result: dict[str, Any] = {"anonymous": None, "resident": user("resident")}
    elected = user("elected")
    BodyMembership.objects.create(
        user=elected,
        body=Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden"),
    )
    result["elected"] = elected
    for key, role, off in [
        ("official", Role.OFFICIAL, office),
        ("other_official", Role.OFFICIAL, other_office),
        ("process_leader", Role.OFFICIAL, other_office),
        ("strategist", Role.STRATEGIST, None),
        ("admin", Role.ADMIN, None),
    ]:
        u = user(key)
        StaffRole.objects.create(user=u, municipality=municipality, role=role, office=off)
        result[key] = u
    return result


def body(municipality: Municipality, kind: str) -> Body:
    return Body.objects.filter(municipality=municipality, kind=kind).order_by("pk").first()  # type: ignore[return-value]


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


class _Inbox:
    """Messages a real local SMTP server received during a test."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(
            {"to": list(envelope.rcpt_tos), "from": envelope.mail_from, "message": message}
        )
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        return [
            m["message"].get_body(preferencelist=("plain",)).get_content() for m in self.messages
        ]


@pytest.fixture
def smtp_inbox(settings: Any) -> Any:
    """Start a real SMTP server (aiosmtpd) on loopback and send the app's mail to it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()
