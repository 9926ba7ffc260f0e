"""Email to residents, in their own language, sent only once the transaction commits.

`notify()` renders the message now (so the text matches the data of this
transaction) and hands it to a background task after commit: production sends it
through the SMTP mailer in MAILERS with the task worker; tests through a real
local SMTP server.

A mail about something the resident takes part in names its `stream` (one proposal, one
meeting registration). It then carries a link to stop that stream, in the text and in the
`List-Unsubscribe` headers (RFC 2369, one-click by RFC 8058), and is not sent once stopped.
Mail the person asked for at that moment (a confirmation link, a password reset) and
officials' work mail have no stream.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from delaktig.core.links import absolute
from delaktig.core.models import MailStop

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _language_for(recipient: Any, language: str | None) -> str:
    chosen = language or getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    return chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE


STOP_SALT = "delaktig.mail.stop"


def address_digest(address: str) -> str:
    """A keyed digest of an address: enough to recognise it again, not to read it."""
    normal = address.strip().lower()
    return hmac.new(
        settings.SECRET_KEY.encode(), f"mail|{normal}".encode(), hashlib.sha256
    ).hexdigest()


def stop_url(address: str, stream: str) -> str:
    """The link that stops `stream` for `address`; it holds the digest, not the address."""
    token = signing.dumps(
        {"d": address_digest(address), "s": stream}, salt=STOP_SALT, compress=True
    )
    return absolute(reverse("core:stop_mail", args=[token]))


def read_stop_token(token: str) -> tuple[str, str] | None:
    """(digest, stream) of a stop link, or None for a link that is not ours."""
    try:
        data = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not data.get("s"):
        return None
    return data["d"], str(data["s"])


def is_stopped(address: str, stream: str) -> bool:
    return MailStop.objects.filter(address_digest=address_digest(address), stream=stream).exists()


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and 8058: the mail client offers the stop link, and may POST it in one click."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def notify(
    user_or_email: Any,
    subject: str | Promise,
    template: str,
    context: dict[str, Any] | None = None,
    language: str | None = None,
    stream: str = "",
) -> bool:
    """Render `template` (plain text) in the recipient's language and send it after commit.

    `subject` is a (lazy) gettext string in Swedish, translated here. Returns False
    when there is nobody to send to (no address), or the recipient stopped `stream`.
    """
    address = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    if not address or (stream and is_stopped(address, stream)):
        return False
    lang = _language_for(user_or_email, language)
    headers: dict[str, str] = {}
    with translation.override(lang):
        body: str = render_to_string(
            template, {"recipient": user_or_email, "language": lang, **(context or {})}
        )
        if stream:
            url = stop_url(address, stream)
            headers = unsubscribe_headers(url)
            body = (
                body.rstrip()
                + "\n\n-- \n"
                + _("Vill du inte få fler mejl om det här? Sluta här: %(url)s") % {"url": url}
            )
        subject_text = " ".join(str(subject).split())
    transaction.on_commit(
        lambda: send_notification.enqueue(address, subject_text, body, lang, headers)  # type: ignore[attr-defined]
    )
    return True


@task()
def send_notification(
    address: str, subject: str, body: str, language: str, headers: dict[str, str] | None = None
) -> None:
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    message.extra_headers["Content-Language"] = language
    message.extra_headers.update(headers or {})
    message.send()
