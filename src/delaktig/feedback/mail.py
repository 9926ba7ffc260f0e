"""Emails from the feedback app, each rendered in the recipient's own language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from delaktig.core.links import absolute

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def url(name: str, **kwargs: Any) -> str:
    return absolute(reverse(name, kwargs=kwargs))


def send(
    *,
    to: str,
    language: str,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    """Render `feedback/email/<template>_subject.txt` and `.txt` in `language` and send."""
    lang = language if language in SUPPORTED else settings.LANGUAGE_CODE
    with translation.override(lang):
        subject = render_to_string(f"{template}_subject.txt", context).strip().replace("\n", " ")
        body = render_to_string(f"{template}.txt", context)
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    ).send()
