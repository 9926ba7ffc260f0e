"""Demo: a discussion and a text review in "Framtidens Centrumpark"."""

from __future__ import annotations

import hashlib

from delaktig.governance.demo_context import DemoContext
from delaktig.participation.models import Method

from . import actions

PLAN = """# Inledning
Centrumparken ska bli en grön mötesplats för alla åldrar. Programmet beskriver vad som
ska finnas i parken och hur den ska skötas de kommande tjugo åren.

# Lek och rörelse
Lekplatsen flyttas närmare dammen och byggs om så att barn med rörelsehinder kan använda
den. Ett utegym placeras vid den östra entrén.

# Natur och vatten
Dammen görs om till en våtmark som renar dagvatten. De gamla ekarna bevaras och nya träd
planteras längs gångvägarna.

# Trygghet och belysning
Gångvägarna får ny belysning. Buskar vid entréerna glesas ut så att det går att se in i
parken på kvällen.

# Evenemang
En öppen gräsyta reserveras för marknader, konserter och nationaldagsfirande. Scenen
vid paviljongen rustas upp."""


def _key(n: int, salt: str) -> str:
    return hashlib.sha256(f"demo|{salt}|{n}".encode()).hexdigest()


def load(ctx: DemoContext) -> None:
    if "open" not in ctx.dialogues:
        return
    official = ctx.users.get("strateg")
    talk = ctx.activity(
        "open",
        Method.DISCUSSION,
        "Samtal: vad ska parken användas till?",
        description="Berätta vad du gör i parken i dag och vad du skulle vilja göra där. "
        "Svara gärna på varandras inlägg.",
    )
    discussion = actions.set_up_discussion(
        activity=talk,
        official=official,
        question="Vad vill du kunna göra i Centrumparken om tio år?",
    )
    first = actions.post_comment(
        discussion=discussion,
        user=ctx.users.get("invanare"),
        participant_key=_key(1, "talk"),
        text="Jag går med barnbarnen hit varje vecka. Det behövs fler bänkar och en "
        "toalett som är öppen hela året.",
    )
    actions.post_comment(
        discussion=discussion,
        user=None,
        participant_key=_key(2, "talk"),
        text="Håller med om toaletten! Och en vattenkran vid lekplatsen.",
        parent=first,
    )
    second = actions.post_comment(
        discussion=discussion,
        user=ctx.users.get("invanare2"),
        participant_key=_key(3, "talk"),
        text="Gör plats för odlingslotter. Många i höghusen saknar trädgård.",
    )
    actions.post_comment(
        discussion=discussion,
        user=None,
        participant_key=_key(4, "talk"),
        text="Odling låter fint, men inte på den stora gräsytan där vi spelar fotboll.",
        parent=second,
    )
    rude = actions.post_comment(
        discussion=discussion,
        user=None,
        participant_key=_key(5, "talk"),
        text="Det här är bortkastade pengar, politikerna borde skämmas. Köp en skylt "
        "från min firma i stället: www.exempel-reklam.se",
    )
    actions.report_comment(
        comment=rude, user=None, participant_key=_key(6, "talk"), reason="Reklam för ett företag."
    )

    review = ctx.activity(
        "open",
        Method.TEXT_REVIEW,
        "Synpunkter på planprogrammet",
        description="Läs förslaget till planprogram för Centrumparken och kommentera "
        "avsnitt för avsnitt.",
    )
    review_discussion = actions.set_up_discussion(
        activity=review,
        official=official,
        question="Vad tycker du om förslaget till planprogram? Kommentera det avsnitt du "
        "vill ha synpunkter på.",
        document_title="Planprogram för Centrumparken (samrådsversion)",
        document_text=PLAN,
    )
    sections = {s.number: s for s in review_discussion.sections.all()}
    for n, (section_no, text) in enumerate(
        [
            (
                2,
                "Bra att lekplatsen blir tillgänglig. Tänk också på underlaget – grus "
                "går inte att köra rullstol på.",
            ),
            (3, "Våtmarken är en bra idé, men hur blir det med myggen?"),
            (4, "Belysningen är det viktigaste. Jag går inte genom parken efter mörkrets inbrott."),
            (4, "Glesa inte ut för mycket – fåglarna behöver buskarna."),
            (5, "Scenen används för sällan. Låt föreningar boka den gratis."),
        ]
    ):
        comment = actions.post_comment(
            discussion=review_discussion,
            user=None,
            participant_key=_key(n, "review"),
            text=text,
            section=sections.get(section_no),
        )
        if n == 2:
            actions.post_comment(
                discussion=review_discussion,
                user=None,
                participant_key=_key(10, "review"),
                text="Samma här, särskilt vid norra entrén.",
                parent=comment,
            )
