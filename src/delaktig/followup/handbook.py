"""The handbook (E4): concrete advice at each step, in plain Swedish, from the policies.

Every piece of advice names the policy (and the part of it) it comes from, so an
official can check the source. `handbook_for_status(status)` gives the advice for the
step a dialogue is in; `HANDBOOK` is the whole handbook, step by step.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from delaktig.governance.models import DialogueStatus as S

POLICIES = {
    "S": _("Principer för medborgardialog (styrgruppen för medborgardialog)"),
    "T": _("Trelleborgs kommun: Principer för medborgardialog (KS 2017/455)"),
    "V": _("Vänersborgs kommun: Policy för medborgardialog"),
    "So": _("Sollentuna kommun: Medborgardialog i Sollentuna kommun"),
    "L": _("Ljungby kommun: Medborgardialog"),
}


@dataclass(frozen=True)
class Source:
    policy: str  # key in POLICIES
    part: Promise | str

    @property
    def policy_name(self) -> str:
        return str(POLICIES[self.policy])

    def __str__(self) -> str:
        return f"{self.policy_name}, {self.part}"


@dataclass(frozen=True)
class Advice:
    key: str
    step: str
    title: Promise | str
    text: Promise | str
    sources: tuple[Source, ...]
    statuses: tuple[str, ...]


STEPS = [
    ("proving", _("Pröva om det ska bli dialog")),
    ("planning", _("Planera")),
    ("inviting", _("Bjud in")),
    ("conducting", _("Genomför")),
    ("compiling", _("Sammanställ")),
    ("feedback", _("Återkoppla")),
    ("deciding", _("Beslut och ansvar")),
    ("evaluating", _("Utvärdera och följ upp")),
]

HANDBOOK: tuple[Advice, ...] = (
    Advice(
        "consider-early",
        "proving",
        _("Överväg dialog tidigt"),
        _(
            "Ta ställning till dialog när ett uppdrag startar, medan frågan fortfarande går att "
            "påverka. Skriv ner nyttan, syftet och om frågan är påverkbar."
        ),
        (
            Source("S", _("Principer för medborgardialog")),
            Source("L", _("Principer för genomförande")),
            Source("T", _("När för vi dialog?")),
        ),
        (S.IDEA, S.ASSESSMENT),
    ),
    Advice(
        "two-questions",
        "proving",
        _("Svara på de två frågorna"),
        _(
            "Behöver de förtroendevalda veta mer om invånarnas värderingar, åsikter och "
            "prioriteringar? Är frågan påverkbar, och är politikerna beredda att låta sig "
            "påverkas? Blir något av svaren nej ska det inte bli dialog."
        ),
        (
            Source("So", _("Lämplighetsprövning: två frågor")),
            Source("V", _("Definitioner: medborgardialog")),
        ),
        (S.IDEA, S.ASSESSMENT),
    ),
    Advice(
        "no-means-information",
        "proving",
        _("Blir svaret nej: informera"),
        _(
            "Förklara varför beslutet togs och varför det inte blev någon dialog. Det är "
            "information, inte dialog, och ska kallas så."
        ),
        (Source("So", _("Delaktighetstrappan: information")),),
        (S.ASSESSMENT, S.REJECTED),
    ),
    Advice(
        "cancelled-means-information",
        "proving",
        _("Avbryts dialogen: säg varför"),
        _(
            "Skriv varför dialogen avbröts. Skälet visas på dialogens sida, och den som "
            "föreslog frågan får veta det. Deltagare ska alltid få veta vad som hände."
        ),
        (
            Source("L", _("Återkoppling: deltagare ska alltid få veta resultatet")),
            Source("So", _("Delaktighetstrappan: information")),
        ),
        (S.CANCELLED,),
    ),
    Advice(
        "checklist-before",
        "planning",
        _("Gå igenom checklistan före dialogen"),
        _(
            "Mål och syfte, historik och nuläge, samarbetspartner, tidplan, budget, en tydlig "
            "fråga, målgrupper, graden av inflytande och en genomförandeplan med metod, "
            "processägare, processledare, kommunikation, dokumentation, återkoppling och "
            "utvärdering."
        ),
        (Source("So", _("Checklista för medborgardialog: Före")),),
        (S.APPROVED, S.PLANNING),
    ),
    Advice(
        "feedback-date",
        "planning",
        _("Bestäm när återkopplingen ska ske"),
        _(
            "Nämnden ska svara på när återkopplingen äger rum redan när den beslutar om "
            "dialogen. Datumet blir ett löfte till deltagarna."
        ),
        (Source("So", _("Styrningsprocess: Nämnd beslutar om dialog blir av")),),
        (S.APPROVED, S.PLANNING),
    ),
    Advice(
        "influence-level",
        "planning",
        _("Låt politikerna bestämma graden av inflytande"),
        _(
            "Graden av inflytande – information, konsultation, dialog, inflytande eller "
            "medbeslutande – bestäms av de förtroendevalda innan dialogen börjar. Välj metod "
            "efter den graden och efter målgruppen."
        ),
        (
            Source("V", _("Delaktighet och inflytande")),
            Source("So", _("Metod")),
            Source("S", _("Principer för medborgardialog")),
        ),
        (S.APPROVED, S.PLANNING),
    ),
    Advice(
        "target-groups",
        "planning",
        _("Pröva vilka som berörs och hur ni når dem"),
        _(
            "Ta reda på vilka grupper som berörs och prioritera insatser så att alla berörda kan "
            "delta. Erbjud olika former, tider och platser, och överväg uppsökande arbete."
        ),
        (
            Source("T", _("Prioriterade grupper och grad av inflytande")),
            Source("S", _("Principer för medborgardialog")),
        ),
        (S.APPROVED, S.PLANNING, S.DECIDED_TO_CONDUCT),
    ),
    Advice(
        "children",
        "planning",
        _("Ge barn och unga en verklig chans att delta"),
        _(
            "Planera minst ett sätt att delta som passar barn och unga, med enkel text och på "
            "platser där de redan finns."
        ),
        (Source("S", _("Principer för medborgardialog")),),
        (S.APPROVED, S.PLANNING, S.DECIDED_TO_CONDUCT),
    ),
    Advice(
        "dialogue-group",
        "planning",
        _("Sätt ihop en dialoggrupp"),
        _(
            "Ansvariga utredare, kommunikationens dialogstöd och de politiker som ska genomföra "
            "dialogen. Utse processägare och processledare."
        ),
        (
            Source("T", _("De förtroendevaldas ansvar och verktyg")),
            Source("So", _("Roller")),
        ),
        (S.APPROVED, S.PLANNING),
    ),
    Advice(
        "invitation",
        "inviting",
        _("Skriv en tydlig inbjudan"),
        _(
            "Inbjudan ska säga vad frågan är, hur mycket deltagarna kan påverka, hur "
            "synpunkterna används, tidplanen och när återkopplingen kommer. Då får alla rätt "
            "förväntningar."
        ),
        (
            Source("L", _("Principer för genomförande")),
            Source("S", _("Principer för medborgardialog")),
        ),
        (S.DECIDED_TO_CONDUCT, S.ANNOUNCED),
    ),
    Advice(
        "listen",
        "conducting",
        _("Politikerna lyssnar – de försvarar inte"),
        _(
            "De förtroendevaldas roll i dialogen är att lyssna och förstå invånarnas åsikter och "
            "värderingar, inte att svara eller försvara."
        ),
        (Source("So", _("Roller")),),
        (S.ANNOUNCED, S.OPEN),
    ),
    Advice(
        "document",
        "conducting",
        _("Dokumentera allt som kommer fram"),
        _(
            "Tjänstepersonerna leder processen och dokumenterar. Synpunkter från möten, papper "
            "och intervjuer förs in och behandlas som digitala synpunkter."
        ),
        (Source("So", _("Roller")), Source("S", _("Definition"))),
        (S.OPEN, S.COMPILING),
    ),
    Advice(
        "compile",
        "compiling",
        _("Sammanställ resultatet"),
        _(
            "Sammanställ resultatet så att det kan bli en del av beslutsunderlaget. Visa både vad "
            "som sades och vilka som deltog, så att det syns vilka grupper som inte nåddes."
        ),
        (
            Source("So", _("Checklista för medborgardialog: Efter")),
            Source("T", _("De förtroendevaldas ansvar och verktyg")),
        ),
        (S.COMPILING,),
    ),
    Advice(
        "feedback-always",
        "feedback",
        _("Återkoppla alltid till deltagarna"),
        _(
            "Den lägsta nivån är att resultatet återges till dem som deltog. Beskriv också hur "
            "deras medverkan påverkade processen. Dialogen kan inte beslutas förrän "
            "återkopplingen är publicerad."
        ),
        (
            Source("T", _("Återkoppling och utveckling")),
            Source("L", _("Principer för genomförande")),
            Source("So", _("Principer")),
        ),
        (S.COMPILING, S.FEEDBACK),
    ),
    Advice(
        "feedback-public-and-body",
        "feedback",
        _("Återkoppla till alla invånare och till nämnden"),
        _(
            "Publicera återkopplingen för invånarna i stort och rapportera den till nämnden. "
            "Större dialoger redovisas i nämndens verksamhetsberättelse."
        ),
        (
            Source("V", _("Definitioner: medborgardialog")),
            Source("So", _("Styrningsprocess: Återkoppling och resultat")),
            Source("T", _("Återkoppling och utveckling")),
        ),
        (S.FEEDBACK, S.DECIDED),
    ),
    Advice(
        "decision-basis",
        "deciding",
        _("Låt resultatet ingå i beslutsunderlaget"),
        _(
            "Resultatet ska ingå som underlag för det politiska beslutet, men beslutet fattas "
            "alltid av de förtroendevalda. Skriv hur dialogen påverkade beslutet."
        ),
        (
            Source("T", _("De förtroendevaldas ansvar och verktyg")),
            Source("S", _("Principer för medborgardialog")),
        ),
        (S.FEEDBACK, S.DECIDED),
    ),
    Advice(
        "accountability",
        "deciding",
        _("Visa vad som hände med förslagen"),
        _(
            "Redovisa för varje tema eller förslag om det genomförs, genomförs delvis eller inte, "
            "och varför. Följ upp genomförandet så att invånarna kan se vad som blev av."
        ),
        (
            Source("S", _("Syfte: insynen i beslutsprocessen")),
            Source("T", _("Värdegrund: öppenhet, respekt och ansvar")),
        ),
        (S.DECIDED, S.EVALUATED),
    ),
    Advice(
        "evaluate",
        "evaluating",
        _("Utvärdera processen, metoderna och kompetensen"),
        _(
            "Fråga deltagarna om frågan var tydlig, om de förstod hur mycket de kunde påverka och "
            "om de fick återkoppling. Gör också en egen utvärdering: vad fungerade, vad gör ni "
            "bättre, nådde ni målgrupperna och vilka effekter fick dialogen."
        ),
        (
            Source("S", _("Principer för medborgardialog")),
            Source("T", _("Återkoppling och utveckling")),
            Source("L", _("Utvärdering")),
        ),
        (S.DECIDED, S.EVALUATED),
    ),
    Advice(
        "measurable",
        "evaluating",
        _("Gör dialogerna mätbara"),
        _(
            "Dialogstrategen ansvarar för att dialogen är mätbar och för den kommungemensamma "
            "uppföljningen och analysen av resultat och effekter."
        ),
        (Source("So", _("KLK strateg för medborgardialog")),),
        (S.EVALUATED, S.ARCHIVED),
    ),
    Advice(
        "yearly",
        "evaluating",
        _("Följ upp policyn varje år"),
        _(
            "Policyn följs upp i den ordinarie ekonomi- och verksamhetsuppföljningen i samband "
            "med årsbokslutet. Använd kommunens årsuppföljning här i tjänsten."
        ),
        (Source("V", _("Uppföljning och utvärdering")),),
        (S.EVALUATED, S.ARCHIVED),
    ),
)


def handbook_for_status(status: str) -> list[Advice]:
    """The advice for the step a dialogue with this status is in, in handbook order."""
    return [advice for advice in HANDBOOK if status in advice.statuses]


def handbook_by_step() -> list[tuple[str, Promise, list[Advice]]]:
    return [(key, label, [a for a in HANDBOOK if a.step == key]) for key, label in STEPS]
