"""Demo data: a real Polis conversation (finished) and a live Swedish statement activity."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from delaktig.core.exceptions import DomainError
from delaktig.governance.demo_context import DemoContext

POLIS_ATTRIBUTION = (
    "Påståendena och rösterna kommer från ett verkligt Polis-samtal på engelska "
    "(london.youth.policing, 2022). Data was gathered using the Polis software "
    "(compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to "
    "The Computational Democracy Project. "
    "https://compdemocracy.org/case-studies/2022-london-youth-policing"
)

SWEDISH_STATEMENTS = [
    "Centrumparken behöver fler sittplatser i skugga.",
    "Parken ska vara upplyst hela natten.",
    "Det ska finnas en lekplats för större barn, inte bara för de minsta.",
    "Hundar ska få vara lösa i en inhägnad del av parken.",
    "Bilparkeringen vid parken kan tas bort till förmån för grönska.",
    "Det behövs offentliga toaletter som är öppna året runt.",
    "Parken ska ha en scen för konserter och evenemang.",
    "Gräsytorna ska lämnas orörda så att fler arter trivs.",
    "Det ska gå att grilla i parken.",
    "Parken ska vara tillgänglig för rullstol och rullator överallt.",
]


def _polis_folder() -> Path:
    base = Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data"))
    return base / "polis" / "london.youth.policing"


def load(ctx: DemoContext) -> None:
    from delaktig.participation.opinions import actions

    strategist = ctx.users.get("strateg") or ctx.users.get("admin")
    if "compiling" in ctx.dialogues and (_polis_folder() / "votes.csv").is_file():
        finished = ctx.activity(
            "compiling",
            "opinions",
            "Påståenden om unga och polisens arbete",
            description=POLIS_ATTRIBUTION,
        )
        actions.import_polis_export(activity=finished, directory=_polis_folder(), actor=strategist)
    if "open" in ctx.dialogues:
        live = ctx.activity(
            "open",
            "opinions",
            "Håller du med? Påståenden om Centrumparken",
            description=(
                "Ta ställning till ett påstående i taget: håller med, håller inte med eller "
                "avstår. Du kan också skriva egna påståenden."
            ),
        )
        for text in SWEDISH_STATEMENTS:
            actions.add_seed_statement(activity=live, actor=strategist, text=text)
        # The demo dialogue may not be open for participation today.
        with contextlib.suppress(DomainError):
            actions.submit_statement(
                activity=live,
                user=ctx.users.get("invanare"),
                participant_key="demo-invanare",
                text="Det behövs fler cykelställ vid parkens entréer.",
            )
