"""Email to residents, in their own language, sent only once the transaction commits.

`notify()` renders the message now (so the text matches the data of this
transaction) and hands it to a background task after commit: production sends it
through the SMTP mailer in MAILERS with the task worker; tests through a real
local SMTP server.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _language_for(recipient: Any, language: str | None) -> str:
    chosen = language or getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    return chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE


def notify(
    user_or_email: Any,
    subject: str | Promise,
    template: str,
    context: dict[str, Any] | None = None,
    language: str | None = None,
) -> bool:
    """Render `template` (plain text) in the recipient's language and send it after commit.

    `subject` is a (lazy) gettext string in Swedish, translated here. Returns False
    when there is nobody to send to (no address).
    """
    address = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    if not address:
        return False
    lang = _language_for(user_or_email, language)
    with translation.override(lang):
        body = render_to_string(
            template, {"recipient": user_or_email, "language": lang, **(context or {})}
        )
        subject_text = " ".join(str(subject).split())
    transaction.on_commit(
        lambda: send_notification.enqueue(address, subject_text, body, lang)  # type: ignore[attr-defined]
    )
    return True


@task()
def send_notification(address: str, subject: str, body: str, language: str) -> None:
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    message.extra_headers["Content-Language"] = language
    message.send()
