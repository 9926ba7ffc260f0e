"""Notifications: rendered in the recipient's language, sent after commit, over real SMTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from delaktig.core.mail import notify

pytestmark = pytest.mark.django_db


def test_sent_after_commit_in_the_recipients_language(
    people: Any, smtp_inbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    resident = people["resident"]
    resident.preferred_language = "en"
    resident.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify(
            resident,
            _("Bekräfta din e-postadress"),
            "accounts/email/verify.txt",
            {"link": "https://exempel.se/x"},
        )
        assert smtp_inbox.messages == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    message = smtp_inbox.messages[0]["message"]
    assert smtp_inbox.messages[0]["to"] == ["resident@exempelby.se"]
    assert message["Subject"] == "Confirm your email address"
    assert message["Content-Language"] == "en"
    body = smtp_inbox.bodies()[0]
    assert "Click the link" in body
    assert "https://exempel.se/x" in body


def test_plain_address_gets_swedish_or_the_given_language(
    db: Any, smtp_inbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify("a@exempel.se", _("Bekräfta din e-postadress"), "accounts/email/verify.txt", {})
        notify(
            "b@exempel.se",
            _("Bekräfta din e-postadress"),
            "accounts/email/verify.txt",
            {},
            language="en",
        )
        notify(
            "c@exempel.se",
            _("Bekräfta din e-postadress"),
            "accounts/email/verify.txt",
            {},
            language="xx",
        )
    subjects = {m["to"][0]: m["message"]["Subject"] for m in smtp_inbox.messages}
    assert subjects == {
        "a@exempel.se": "Bekräfta din e-postadress",
        "b@exempel.se": "Confirm your email address",
        "c@exempel.se": "Bekräfta din e-postadress",
    }


def test_nothing_is_sent_when_the_transaction_rolls_back(
    people: Any, smtp_inbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(
                    people["resident"],
                    _("Bekräfta din e-postadress"),
                    "accounts/email/verify.txt",
                    {},
                )
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert smtp_inbox.messages == []


def test_no_address_no_mail(people: Any) -> None:
    resident = people["resident"]
    resident.email = ""
    assert notify(resident, "x", "accounts/email/verify.txt", {}) is False


def test_user_text_in_context_is_not_html_escaped_but_not_executed(
    people: Any, smtp_inbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(people["resident"], "Ämne", "accounts/email/verify.txt", {"link": "<b>&</b>"})
    assert "<b>&</b>" in smtp_inbox.bodies()[0]  # plain text mail: shown as typed
    assert smtp_inbox.messages[0]["message"].get_content_type() == "text/plain"
