from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Meeting


def ics_for(meeting: Meeting, *, url: str, host: str) -> str:
    """An iCalendar (RFC 5545) event for the meeting."""

    def esc(value: str) -> str:
        return (
            value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        )

    def stamp(value: datetime.datetime) -> str:
        return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")

    activity = meeting.activity
    location = ", ".join(p for p in [activity.place, meeting.address] if p)
    description = activity.description
    if meeting.accessibility_labels():
        description += "\n\nTillgänglighet: " + ", ".join(meeting.accessibility_labels())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Delaktig//Medborgardialog//SV",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{stamp(timezone.now())}",
        f"DTSTART:{stamp(meeting.starts_at)}",
        f"DTEND:{stamp(meeting.ends_at)}",
        f"SUMMARY:{esc(activity.title)}",
        f"LOCATION:{esc(location)}",
        f"DESCRIPTION:{esc(description.strip())}",
        f"URL:{url}",
        "STATUS:CANCELLED" if meeting.cancelled_at else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


def _fold(line: str) -> str:
    """Fold lines longer than 75 octets (RFC 5545 3.1)."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)
