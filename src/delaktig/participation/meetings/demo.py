"""Demo: meetings with registrations, and documented meetings with notes."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.utils import timezone

from delaktig.governance.demo_context import DemoContext
from delaktig.participation.models import Method

from . import actions
from .models import Meeting

NAMES = [
    "Anna L",
    "Bengt",
    "Cecilia",
    "Dragan",
    "Elin S",
    "Farah",
    "Gustav",
    "Hanna",
    "Ismail",
    "Johanna",
    "Karin B",
    "Leo",
    "Maja",
    "Nour",
    "Olof",
    "Parisa",
    "Rasmus",
    "Sara",
    "Tomas",
    "Ulla",
    "Vera",
    "William",
    "Yusuf",
    "Zara",
]


def _key(n: int, salt: str) -> str:
    return hashlib.sha256(f"demo|{salt}|{n}".encode()).hexdigest()


def _at(ctx: DemoContext, days: int, hour: int, minutes: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        ctx.today + datetime.timedelta(days=days),
        datetime.time(hour, minutes),
        tzinfo=timezone.get_current_timezone(),
    )


def _meeting(
    ctx: DemoContext,
    key: str,
    method: str,
    title: str,
    *,
    days: int,
    hour: int,
    hours: int = 2,
    place: str,
    address: str = "",
    accessibility: list[str] | None = None,
    accessibility_info: str = "",
    capacity: int | None = None,
    registration_open: bool = True,
    description: str = "",
) -> Meeting:
    official = ctx.users["strateg"]
    activity = ctx.activity(
        key,
        method,
        title,
        place=place,
        accessibility_info=accessibility_info,
        description=description,
    )
    starts = _at(ctx, days, hour)
    return actions.save_meeting(
        activity=activity,
        official=official,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        address=address,
        accessibility=accessibility or [],
        capacity=capacity,
        registration_open=registration_open,
        consent_text="",
    )


def _register(meeting: Meeting, count: int, salt: str, user: Any = None) -> None:
    for n in range(count):
        name = NAMES[n % len(NAMES)]
        actions.register(
            meeting=meeting,
            user=user if n == 0 else None,
            participant_key=_key(n, salt),
            name=name,
            email="",
            needs="Teckenspråkstolk" if n == 3 else "",
            consent=True,
        )


def _document(
    ctx: DemoContext, meeting: Meeting, points: list[str], *, attendance: int, topic: str = ""
) -> None:
    actions.document_meeting(
        meeting=meeting,
        official=ctx.users["strateg"],
        points=points,
        topic=topic,
        channel="interview" if meeting.activity.method == Method.INTERVIEW else "meeting",
        attendance=attendance,
    )


ACCESSIBLE = [
    "hearing_loop",
    "wheelchair",
    "accessible_toilet",
    "sign_language",
    "public_transport",
]


def load(ctx: DemoContext) -> None:
    d = ctx.dialogues
    if "open" in d:
        cafe = _meeting(
            ctx,
            "open",
            Method.CAFE,
            "Dialogcafé om Centrumparken",
            days=6,
            hour=18,
            place="Biblioteket, Hörsalen",
            address="Torget 3",
            accessibility=ACCESSIBLE,
            capacity=30,
            accessibility_info="Hörslinga finns. Teckenspråkstolk bokas om du anmäler behovet "
            "senast en vecka före. Fika serveras, säg till om allergier.",
            description="Prata med politiker och andra invånare vid små bord om vad parken "
            "ska användas till.",
        )
        _register(cafe, 22, "cafe", user=ctx.users.get("invanare"))
        space = _meeting(
            ctx,
            "open",
            Method.OPEN_SPACE,
            "Open space: parken vi vill ha",
            days=13,
            hour=10,
            hours=4,
            place="Paviljongen i Centrumparken",
            accessibility=["wheelchair", "public_transport", "childcare"],
            capacity=12,
            description="Du bestämmer själv vilka frågor vi pratar om. Ta med dina idéer.",
        )
        _register(space, 14, "space")  # Two on the waiting list.
    if "announced" in d:
        info = _meeting(
            ctx,
            "announced",
            Method.INFORMATION_MEETING,
            "Informationsmöte inför dialogen",
            days=10,
            hour=18,
            hours=1,
            place="Kommunhuset, Sessionssalen",
            address="Stora gatan 1",
            accessibility=ACCESSIBLE,
            capacity=80,
            description="Vi berättar om frågan och hur du kan vara med och påverka.",
        )
        _register(info, 9, "info")
        _meeting(
            ctx,
            "announced",
            Method.FOCUS_GROUP,
            "Fokusgrupp med föräldrar",
            days=17,
            hour=17,
            hours=2,
            place="Öppna förskolan",
            capacity=8,
            registration_open=False,
            accessibility=["wheelchair", "childcare"],
            description="En grupp på åtta föräldrar som bjuds in av förvaltningen.",
        )
    if "compiling" in d:
        walk = _meeting(
            ctx,
            "compiling",
            Method.OPEN_MEETING,
            "Trygghetsvandring i Stationsområdet",
            days=-20,
            hour=19,
            place="Samling vid pendeltågsstationen",
            accessibility=["wheelchair"],
        )
        _document(
            ctx,
            walk,
            [
                "Gångtunneln under spåren är mörk och luktar illa.",
                "Cykelparkeringen saknar belysning på baksidan.",
                "Busskuren vid Stationsvägen behöver glas som går att se igenom.",
                "Fler vuxna ute på kvällarna skulle kännas tryggare – t.ex. nattvandrare.",
                "Buskarna vid parkeringen skymmer sikten.",
            ],
            attendance=31,
            topic="Platser som känns otrygga",
        )
        cafe = _meeting(
            ctx,
            "compiling",
            Method.CAFE,
            "Dialogcafé med unga om tryggheten",
            days=-15,
            hour=15,
            place="Fritidsgården Stinsen",
            accessibility=["wheelchair"],
        )
        _document(
            ctx,
            cafe,
            [
                "Unga känner sig misstänkliggjorda av väktarna.",
                "Fritidsgården borde ha öppet senare på fredagar.",
                "Det behövs en plats att vara på inomhus när det är kallt.",
                "Kameror känns tryggt för vissa men inte för alla.",
            ],
            attendance=17,
        )
        interview = _meeting(
            ctx,
            "compiling",
            Method.INTERVIEW,
            "Intervjuer med näringsidkare",
            days=-12,
            hour=10,
            place="Butikerna runt stationen",
        )
        _document(
            ctx,
            interview,
            [
                "Klotter och nedskräpning på morgnarna kostar butikerna mycket.",
                "Önskar bättre samarbete med polisen och kommunens trygghetssamordnare.",
            ],
            attendance=6,
        )
    if "feedback" in d:
        meeting = _meeting(
            ctx,
            "feedback",
            Method.CAFE,
            "Föräldracafé om skolvägarna",
            days=-60,
            hour=18,
            place="Tallbackaskolans matsal",
            accessibility=ACCESSIBLE,
        )
        _document(
            ctx,
            meeting,
            [
                "Övergångsstället vid Skolvägen behöver farthinder.",
                "Föräldrar som skjutsar stannar på gång- och cykelbanan.",
                "Önskar en 'gående skolbuss' med vuxna på morgonen.",
                "Skyltningen för 30 km/h syns dåligt.",
            ],
            attendance=42,
            topic="Morgontrafiken",
        )
    if "decided" in d:
        meeting = _meeting(
            ctx,
            "decided",
            Method.OPEN_MEETING,
            "Samrådsmöte om översiktsplanen",
            days=-200,
            hour=18,
            place="Kommunhuset, Sessionssalen",
            accessibility=ACCESSIBLE,
        )
        _document(
            ctx,
            meeting,
            [
                "Bevara grönkilen mellan Norrviken och Väsjön.",
                "Bygg tätare nära pendeltåget i stället för i skogen.",
                "Planera för fler förskolor när bostäderna byggs.",
                "Cykelvägarna mellan kommundelarna behöver hänga ihop.",
            ],
            attendance=64,
            topic="Var ska vi bygga?",
        )
        exhibition = _meeting(
            ctx,
            "decided",
            Method.EXHIBITION,
            "Utställning om översiktsplanen i biblioteket",
            days=-210,
            hour=10,
            hours=8,
            place="Biblioteket",
            accessibility=ACCESSIBLE,
        )
        _document(
            ctx,
            exhibition,
            [
                "Besökare saknade kartor på andra språk.",
                "Flera frågade om vad som händer med idrottsplatsen.",
            ],
            attendance=230,
        )
