"""Writes for meetings: details, registration with waiting list, documentation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from delaktig.accounts.actions import notify_user
from delaktig.accounts.models import Notification
from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.core.mail import notify
from delaktig.core.permissions import require
from delaktig.participation.actions import record_contribution
from delaktig.participation.models import Activity, Channel, ContributionKind

from .models import Meeting, MeetingNote, Registration, RegistrationStatus
from .rules import registration_refusal

MEETING_FIELDS = (
    "starts_at",
    "ends_at",
    "address",
    "accessibility",
    "capacity",
    "registration_open",
    "consent_text",
)


@transaction.atomic
def save_meeting(*, activity: Activity, official: Any, **fields: Any) -> Meeting:
    """Create or update a meeting's time, place details, accessibility and capacity."""
    require(official, "meetings.manage_activity", activity)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    if fields["ends_at"] <= fields["starts_at"]:
        raise DomainError(_("Mötet måste sluta efter att det har börjat."))
    meeting = Meeting.objects.filter(activity=activity).first()
    created = meeting is None
    if meeting is None:
        meeting = Meeting(activity=activity)
    moved = not created and any(
        getattr(meeting, name) != fields[name] for name in MEETING_CHANGES if name in fields
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    if moved:
        _tell_registered(
            meeting,
            _("Mötet ”%(title)s” har ändrats: nu %(when)s.")
            % {"title": activity, "when": _when(meeting)},
            key=f"meeting:{meeting.pk}:{meeting.starts_at:%Y%m%d%H%M}:{meeting.address[:20]}",
        )
    # More places may let people in from the waiting list.
    promoted = _promote_waiting(meeting)
    record_audit(
        actor=official,
        action="meetings.created" if created else "meetings.updated",
        obj=meeting,
        summary=str(activity),
        data={"capacity": meeting.capacity, "promoted": len(promoted)},
    )
    return meeting


def _cancel_url(site_url: str, registration: Registration) -> str:
    return site_url.rstrip("/") + reverse("meetings:registration", args=[registration.token])


def _notify(registration: Registration, subject: str, body: str) -> None:
    """Mail about the registration, with a link to stop mail about it (the place stays)."""
    if registration.email:
        notify(
            registration.email,
            subject,
            "meetings/email/registration.txt",
            {"body": body},
            language=translation.get_language(),
            stream=f"registration:{registration.pk}",
        )


# What registrants are told of when it changes: when and where.
MEETING_CHANGES = ("starts_at", "ends_at", "address")


def _tell_registered(meeting: Meeting, text: str, key: str) -> None:
    """A notice on the page of each signed-in registrant (F2); mail goes as before."""
    link = reverse("governance:dialogue", args=[meeting.activity.dialogue.slug])
    for registration in meeting.registrations.exclude(status=RegistrationStatus.CANCELLED):
        notify_user(
            user=registration.user,
            kind=Notification.Kind.MEETING_CHANGED,
            dialogue=meeting.activity.dialogue,
            text=text,
            link=link,
            key=key[:60],
        )


def _when(meeting: Meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")


@transaction.atomic
def register(
    *,
    meeting: Meeting,
    user: Any,
    participant_key: str,
    name: str,
    email: str = "",
    needs: str = "",
    consent: bool,
    site_url: str = "",
) -> Registration:
    """Register for a meeting; a full meeting puts the person on the waiting list.

    Registering again from the same session or account returns the same registration.
    """
    refusal = registration_refusal(user, meeting)
    if refusal is not None:
        raise DomainError(refusal.message, code=refusal.code)
    if not consent:
        raise DomainError(_("Du behöver godkänna hur vi hanterar dina uppgifter."))
    # Lock the meeting so that parallel registrations cannot overfill it.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    existing = (
        meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .filter(participant_key=participant_key)
        .first()
    )
    if existing is not None:
        return existing
    places = meeting.places_left()
    status = (
        RegistrationStatus.WAITING
        if places is not None and places <= 0
        else RegistrationStatus.CONFIRMED
    )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                meeting=meeting,
                name=name,
                email=email,
                needs=needs,
                user=user if getattr(user, "is_authenticated", False) else None,
                participant_key=participant_key,
                status=status,
                consent_given_at=timezone.now(),
            )
    except IntegrityError:
        return meeting.registrations.exclude(status=RegistrationStatus.CANCELLED).get(
            participant_key=participant_key
        )
    title = str(meeting.activity)
    if status == RegistrationStatus.CONFIRMED:
        subject = _("Du är anmäld: %(title)s") % {"title": title}
        first = _("Du är anmäld till %(title)s, %(when)s, %(place)s.")
    else:
        subject = _("Du står på väntelistan: %(title)s") % {"title": title}
        first = _(
            "Mötet %(title)s, %(when)s, %(place)s är fullt. Du står på väntelistan och får "
            "ett mejl om en plats blir ledig."
        )
    body = "\n\n".join(
        [
            first % {"title": title, "when": _when(meeting), "place": meeting.activity.place},
            _("Avboka här: %(url)s") % {"url": _cancel_url(site_url, registration)},
        ]
    )
    _notify(registration, subject, body)
    return registration


