"""Registration with email verification, login, logout and password reset, with real SMTP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from delaktig.accounts.actions import make_verification_token
from delaktig.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "Gron-Park-2040!"


def register(client: Any, capture: Any, **extra: Any) -> Any:
    data = {
        "email": "Anna.Berg@Exempel.se",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "birth_year": "",
        "display_name": "",
        **extra,
    }
    with capture(execute=True):
        return client.post(reverse("accounts:register"), data)


def link_in(body: str, pattern: str) -> str:
    match = re.search(r"http://testserver(" + pattern + r")", body)
    assert match, body
    return match.group(1)


def test_register_verify_login_logout(client, smtp_inbox, django_capture_on_commit_callbacks):
    response = register(
        client, django_capture_on_commit_callbacks, birth_year="1990", attest_residency="on"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")
    user = User.objects.get()
    assert user.email == "anna.berg@exempel.se"
    assert user.username == "anna.berg@exempel.se"
    assert user.email_verified_at is None
    assert user.identity_level == "anonymous"
    assert user.connected_to_municipality and user.residency_attested_at is not None

    assert smtp_inbox.messages[0]["to"] == ["anna.berg@exempel.se"]
    assert smtp_inbox.messages[0]["message"]["Subject"] == "Bekräfta din e-postadress"
    verify_path = link_in(smtp_inbox.bodies()[0], r"/konto/bekrafta/[^/\s]+/")
    page = client.get(verify_path)
    assert page.status_code == 200
    assert "Din e-postadress är bekräftad" in page.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert user.identity_level == "email"

    login = client.post(
        reverse("accounts:login"), {"username": "ANNA.berg@exempel.se", "password": PASSWORD}
    )
    assert login.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 200
    client.post(reverse("accounts:logout"))
    me = client.get(reverse("accounts:me"))
    assert me.status_code == 302
    assert me["Location"].startswith(reverse("accounts:login"))


def test_wrong_password_is_a_400_with_a_message(client: Any, people: Any) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "resident", "password": "fel-lösenord"}
    )
    assert response.status_code == 400
    assert "Fel e-postadress eller lösenord" in response.content.decode()


def test_verification_link_tampered_or_for_changed_email(client: Any, people: Any) -> None:
    resident = people["resident"]
    token = make_verification_token(resident)
    assert client.get(reverse("accounts:verify", args=[token + "x"])).status_code == 400
    resident.email = "ny@exempelby.se"
    resident.save()
    response = client.get(reverse("accounts:verify", args=[token]))
    assert response.status_code == 400
    resident.refresh_from_db()
    assert resident.email_verified_at is None


def test_verification_link_expires(client: Any, people: Any, settings: Any) -> None:
    from django.core import signing

    from delaktig.accounts import actions

    resident = people["resident"]
    signer = signing.TimestampSigner(salt=actions.VERIFY_SALT)
    old = signing.dumps({"u": resident.pk, "e": resident.email}, salt=actions.VERIFY_SALT)
    # Re-sign the same payload with a timestamp four days back.
    value = old.rsplit(":", 2)[0]
    four_days_ago = signing.b62_encode(int(timezone.now().timestamp()) - 4 * 24 * 3600)
    stale = signer.sign(value).rsplit(":", 2)[0] + ":" + four_days_ago
    stale = f"{stale}:{signer.signature(stale)}"
    response = client.get(reverse("accounts:verify", args=[stale]))
    assert response.status_code == 400
    assert "slutat gälla" in response.content.decode()


def test_duplicate_email_is_refused(client, people, django_capture_on_commit_callbacks):
    response = register(client, django_capture_on_commit_callbacks, email="RESIDENT@exempelby.se")
    assert response.status_code == 400
    assert "finns redan ett konto" in response.content.decode()
    assert User.objects.filter(email__iexact="resident@exempelby.se").count() == 1


def test_mismatched_and_weak_passwords(client, django_capture_on_commit_callbacks) -> None:
    response = register(client, django_capture_on_commit_callbacks, password2="annat-lösen-1")
    assert response.status_code == 400
    weak = register(client, django_capture_on_commit_callbacks, password1="123", password2="123")
    assert weak.status_code == 400
    assert not User.objects.exists()


@pytest.mark.parametrize(("age", "allowed"), [(10, False), (12, False), (13, True), (40, True)])
def test_age_rule_for_accounts(
    client, smtp_inbox, django_capture_on_commit_callbacks, age, allowed
):
    year = timezone.localdate().year - age
    response = register(client, django_capture_on_commit_callbacks, birth_year=str(year))
    if allowed:
        assert response.status_code == 302
        assert User.objects.get().birth_year == year
    else:
        assert response.status_code == 400
        text = response.content.decode()
        assert "minst 13 år" in text
        assert reverse("accounts:school") in text  # the school-session path is offered
        assert not User.objects.exists()
        assert smtp_inbox.messages == []


def test_birth_year_is_optional(client, smtp_inbox, django_capture_on_commit_callbacks) -> None:
    assert register(client, django_capture_on_commit_callbacks).status_code == 302
    assert User.objects.get().birth_year is None


def test_password_reset_through_mail(
    client, people, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": "resident@exempelby.se"}
        )
    assert response.status_code == 302
    assert smtp_inbox.messages[0]["message"]["Subject"] == "Välj ett nytt lösenord"
    path = link_in(smtp_inbox.bodies()[0], r"/konto/nytt-losenord/[^/\s]+/[^/\s]+/")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Nytt-Losen-77", "new_password2": "Nytt-Losen-77"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert client.login(username="resident", password="Nytt-Losen-77")


def test_password_reset_for_unknown_email_sends_nothing(client, smtp_inbox, db) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "ingen@exempel.se"})
    assert response.status_code == 302  # does not reveal whether the address exists
    assert smtp_inbox.messages == []


def test_login_is_rate_limited(client: Any, people: Any, settings: Any) -> None:
    settings.DELAKTIG_RATE_LIMITS = {"login": [("username", 3, 600)]}
    for _i in range(3):
        bad = client.post(reverse("accounts:login"), {"username": "resident", "password": "x"})
        assert bad.status_code == 400
    blocked = client.post(
        reverse("accounts:login"), {"username": "resident", "password": "lösenord-123"}
    )
    assert blocked.status_code == 429


def test_pages_render(client: Any, db: Any) -> None:
    for name in ["login", "register", "register_done", "password_reset", "school"]:
        assert client.get(reverse(f"accounts:{name}")).status_code == 200
