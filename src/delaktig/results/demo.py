"""Demo data for the compilation: free-text comments, automatic themes, published results."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from delaktig.governance.demo_context import DemoContext
from delaktig.participation.actions import record_contribution
from delaktig.participation.models import Channel, ContributionKind, Method
from delaktig.results import actions, representativeness, sample_texts

AGE_BANDS = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
AGE_WEIGHTS = [2, 5, 8, 9, 8, 10, 6]  # older residents answer more often, as in reality
DISTRICTS = ["Centrum", "Stationsområdet", "Norra skogen", "Sjövik", "Ekdalen"]
DISTRICT_WEIGHTS = [8, 5, 6, 9, 3]

TOPICS = {
    "compiling": ["trygghet", "belysning", "trafik", "parker"],
    "feedback": ["trafik", "belysning", "trygghet"],
    "decided": ["bostader", "parker", "miljo", "trafik", "fritid"],
    "evaluated": ["bostader", "fritid", "parker", "trygghet"],
}
# What the handläggare calls a theme after reading its cards: the topic most of them are about.
TOPIC_NAMES = {
    "belysning": "Belysning på kvällen",
    "trygghet": "Trygghet i området",
    "trafik": "Trafik och hastigheter",
    "parker": "Parker och grönområden",
    "bostader": "Bostäder",
    "fritid": "Fritid och mötesplatser",
    "miljo": "Miljö och klimat",
}
SUMMARIES = {
    "feedback": (
        "Många vill ha lägre hastigheter och säkrare övergångsställen runt skolorna. "
        "Flera skriver att det är mörkt på skolvägen på vintern.",
        "Samhällsbyggnadsnämnden tar del av sammanställningen innan den beslutar om "
        "trafikåtgärder. Du får ett besked här när beslutet är fattat.",
    ),
    "decided": (
        "De flesta vill bevara grönområden när kommunen bygger nytt. Många vill ha fler "
        "hyresrätter som unga har råd med och bättre kollektivtrafik.",
        "Kommunfullmäktige beslutade om översiktsplanen. Läs återkopplingen om hur "
        "synpunkterna påverkade planen.",
    ),
    "evaluated": (
        "Äldre vill bo kvar nära service och vänner. Många efterfrågar trygghetsboenden "
        "och fler mötesplatser på dagtid.",
        "Dialogen är utvärderad. Resultatet används i planeringen av äldreboenden.",
    ),
}


def _official(ctx: DemoContext) -> Any:
    return ctx.users.get("handlaggare") or ctx.users.get("strateg") or ctx.users.get("admin")


def load(ctx: DemoContext) -> None:
    official = _official(ctx)
    representativeness.load_sample_population(municipality=ctx.municipality, actor=official)
    rng = random.Random(7)
    for i, key in enumerate(["compiling", "feedback", "decided", "evaluated"]):
        if key not in ctx.dialogues:
            continue
        dialogue = ctx.dialogues[key]
        activity = ctx.activity(
            key,
            Method.PRINT,
            "Synpunktskort",
            description="Synpunktskort som lämnades på biblioteket och i medborgarkontoret "
            "och skrevs in av en handläggare.",
        )
        topic_of: dict[int, str] = {}
        for j, (topic, text) in enumerate(
            sample_texts.generate(60, seed=100 + i, topics=TOPICS[key])
        ):
            demo: dict[str, str] = {}
            if rng.random() < 0.8:  # most cards have the optional background questions
                demo = {
                    "age_band": rng.choices(AGE_BANDS, AGE_WEIGHTS)[0],
                    "gender": rng.choice(["kvinna", "kvinna", "man", "man", "annat"]),
                    "district": rng.choices(DISTRICTS, DISTRICT_WEIGHTS)[0],
                }
            card = record_contribution(
                activity=activity,
                kind=ContributionKind.COMMENT,
                text=text,
                data={"demographics": demo} if demo else {},
                participant_key=f"demo-kort-{key}-{j}",
                channel=Channel.PAPER,
                entered_by=official,
            )
            topic_of[card.pk] = topic
        compilation = actions.run_automatic_themes(dialogue=dialogue, actor=official)
        if key in SUMMARIES:
            _name_themes(compilation, topic_of, official)
            summary, next_steps = SUMMARIES[key]
            actions.update_compilation(
                compilation=compilation,
                actor=official,
                summary=summary,
                next_steps=next_steps,
                method_notes="Teman föreslogs automatiskt och granskades av en handläggare.",
            )
            actions.publish_compilation(compilation=compilation, actor=official)


def _name_themes(compilation: Any, topic_of: dict[int, str], official: Any) -> None:
    """Name each automatic theme after the topic most of its cards are about, as the
    handläggare does on the compilation page; a second theme on the same topic is merged
    into the first."""
    named: dict[str, Any] = {}
    for theme in compilation.themes.order_by("order", "pk"):
        cards = theme.assignments.values_list("contribution_id", flat=True)
        topics = Counter(topic_of.get(pk, "") for pk in cards)
        topic = topics.most_common(1)[0][0] if topics else ""
        if topic in named:
            actions.merge_themes(target=named[topic], others=[theme], actor=official)
            continue
        named[topic] = actions.rename_theme(
            theme=theme, actor=official, name=TOPIC_NAMES.get(topic, "Övriga synpunkter")
        )
