"""Realistic Swedish free-text answers for the demo, tests and benchmarks.

The sentences are written the way residents write to a municipality: short, concrete,
sometimes with typos left out. `generate(n)` combines them into `n` varied answers
deterministically (same seed, same answers), each mostly about one topic.
"""

from __future__ import annotations

import random

TOPICS: dict[str, list[str]] = {
    "belysning": [
        "Gångtunneln under järnvägen är alldeles för mörk på kvällarna.",
        "Det behövs bättre belysning längs gång- och cykelvägen till stationen.",
        "Flera lampor i parken har varit trasiga i månader.",
        "När det är mörkt på vintern undviker jag vägen förbi busshållplatsen.",
        "Belysningen vid parkeringen borde vara starkare och tändas tidigare.",
        "Sätt upp fler gatlampor på stigen genom skogsdungen.",
        "Jag cyklar hem sent och lamporna längs cykelvägen är släckta.",
        "Mörka passager vid stationen gör att många känner sig otrygga.",
    ],
    "trygghet": [
        "Jag känner mig otrygg på stationen efter klockan tio på kvällen.",
        "Fler vuxna ute på kvällarna skulle göra området tryggare.",
        "Det har varit flera bråk vid torget och många är rädda att gå dit.",
        "Nattvandrare och fältassistenter gör stor skillnad för tryggheten.",
        "Min dotter vågar inte ta bussen hem själv när det är sent.",
        "Polisen syns aldrig i området, det borde finnas mer närvaro.",
        "Skadegörelse och klotter gör att platsen känns övergiven och otrygg.",
        "Kameraövervakning vid pendeltåget skulle öka tryggheten.",
    ],
    "trafik": [
        "Bilarna kör alldeles för fort på vägen förbi skolan.",
        "Det behövs ett övergångsställe med farthinder vid korsningen.",
        "Många föräldrar släpper av barnen med bil och det blir kaos vid skolan.",
        "Sänk hastigheten till trettio på bostadsgatorna.",
        "Lastbilarna som kör genom centrum skapar buller och farliga situationer.",
        "Cykelbanan tar slut mitt i korsningen och det är livsfarligt.",
        "Det är svårt att korsa den stora vägen med barnvagn.",
        "Bussarna går för sällan, därför tar alla bilen.",
    ],
    "parker": [
        "Parken behöver fler bänkar och skugga för äldre som vill vila.",
        "Lekplatsen är sliten och gungorna är trasiga.",
        "Spara de stora träden i parken, de är områdets själ.",
        "Det skulle vara fint med en hundrastgård i parken.",
        "Gräsytorna klipps för sällan och det är skräp överallt.",
        "Fler papperskorgar i parken skulle minska nedskräpningen.",
        "Bygg en utegym och en plaskdamm för barnen i parken.",
        "Grönområdena är viktiga, bygg inte bort skogen bakom skolan.",
    ],
    "bostader": [
        "Det byggs för få hyresrätter som unga har råd med.",
        "Nya bostäder måste komma med förskolor och skolor samtidigt.",
        "Höghusen vid stationen blir för höga och skuggar gården.",
        "Bygg fler trygghetsboenden för äldre nära service.",
        "Hyrorna i nyproduktionen är alldeles för höga för vanliga familjer.",
        "Förtäta gärna centrum men bevara grönytorna mellan husen.",
    ],
    "fritid": [
        "Ungdomarna saknar en fritidsgård med öppet på helgerna.",
        "Biblioteket borde ha längre öppettider på kvällarna.",
        "Det behövs fler aktiviteter för unga som inte är med i idrottsföreningar.",
        "Simhallen är för liten och det är alltid kö till simskolan.",
        "En skatepark skulle ge ungdomar en egen plats att vara på.",
        "Äldre behöver träffpunkter och fler aktiviteter på dagtid.",
    ],
    "miljo": [
        "Återvinningsstationen är alltid överfull och det luktar illa.",
        "Plantera fler träd längs gatorna för att minska värmen på sommaren.",
        "Satsa på laddstolpar och bilpooler i de nya kvarteren.",
        "Bullret från motorvägen är störande, bygg ett bullerplank.",
        "Dagvattnet svämmar över vid kraftiga regn, diket behöver rensas.",
        "Gör det enklare att cykla året runt med bättre snöröjning av cykelvägarna.",
    ],
}

OPENINGS = [
    "",
    "",
    "",
    "Jag bor här sedan många år. ",
    "Som förälder vill jag säga att ",
    "Tack för att ni frågar! ",
    "Jag har tänkt på en sak. ",
    "Ärligt talat: ",
    "Som pensionär märker jag att ",
]

CLOSINGS = [
    "",
    "",
    "",
    " Hoppas att ni lyssnar.",
    " Det är viktigt för oss som bor här.",
    " Gör något åt det snart.",
    " Tack på förhand.",
]


def sample_comments() -> list[tuple[str, str]]:
    """Every sentence once, as (topic, text): about 50 hand-written comments."""
    return [(topic, s) for topic, sentences in TOPICS.items() for s in sentences]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def generate(n: int, *, seed: int = 42, topics: list[str] | None = None) -> list[tuple[str, str]]:
    """``n`` answers as (main topic, text): one to three sentences, mostly one topic."""
    rng = random.Random(seed)
    names = topics or list(TOPICS)
    out: list[tuple[str, str]] = []
    for _ in range(n):
        topic = rng.choice(names)
        sentences = rng.sample(TOPICS[topic], k=rng.choice([1, 1, 2, 2, 3]))
        if rng.random() < 0.15:
            other = rng.choice(names)
            sentences.append(rng.choice(TOPICS[other]))
        opening = rng.choice(OPENINGS)
        first = sentences[0]
        if opening.endswith("att "):
            first = _lower_first(first)
        text = opening + first + (" " + " ".join(sentences[1:]) if len(sentences) > 1 else "")
        out.append((topic, text + rng.choice(CLOSINGS)))
    return out
