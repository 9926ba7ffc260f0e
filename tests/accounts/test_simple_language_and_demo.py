"""Simple-language toggle in the session, and the accounts part of the demo."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from delaktig.accounts.demo import load
from delaktig.accounts.models import ConsentRecord, Demographics, EidIdentity, SchoolSession, User
from delaktig.governance.demo_context import DemoContext
from delaktig.governance.models import Dialogue

pytestmark = pytest.mark.django_db
PROCESSOR = "delaktig.accounts.context_processors.simple_language"


@pytest.fixture
def with_processor(settings: Any) -> None:
    templates = [dict(t, OPTIONS=dict(t["OPTIONS"])) for t in settings.TEMPLATES]
    templates[0]["OPTIONS"]["context_processors"] = [
        *templates[0]["OPTIONS"]["context_processors"],
        PROCESSOR,
    ]
    settings.TEMPLATES = templates


def test_simple_language_toggle_is_kept_in_the_session(client: Any, with_processor: None):
    page = reverse("accounts:school")
    assert client.get(page).context["simple_language"] is False
    response = client.post(reverse("accounts:simple_language"), {"on": "1", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert client.get(page).context["simple_language"] is True
    client.post(reverse("accounts:simple_language"), {"on": "0", "next": "https://evil.example"})
    assert client.get(page).context["simple_language"] is False


def test_toggle_needs_post(client: Any) -> None:
    assert client.get(reverse("accounts:simple_language")).status_code == 405


def test_demo_identity_state(municipality: Any) -> None:
    users = {
        key: User.objects.create_user(username=key, email=f"{key}@exempel.se")
        for key in ["invanare", "invanare2", "handlaggare", "ung"]
    }
    users["invanare"].connected_to_municipality = True
    users["invanare"].email_verified_at = timezone.now()
    users["invanare"].save()
    youth = Dialogue.objects.create(
        municipality=municipality, title="Ungas fritid", slug="ungas-fritid", status="open"
    )
    ctx = DemoContext(municipality=municipality, users=users, dialogues={"open_youth": youth})
    load(ctx)
    load(ctx)  # loading twice changes nothing
    resident = User.objects.get(username="invanare")
    assert resident.residency_attested_at is not None
    assert EidIdentity.objects.get().user == resident
    assert set(ConsentRecord.objects.filter(user=resident).values_list("purpose", flat=True)) == {
        "demographics",
        "notifications",
    }
    assert Demographics.objects.get().user == resident
    school = SchoolSession.objects.get(code="KLASS7B")
    assert school.dialogue == youth and school.age_band == "13-15"
    assert school.valid_until > timezone.now() + datetime.timedelta(days=20)
