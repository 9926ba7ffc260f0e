"""Stop links of the residents' mail (`core.mail`): a stream once stopped is not mailed."""

from __future__ import annotations

import pytest

from delaktig.core import mail
from delaktig.core.models import MailStop

pytestmark = pytest.mark.django_db


def test_a_stopped_stream_is_not_mailed_and_other_streams_still_are(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert mail.notify(
            "Ada@Example.se",
            "Ämne",
            "meetings/email/registration.txt",
            {"body": "Hej"},
            stream="initiative:1",
        )
    url = smtp_inbox.messages[0]["message"]["List-Unsubscribe"].strip("<>")
    assert "ada@example.se" not in url.lower()  # the link holds a digest, not the address
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
    assert client.post(path).status_code == 200
    assert MailStop.objects.get().stream == "initiative:1"
    with django_capture_on_commit_callbacks(execute=True):
        assert not mail.notify(
            "ada@example.se",
            "Ämne",
            "meetings/email/registration.txt",
            {"body": "Igen"},
            stream="initiative:1",
        )
        assert mail.notify(
            "ada@example.se",
            "Ämne",
            "meetings/email/registration.txt",
            {"body": "Annat"},
            stream="initiative:2",
        )
    assert smtp_inbox.bodies()[1].startswith("Annat")


def test_a_tampered_stop_link_is_refused_in_swedish(client):
    url = mail.stop_url("ada@example.se", "initiative:1")
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
    forged = path.replace("/mejl/sluta/", "/mejl/sluta/x")
    response = client.post(forged)
    assert response.status_code == 404 and "Länken är ogiltig" in response.content.decode()
    assert not MailStop.objects.exists()
