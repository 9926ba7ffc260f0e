"""Demo surveys: every question kind in "open", the real Upplands Väsby answers in
"compiling", and a short survey in simple Swedish for young people in "open_youth"."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

from delaktig.governance.demo_context import DemoContext
from delaktig.participation.models import Method
from delaktig.participation.surveys import actions, importing
from delaktig.participation.surveys.models import QuestionKind

DISTRICTS = ["Centrum", "Norra staden", "Södra staden", "Östra byn", "Västra dalen"]
AGE_WEIGHTS = {
    "16-24": 1,
    "25-34": 3,
    "35-44": 4,
    "45-54": 3,
    "55-64": 2,
    "65-74": 2,
    "75+": 1,
}
COMMENTS = [
    "Fler bänkar i skuggan och en toalett som är öppen året runt.",
    "Bättre belysning längs gångvägen mot stationen, det känns otryggt på kvällen.",
    "Behåll de gamla ekarna! De är det finaste i parken.",
    "En plaskdamm för småbarn skulle göra stor skillnad på sommaren.",
    "Det behövs fler papperskorgar, särskilt vid grillplatsen.",
    "Gör det lättare att ta sig fram med rullator och barnvagn.",
]


def shared_data_dir() -> Path:
    return Path(os.environ.get("DELAKTIG_SHARED_DATA", "/work/shared/data"))


def load(ctx: DemoContext) -> None:
    if "open" in ctx.dialogues:
        _open_survey(ctx)
    if "open_youth" in ctx.dialogues:
        _youth_survey(ctx)
    if "compiling" in ctx.dialogues:
        _vasby_survey(ctx)


def _official(ctx: DemoContext) -> Any:
    return ctx.users.get("handlaggare") or ctx.users.get("strateg") or ctx.users.get("admin")


def _open_survey(ctx: DemoContext) -> None:
    official = _official(ctx)
    activity = ctx.activity(
        "open",
        Method.SURVEY,
        "Enkät: Centrumparken i framtiden",
        description="Svara på några frågor om hur du använder Centrumparken i dag och vad "
        "du vill ha där i framtiden. Det tar ungefär fem minuter.",
    )
    survey = actions.ensure_survey(
        activity=activity,
        actor=official,
        intro="Du kan spara dina svar och fortsätta senare. Du svarar anonymt.",
        districts=DISTRICTS,
        thanks_text="Tack! Svaren sammanställs efter att enkäten stänger och redovisas "
        "för samhällsbyggnadsnämnden.",
    )
    add = actions.add_question
    visit = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.SINGLE,
        label="Hur ofta besöker du Centrumparken?",
        options=["Varje dag", "Varje vecka", "Någon gång i månaden", "Sällan eller aldrig"],
        required=True,
        page=1,
    )
    activities = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.MULTIPLE,
        label="Vad gör du i parken?",
        options=["Promenerar", "Leker med barn", "Tränar", "Träffar vänner", "Äter lunch"],
        page=1,
    )
    why_not = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.TEXT,
        label="Vad skulle få dig att besöka parken oftare?",
        help_text="Frågan visas för dig som sällan eller aldrig besöker parken.",
        max_length=1000,
        page=2,
        condition_question=visit,
        condition_options=[4],
    )
    satisfied = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.SCALE,
        label="Hur nöjd är du med parken i dag?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Inte alls nöjd",
        scale_max_label="Mycket nöjd",
        required=True,
        page=2,
    )
    minutes = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.NUMBER,
        label="Hur många minuter tar det för dig att gå till parken?",
        number_min=0,
        number_max=300,
        page=2,
    )
    rank = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.RANKING,
        label="Rangordna förslagen. Vilket är viktigast för dig?",
        options=["Ny lekplats", "Utegym", "Våtmark vid dammen", "Scen för evenemang"],
        page=3,
    )
    matrix = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.MATRIX,
        label="Hur trygg känner du dig i parken?",
        matrix_rows=["På dagen", "På kvällen", "När det är mörkt på vintern"],
        options=["Trygg", "Ganska trygg", "Ganska otrygg", "Otrygg"],
        page=3,
    )
    other = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.TEXT,
        label="Vill du säga något mer om Centrumparken?",
        max_length=2000,
        page=3,
    )
    rng = random.Random(2026)  # noqa: S311 - demo data
    ages = list(AGE_WEIGHTS)
    weights = list(AGE_WEIGHTS.values())
    for n in range(60):
        v = rng.choices([0, 1, 2, 3], weights=[2, 4, 3, 1])[0]
        answers: dict[int, Any] = {
            visit.pk: v,
            satisfied.pk: rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 4, 2])[0],
            activities.pk: sorted(rng.sample(range(5), rng.randint(1, 3))),
            minutes.pk: float(rng.randint(2, 25)),
        }
        if v == 3:
            answers[why_not.pk] = rng.choice(COMMENTS)
        if n % 2 == 0:
            answers[rank.pk] = [r + 1 for r in rng.sample(range(4), 4)]
            answers[matrix.pk] = [rng.choice([0, 1]), rng.choice([1, 2]), rng.choice([2, 3])]
        if n % 3 == 0:
            answers[other.pk] = rng.choice(COMMENTS)
        consent = n % 5 != 0
        response = actions.start_response(survey=survey, participant_key=f"demo-survey-{n}")
        actions.submit_response(
            response=response,
            answers=answers,
            consent=consent,
            demographics={
                "age_band": rng.choices(ages, weights=weights)[0],
                "gender": rng.choice(["kvinna", "man", "kvinna", "man", "annat"]),
                "district": rng.choice(DISTRICTS),
            },
        )
    if official is not None:
        actions.enter_paper_response(
            survey=survey,
            actor=official,
            answers={visit.pk: 0, satisfied.pk: 4, other.pk: "Lämnat på biblioteket: fler bänkar."},
            consent=True,
            demographics={"age_band": "75+", "gender": "kvinna", "district": "Centrum"},
            reference="Blankett 1",
        )


def _youth_survey(ctx: DemoContext) -> None:
    official = _official(ctx)
    activity = ctx.activity(
        "open_youth",
        Method.SURVEY,
        "Enkät: din fritid",
        description="En kort enkät för dig som är 10–19 år om vad du gör på fritiden.",
        simple_description="Vi vill veta vad du gör på fritiden. Det finns inga rätta eller "
        "fel svar. Du behöver inte skriva ditt namn.",
        for_children=True,
    )
    survey = actions.ensure_survey(
        activity=activity,
        actor=official,
        one_page=True,
        ask_demographics=False,
        thanks_text="Tack för att du svarade! Vi berättar på fritidsgården vad vi har gjort "
        "med svaren.",
    )
    add = actions.add_question
    goes = add(
        survey=survey,
        actor=official,
        kind=QuestionKind.SINGLE,
        label="Brukar du gå till en fritidsgård?",
        simple_label="Går du till fritidsgården?",
        options=["Ja", "Nej"],
    )
    add(
        survey=survey,
        actor=official,
        kind=QuestionKind.SCALE,
        label="Hur roligt är det på fritidsgården?",
        simple_label="Hur kul är det på fritidsgården?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Inte kul",
        scale_max_label="Jättekul",
        condition_question=goes,
        condition_options=[1],
    )
    add(
        survey=survey,
        actor=official,
        kind=QuestionKind.MULTIPLE,
        label="Vad vill du göra på fritiden?",
        simple_label="Vad vill du göra?",
        options=["Idrott", "Musik", "Spela spel", "Skapa och pyssla", "Bara hänga"],
    )
    add(
        survey=survey,
        actor=official,
        kind=QuestionKind.TEXT,
        label="Vad skulle göra din fritid bättre?",
        simple_label="Vad skulle göra din fritid bättre?",
        max_length=500,
    )


def _vasby_survey(ctx: DemoContext) -> None:
    """Real answers: Upplands Väsby's 2015 planning survey (1,038 respondents, MIT licence)."""
    path = shared_data_dir() / "upplands-vasby-2015" / "data.csv"
    if not path.exists():
        return
    official = _official(ctx)
    activity = ctx.activity(
        "compiling",
        Method.SURVEY,
        "Enkät: prioriteringar i översiktsplanen (Upplands Väsby 2015)",
        description="Verkliga, anonymiserade svar från Upplands Väsby kommuns webbenkät 2015 "
        "om översiktsplanen (1 038 svarande, MIT-licens, Bohman och Fasth, Stockholms "
        "universitet). Importerade från en CSV-fil. Betyg 0–14 där 14 är högst prioritet.",
    )
    survey = actions.ensure_survey(activity=activity, actor=official, ask_demographics=True)
    table = importing.read_table(path.name, path.read_bytes())
    importing.import_responses(
        survey=survey,
        actor=official,
        table=table,
        mapping=importing.suggest_mapping(table, survey),
        skip_invalid=True,
    )
