"""The optional "Mejla mig när återkopplingen kommer" that every method offers (F2).

One piece for every method's form: the template `participation/includes/feedback_optin.html`
inside the form, `read` before the method's action (a half-filled opt-in is refused with
nothing lost) and `keep` after it, which stores the address in the one place for it,
the feedback app's `ask_for_feedback`. A signed-in resident is reached through the account
and is not asked; an official entering paper or meeting input is asked on the person's behalf.

The feedback app sits above participation (it reads what the methods collected), so it
hands its store to this module when the apps load (`register_store`, FeedbackConfig.ready).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from delaktig.core.exceptions import DomainError
from delaktig.participation.models import Activity, Contribution

WANTED = "feedback_optin"
EMAIL = "feedback_email"

_stores: list[Callable[..., Any]] = []


def register_store(store: Callable[..., Any]) -> None:
    """The one place the addresses go: `store(dialogue=, email=, language=, source=,
    consent=, entered_by=, participant_key=, contribution=, meeting=)`."""
    _stores[:] = [store]


# A meeting's sign-up sheet for the feedback: a class or an evening's attendees, not a list.
MAX_ADDRESSES = 200


@dataclass(frozen=True)
class OptIn:
    emails: tuple[str, ...]
    language: str


def read(request: HttpRequest, *, official: bool = False, several: bool = False) -> OptIn | None:
    """The opt-in in the POST, None when not asked for, DomainError when half filled in.

    `several`: an official types in a meeting's sign-up sheet, one address per line."""
    if not official and getattr(request.user, "is_authenticated", False):
        return None
    wanted = bool(request.POST.get(WANTED))
    email = (request.POST.get(EMAIL) or "").strip()
    if not wanted and not email:
        return None
    if not email:
        if official:
            raise DomainError(
                _("Skriv personens e-postadress, eller ta bort krysset för samtycke.")
            )
        raise DomainError(_("Skriv en e-postadress om du vill få återkopplingen mejlad."))
    if not wanted:
        if official:
            # The address is stored only on the person's recorded consent (F2, GDPR art. 7).
            raise DomainError(
                _(
                    "Adressen sparas bara med personens samtycke. Kryssa i rutan för samtycke, "
                    "eller ta bort adressen."
                )
            )
        raise DomainError(
            _("Kryssa i rutan ”Mejla mig när återkopplingen kommer” om du vill få den mejlad.")
        )
    language = translation.get_language() or "sv"
    if not several:
        return OptIn(emails=(_valid(email),), language=language)
    addresses = [part for part in re.split(r"[\s,;]+", email) if part]
    if len(addresses) > MAX_ADDRESSES:
        raise DomainError(_("Skriv högst %(n)s adresser åt gången.") % {"n": MAX_ADDRESSES})
    return OptIn(emails=tuple(dict.fromkeys(_valid(a) for a in addresses)), language=language)


def _valid(email: str) -> str:
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(
            _("”%(address)s” är ingen e-postadress. Skriv den som namn@exempel.se.")
            % {"address": email[:100]}
        ) from exc
    return email.lower()


def read_into(
    request: HttpRequest, form: Any, *, several: bool = False
) -> tuple[OptIn | None, bool]:
    """For an official's entry form: validate `form`, then the opt-in into its errors.

    Returns the opt-in and whether anything was refused (form or opt-in).
    """
    valid = form.is_valid()
    try:
        opt_in = read(request, official=True, several=several)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None, True
    return opt_in, not valid


def keep(
    opt_in: OptIn | None,
    *,
    activity: Activity,
    request: HttpRequest | None = None,
    entered_by: Any = None,
    given_with: Any = None,
) -> None:
    """Store the address for this dialogue's feedback (after the method's own action).

    The participant who gave it is linked, as the participant count counts them: a
    resident by their key (`request`), an official's entry by what was entered
    (`given_with`: the meeting, or the response, idea or ballot whose contribution it is).
    """
    if opt_in is None:
        return
    from delaktig.participation.identity import participant_key
    from delaktig.participation.meetings.models import Meeting

    key, contribution, meeting = "", None, None
    if isinstance(given_with, Meeting):
        meeting = given_with
    elif given_with is not None:
        contribution = Contribution.objects.filter(
            source_type=given_with._meta.label, source_id=str(given_with.pk)
        ).first()
        key = contribution.participant_key if contribution is not None else ""
        contribution = None if key else contribution
    elif request is not None and entered_by is None:
        key = participant_key(request, activity)
    if not _stores:
        raise ImproperlyConfigured(
            "No store for feedback addresses: is the feedback app installed?"
        )
    for email in opt_in.emails:
        _stores[0](
            dialogue=activity.dialogue,
            email=email,
            language=opt_in.language,
            source=activity.method,
            consent=True,  # the box was ticked: `read` returns no opt-in without it
            entered_by=entered_by,
            participant_key=key,
            contribution=contribution,
            meeting=meeting,
        )