@transaction.atomic
def free_places_of_erased(registrations: models.QuerySet[Registration]) -> None:
    """En plats på ett kommande möte går till den första på väntelistan, som när personen
    avbokar genom länken."""
    site_url = getattr(settings, "DELAKTIG_SITE_URL", "")
    coming = registrations.filter(meeting__starts_at__gt=timezone.now()).exclude(
        status=RegistrationStatus.CANCELLED
    )
    for registration in coming:
        cancel_registration(registration=registration, site_url=site_url)


def cancel_registration(*, registration: Registration, site_url: str = "") -> Registration:
    """Cancel through the link; the first on the waiting list gets the place. Idempotent."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    _promote_waiting(meeting, site_url=site_url)
    return registration


def _promote_waiting(meeting: Meeting, *, site_url: str = "") -> list[Registration]:
    promoted: list[Registration] = []
    places = meeting.places_left()
    if places is None:
        waiting = list(meeting.registrations.filter(status=RegistrationStatus.WAITING))
    elif places > 0:
        waiting = list(
            meeting.registrations.filter(status=RegistrationStatus.WAITING).order_by(
                "created_at", "id"
            )[:places]
        )
    else:
        waiting = []
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        promoted.append(registration)
        title = str(meeting.activity)
        _notify(
            registration,
            _("Du har fått en plats: %(title)s") % {"title": title},
            _("En plats blev ledig och du är nu anmäld till %(title)s, %(when)s.")
            % {"title": title, "when": _when(meeting)}
            + "\n\n"
            + _("Avboka här: %(url)s") % {"url": _cancel_url(site_url, registration)},
        )
    return promoted


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, official: Any, reason: str) -> Meeting:
    require(official, "meetings.manage_activity", meeting.activity)
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    _tell_registered(
        meeting,
        _("Mötet ”%(title)s” är inställt.") % {"title": meeting.activity},
        key=f"meeting:{meeting.pk}:cancelled",
    )
    for registration in meeting.registrations.exclude(status=RegistrationStatus.CANCELLED):
        _notify(
            registration,
            _("Mötet är inställt: %(title)s") % {"title": meeting.activity},
            reason,
        )
    record_audit(actor=official, action="meetings.cancelled", obj=meeting, summary=reason[:200])
    return meeting


def not_held_yet(meeting: Meeting) -> str:
    return _(
        "Mötet har inte hållits ännu: det börjar %(when)s. Dokumentera det när det har börjat."
    ) % {"when": _when(meeting)}


@transaction.atomic
def document_meeting(
    *,
    meeting: Meeting,
    official: Any,
    points: list[str],
    topic: str = "",
    channel: str = Channel.MEETING,
    attendance: int | None = None,
) -> list[MeetingNote]:
    """Enter what came up: one note, and one Contribution, per point raised (C2, C3)."""
    require(official, "meetings.document_meeting", meeting.activity)
    if channel not in (Channel.MEETING, Channel.INTERVIEW):
        raise DomainError(_("Välj möte eller intervju."))
    # What came up at a meeting that has not begun would be made up, and would count in
    # the compilation as if residents had said it.
    if not meeting.is_past:
        raise DomainError(not_held_yet(meeting), code="not_held")
    points = [p.strip() for p in points if p.strip()]
    if not points and attendance is None:
        raise DomainError(_("Skriv minst en sak som kom upp."))
    notes = []
    for text in points:
        note = MeetingNote.objects.create(
            meeting=meeting, text=text, topic=topic, channel=channel, entered_by=official
        )
        record_contribution(
            activity=meeting.activity,
            kind=ContributionKind.MEETING_NOTE,
            text=text,
            data={"topic": topic, "meeting_id": meeting.pk}
            if topic
            else {"meeting_id": meeting.pk},
            channel=channel,
            entered_by=official,
            source=note,
        )
        notes.append(note)
    update = ["documented_at"]
    meeting.documented_at = timezone.now()
    if attendance is not None:
        meeting.attendance = attendance
        update.append("attendance")
    meeting.save(update_fields=update)
    record_audit(
        actor=official,
        action="meetings.documented",
        obj=meeting,
        summary=_("%(n)s punkter dokumenterade") % {"n": len(notes)},
        data={"notes": [n.pk for n in notes], "attendance": meeting.attendance, "topic": topic},
    )
    return notes
