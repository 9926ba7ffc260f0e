"""The demo municipality: bodies, people in every role and a dialogue in every state.

`build_demo()` walks each dialogue through the real actions, gate by gate, under
the municipality's policy profile, then lets every app add its own method data
(`governance.demo_context.run_app_demos`). Dialogues that ended in the past are recorded as
history: where a later gate needs another app's objects (compilation, feedback,
evaluation), those apps add them right after, so the finished demo is consistent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from delaktig.accounts.models import User
from delaktig.core.exceptions import DomainError
from delaktig.governance import actions, checklist, lifecycle
from delaktig.governance.demo_context import DemoContext, run_app_demos
from delaktig.governance.models import (
    Decision,
    Dialogue,
    DialogueEvent,
    DialogueStatus,
    InfluenceLevel,
    TeamRole,
)
from delaktig.organisation.models import (
    Body,
    BodyKind,
    BodyMembership,
    DialogueScope,
    Gate,
    Municipality,
    Office,
    PolicyProfile,
    Role,
    StaffRole,
)
from delaktig.participation.models import Method

DEMO_PASSWORD = "Delaktig-demo-2026"  # noqa: S105 - printed for the local demo only

S = DialogueStatus
ORDER: list[str] = [
    S.IDEA,
    S.ASSESSMENT,
    S.APPROVED,
    S.PLANNING,
    S.DECIDED_TO_CONDUCT,
    S.ANNOUNCED,
    S.OPEN,
    S.COMPILING,
    S.FEEDBACK,
    S.DECIDED,
    S.EVALUATED,
    S.ARCHIVED,
]
STEP_TO: dict[str, str] = {
    S.ASSESSMENT: "start_assessment",
    S.APPROVED: "approve_for_planning",
    S.PLANNING: "start_planning",
    S.DECIDED_TO_CONDUCT: "decide_to_conduct",
    S.ANNOUNCED: "announce",
    S.OPEN: "open",
    S.COMPILING: "close_participation",
    S.FEEDBACK: "start_feedback",
    S.DECIDED: "record_final_decision",
    S.EVALUATED: "evaluate",
    S.ARCHIVED: "archive",
}
# Gates whose guards other apps own; the demo records these as history when needed.
HISTORY_STEPS = {"start_feedback", "record_final_decision", "evaluate", "archive"}


@dataclass
class DemoDialogue:
    key: str
    target: str
    title: str
    summary: str
    question: str
    influence: str
    scope: str = DialogueScope.AREA
    body: str = "Samhällsbyggnadsnämnden"
    proposer_kind: str = "resident"
    days_from_start: int = -10  # when participation opens, relative to today
    length_days: int = 30
    children: bool = False
    legally_required: bool = False
    # A cancelled dialogue walks this far on the main path, then is cancelled with a reason.
    cancelled_from: str = ""
    cancel_reason: str = ""

    @property
    def path_end(self) -> str:
        return self.cancelled_from or self.target


DIALOGUES = [
    DemoDialogue(
        "idea",
        S.IDEA,
        "Hundrastgård i Norra parken",
        "Flera hundägare vill ha en inhägnad hundrastgård i Norra parken.",
        "",
        "",
        proposer_kind="resident",
    ),
    DemoDialogue(
        "assessment",
        S.ASSESSMENT,
        "Ny lekplats i Ekdalen",
        "Lekplatsen i Ekdalen är sliten och ska byggas om.",
        "Hur vill ni att den nya lekplatsen ska se ut?",
        InfluenceLevel.INFLYTANDE,
        proposer_kind="organisation",
    ),
    DemoDialogue(
        "rejected",
        S.REJECTED,
        "Ny taxa för bygglov",
        "Taxan för bygglov räknas om enligt Sveriges Kommuner och Regioners modell.",
        "",
        "",
        proposer_kind="elected",
    ),
    DemoDialogue(
        "approved",
        S.APPROVED,
        "Belysning längs Strandpromenaden",
        "Strandpromenaden upplevs som mörk och otrygg på kvällarna.",
        "Var behövs bättre belysning längs Strandpromenaden?",
        InfluenceLevel.KONSULTATION,
    ),
    DemoDialogue(
        "planning",
        S.PLANNING,
        "Biblioteket som mötesplats",
        "Huvudbiblioteket ska bli en mötesplats för fler.",
        "Vad skulle få dig att besöka biblioteket oftare?",
        InfluenceLevel.DIALOG,
        body="Kultur- och fritidsnämnden",
    ),
    DemoDialogue(
        "decided_to_conduct",
        S.DECIDED_TO_CONDUCT,
        "Kulturskolans framtid",
        "Kulturskolan ska nå fler barn och unga i hela kommunen.",
        "Vad ska kulturskolan erbjuda om fem år?",
        InfluenceLevel.DIALOG,
        body="Kultur- och fritidsnämnden",
        days_from_start=30,
        children=True,
    ),
    DemoDialogue(
        "announced",
        S.ANNOUNCED,
        "Cykelstrategi 2030",
        "Kommunen tar fram en strategi för att fler ska cykla.",
        "Vad hindrar dig från att cykla mer?",
        InfluenceLevel.KONSULTATION,
        scope=DialogueScope.LARGER,
        days_from_start=7,
    ),
    DemoDialogue(
        "open",
        S.OPEN,
        "Framtidens Centrumpark",
        "Centrumparken ska rustas upp 2027–2028. Innan politikerna bestämmer hur vill de "
        "veta vad du tycker.",
        "Hur vill du använda Centrumparken i framtiden?",
        InfluenceLevel.KONSULTATION,
        days_from_start=-10,
        length_days=40,
    ),
    DemoDialogue(
        "open_youth",
        S.OPEN,
        "Ungas fritid",
        "Vad vill unga göra på fritiden? Förslagen blir underlag när fritidsgårdarna planeras om.",
        "Vad skulle göra din fritid bättre?",
        InfluenceLevel.INFLYTANDE,
        body="Kultur- och fritidsnämnden",
        days_from_start=-5,
        length_days=45,
        children=True,
    ),
    DemoDialogue(
        "open_budget",
        S.OPEN,
        "Medborgarbudget 2027",
        "Invånarna bestämmer hur 2 miljoner kronor ska användas i närområdena.",
        "Vilka projekt ska förverkligas för 2 miljoner kronor?",
        InfluenceLevel.MEDBESLUTANDE,
        scope=DialogueScope.LARGER,
        days_from_start=-14,
        length_days=35,
    ),
    DemoDialogue(
        "compiling",
        S.COMPILING,
        "Trygghet i Stationsområdet",
        "Hur kan Stationsområdet bli tryggare, dag som kväll?",
        "Vad skulle göra Stationsområdet tryggare för dig?",
        InfluenceLevel.KONSULTATION,
        days_from_start=-50,
        length_days=45,
    ),
    DemoDialogue(
        "feedback",
        S.FEEDBACK,
        "Trafiksäkerhet runt skolorna",
        "Vägarna till skolorna ska bli säkrare för barn som går och cyklar.",
        "Var känns skolvägen osäker?",
        InfluenceLevel.KONSULTATION,
        days_from_start=-120,
        length_days=40,
        children=True,
    ),
    DemoDialogue(
        "decided",
        S.DECIDED,
        "Översiktsplan 2040 – samråd",
        "Samråd om förslaget till ny översiktsplan enligt plan- och bygglagen.",
        "Vad tycker du om förslaget till översiktsplan?",
        InfluenceLevel.KONSULTATION,
        scope=DialogueScope.MUNICIPALITY_WIDE,
        days_from_start=-260,
        length_days=60,
        legally_required=True,
    ),
    DemoDialogue(
        "evaluated",
        S.EVALUATED,
        "Äldres boende",
        "Hur vill du bo när du blir äldre?",
        "Vad är viktigast för dig när du tänker på ditt boende som äldre?",
        InfluenceLevel.DIALOG,
        body="Vård- och omsorgsnämnden",
        days_from_start=-330,
        length_days=50,
    ),
    DemoDialogue(
        "cancelled",
        S.CANCELLED,
        "Ny sporthall i Västerby",
        "En ny sporthall i Västerby skulle planeras tillsammans med föreningarna.",
        "Vad behöver en ny sporthall i Västerby?",
        InfluenceLevel.DIALOG,
        body="Kultur- och fritidsnämnden",
        days_from_start=20,
        cancelled_from=S.ANNOUNCED,
        cancel_reason="Kommunfullmäktige tog bort pengarna till sporthallen i budgeten för 2027. "
        "Därför blir det ingen dialog nu. Frågan kan komma tillbaka när det finns pengar.",
    ),
    DemoDialogue(
        "archived",
        S.ARCHIVED,
        "Badplatsen vid Sjövik",
        "Badplatsen vid Sjövik skulle få ny brygga och nya toaletter.",
        "Vad behöver badplatsen vid Sjövik?",
        InfluenceLevel.INFLYTANDE,
        body="Kultur- och fritidsnämnden",
        days_from_start=-700,
        length_days=40,
    ),
]

PEOPLE = [
    # key, username, first, last, role, office
    ("admin", "admin", "Alva", "Admin", Role.ADMIN, None),
    ("strateg", "strateg", "Sara", "Lind", Role.STRATEGIST, None),
    ("handlaggare", "handlaggare", "Omar", "Haddad", Role.OFFICIAL, "Samhällsbyggnadsförv."),
    ("processledare", "processledare", "Lena", "Berg", Role.OFFICIAL, "Kultur- och fritidsförv."),
    ("politiker", "politiker", "Per", "Ek", None, None),
    ("sekreterare", "sekreterare", "Maja", "Holm", None, None),
    ("invanare", "invanare", "Amina", "Yusuf", None, None),
    ("invanare2", "invanare2", "Johan", "Nilsson", None, None),
    ("ung", "ung", "Elsa", "", None, None),
]


def _create_organisation(profile_slug: str, name: str) -> Municipality:
    profile = PolicyProfile.objects.get(slug=profile_slug)
    municipality = Municipality.objects.create(
        name=name,
        slug="demo",
        profile=profile,
        contact_email="medborgardialog@exempelby.se",
    )
    bodies = {
        "Kommunfullmäktige": BodyKind.KF,
        "Kommunstyrelsen": BodyKind.KS,
        "Styrgruppen för medborgardialog": BodyKind.STYRGRUPP,
        "Kommunledningsgruppen": BodyKind.KLG,
        "Samhällsbyggnadsnämnden": BodyKind.NAMND,
        "Kultur- och fritidsnämnden": BodyKind.NAMND,
        "Vård- och omsorgsnämnden": BodyKind.NAMND,
        "Barn- och utbildningsnämnden": BodyKind.NAMND,
        "Arbetsutskottet": BodyKind.UTSKOTT,
        "Demokratiberedningen": BodyKind.BEREDNING,
    }
    for body_name, kind in bodies.items():
        Body.objects.create(municipality=municipality, name=body_name, kind=kind)
    for office_name, body_name in [
        ("Samhällsbyggnadsförvaltningen", "Samhällsbyggnadsnämnden"),
        ("Kultur- och fritidsförvaltningen", "Kultur- och fritidsnämnden"),
        ("Vård- och omsorgsförvaltningen", "Vård- och omsorgsnämnden"),
        ("Kommunledningsförvaltningen", "Kommunstyrelsen"),
    ]:
        Office.objects.create(
            municipality=municipality,
            name=office_name,
            body=Body.objects.get(municipality=municipality, name=body_name),
        )
    return municipality


def _office(municipality: Municipality, short: str | None) -> Office | None:
    if short is None:
        return None
    name = short.replace("förv.", "förvaltningen")
    return Office.objects.get(municipality=municipality, name=name)


def _create_people(ctx: DemoContext) -> None:
    municipality = ctx.municipality
    for key, username, first, last, role, office in PEOPLE:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@exempelby.se",
        )
        if key == "admin":
            user.is_staff = user.is_superuser = True
        if key in ("invanare", "invanare2", "ung"):
            user.email_verified_at = timezone.now()
            user.connected_to_municipality = True
            user.display_name = first
        user.birth_year = ctx.today.year - (14 if key == "ung" else 41)
        user.save()
        if role:
            StaffRole.objects.create(
                user=user,
                municipality=municipality,
                role=role,
                office=_office(municipality, office),
            )
        ctx.users[key] = user
        label = {
            "admin": "Administratör",
            "strateg": "Dialogstrateg",
            "handlaggare": "Tjänsteperson",
            "processledare": "Processledare",
            "politiker": "Förtroendevald",
            "sekreterare": "Nämndsekreterare",
            "invanare": "Invånare",
            "invanare2": "Invånare",
            "ung": "Ung invånare (14 år)",
        }[key]
        ctx.logins.append((label, username, DEMO_PASSWORD))
    for body_name in ("Samhällsbyggnadsnämnden", "Kommunstyrelsen"):
        BodyMembership.objects.create(
            user=ctx.users["politiker"],
            body=Body.objects.get(municipality=municipality, name=body_name),
        )
    # The committee secretary records the committee's decisions (Mina organ).
    BodyMembership.objects.create(
        user=ctx.users["sekreterare"],
        body=Body.objects.get(municipality=municipality, name="Samhällsbyggnadsnämnden"),
        kind=BodyMembership.Kind.SECRETARY,
    )


def _decide(ctx: DemoContext, dialogue: Dialogue, gate: str, on: datetime.date, n: int) -> None:
    """Record the decisions the profile requires at this gate (and its anchoring)."""
    rule = lifecycle.gate_rule(dialogue, gate)
    if rule is None:
        return
    actor = ctx.users["strateg"]
    year = on.year
    for kind, outcome in [
        (rule.deciding_body_kind, Decision.Outcome.APPROVED),
        (rule.anchoring_body_kind, Decision.Outcome.ANCHORED),
    ]:
        if not kind:
            continue
        body = lifecycle.resolve_body(dialogue, kind)
        assert body is not None
        short = (body.short_name or body.name[:3]).upper()
        actions.record_decision(
            actor=actor,
            dialogue=dialogue,
            gate=gate,
            body=body,
            decided_on=min(on, ctx.today),
            paragraph=str(20 + n),
            case_number=f"{short} {year}/{100 + dialogue.pk}",
            outcome=outcome,
            rationale={
                Gate.INVESTIGATE: "Båda frågorna i lämplighetsprövningen besvarades med ja.",
                Gate.CONDUCT: "Planen för dialogen godkänns. Återkoppling sker senast det datum "
                "som anges i planen.",
                Gate.FINAL: "Beslutet fattas med resultatet av medborgardialogen som underlag.",
            }[Gate(gate)],
        )


def _walk(ctx: DemoContext, spec: DemoDialogue) -> Dialogue:
    dialogue = _walk_path(ctx, spec)
    if spec.target == S.CANCELLED:
        actions.transition_dialogue(
            actor=ctx.users["strateg"], dialogue=dialogue, name="cancel", note=spec.cancel_reason
        )
    return dialogue


def _walk_path(ctx: DemoContext, spec: DemoDialogue) -> Dialogue:
    municipality = ctx.municipality
    today = ctx.today
    starts = today + datetime.timedelta(days=spec.days_from_start)
    ends = starts + datetime.timedelta(days=spec.length_days)
    actor = ctx.users["strateg"]
    proposer = ctx.users["invanare"] if spec.proposer_kind == "resident" else None
    initiative = actions.submit_initiative(
        municipality=municipality,
        title=spec.title,
        description=spec.summary,
        proposer_kind=spec.proposer_kind,
        proposer_name={"organisation": "Föreningen Ekdalens vänner", "elected": "Per Ek (S)"}.get(
            spec.proposer_kind, "Amina Yusuf"
        ),
        proposer=proposer,
    )
    dialogue = initiative.dialogue
    body = Body.objects.get(municipality=municipality, name=spec.body)
    office = Office.objects.filter(municipality=municipality, body=body).first()
    end = spec.path_end
    target_rank = ORDER.index(end) if end in ORDER else ORDER.index(S.ASSESSMENT)

    def reach(status: str) -> bool:
        return target_rank >= ORDER.index(status)

    def step(status: str, on: datetime.date | None = None) -> None:
        name = STEP_TO[status]
        # The organisers tick what the checklist asks of this step; the plan answers the rest.
        for item_state in checklist.blocking(dialogue, name):
            if not item_state.by_plan:
                actions.set_checklist_item(actor=actor, item=item_state.item, done=True)
        try:
            actions.transition_dialogue(actor=actor, dialogue=dialogue, name=name)
        except DomainError:
            if name not in HISTORY_STEPS:
                raise
            # Another app owns this gate's objects and adds them right after.
            source = dialogue.status
            Dialogue.objects.filter(pk=dialogue.pk).update(status=status)
            DialogueEvent.objects.create(
                dialogue=dialogue,
                from_status=source,
                to_status=status,
                actor=actor,
                note="Historisk uppgift i demodata.",
            )
            dialogue.status = status

    if spec.target == S.IDEA:
        return dialogue
    step(S.ASSESSMENT)
    suitable = spec.target != S.REJECTED
    if spec.target != S.ASSESSMENT:
        actions.record_assessment(
            actor=actor,
            dialogue=dialogue,
            needs_residents_knowledge=suitable,
            open_to_influence=suitable,
            benefit="Politikerna får veta hur invånarna prioriterar."
            if suitable
            else "Liten, eftersom taxan följer en nationell modell.",
            purpose="Att ge ett bättre underlag inför beslutet."
            if suitable
            else "Att informera om hur taxan räknas.",
        )
    if spec.target == S.REJECTED:
        actions.transition_dialogue(actor=actor, dialogue=dialogue, name="reject")
        actions.record_information_effort(
            actor=actor,
            dialogue=dialogue,
            why_decided="Taxan följer den modell som alla kommuner använder, så att avgiften "
            "speglar vad handläggningen kostar.",
            why_no_dialogue="Frågan går inte att påverka lokalt: modellen är given. Därför "
            "informerar vi i stället, på webben och vid ett öppet möte.",
            held_on=today - datetime.timedelta(days=20),
            place="Stadshuset och webben",
        )
        return dialogue
    if not reach(S.APPROVED):
        return dialogue
    actions.update_plan(
        actor=actor,
        dialogue=dialogue,
        changes={
            "scope": spec.scope,
            "owner_body": body,
            "office": office,
            "legally_required": spec.legally_required,
            "legal_basis": "Plan- och bygglagen 3 kap. 8 §" if spec.legally_required else "",
            "period_start_year": today.year
            if spec.scope == DialogueScope.MUNICIPALITY_WIDE
            else None,
            "period_review": "Översynen av inriktningsmålen inför mandatperioden"
            if spec.scope == DialogueScope.MUNICIPALITY_WIDE
            else "",
            "goal": "Ett beslut som bygger på invånarnas erfarenheter och prioriteringar.",
            "purpose": spec.summary,
        },
    )
    _decide(ctx, dialogue, Gate.INVESTIGATE, starts - datetime.timedelta(days=90), 1)
    step(S.APPROVED)
    if not reach(S.PLANNING):
        return dialogue
    leader = ctx.users["processledare"] if "Kultur" in spec.body else ctx.users["handlaggare"]
    actions.set_team_member(
        actor=actor, dialogue=dialogue, user=ctx.users["strateg"], role=TeamRole.PROCESS_OWNER
    )
    actions.set_team_member(
        actor=actor, dialogue=dialogue, user=leader, role=TeamRole.PROCESS_LEADER
    )
    actions.set_team_member(
        actor=actor, dialogue=dialogue, user=ctx.users["politiker"], role=TeamRole.POLITICIAN
    )
    step(S.PLANNING)
    actions.update_plan(
        actor=actor,
        dialogue=dialogue,
        changes={
            "question": spec.question,
            "influence_level": spec.influence,
            "input_use": "Synpunkterna sammanställs och redovisas för "
            f"{body.name.lower()} innan beslut. Sammanställningen publiceras här.",
            "background": "Frågan har diskuterats i flera år. Nu finns pengar avsatta i budgeten.",
            "partners": "Föreningar i området, skolor och fritidsgårdar.",
            "budget": "Ryms inom förvaltningens budget för medborgardialog.",
            "communication_plan": "Webben, sociala medier, affischer och utskick till föreningar.",
            "outreach_plan": "Vi besöker skolor, träffpunkter för äldre och språkcaféer.",
            "starts_on": starts,
            "ends_on": ends,
            "decision_expected_on": ends + datetime.timedelta(days=90),
            "feedback_due": ends + datetime.timedelta(days=45 if spec.key != "feedback" else 30),
        },
    )
    actions.add_target_group(
        actor=actor,
        dialogue=dialogue,
        name="Boende i området",
        priority=1,
        outreach="Utskick och informationsträffar.",
    )
    actions.add_target_group(
        actor=actor,
        dialogue=dialogue,
        name="Barn och unga",
        priority=1 if spec.children else 2,
        outreach="Besök i skolor och på fritidsgårdar.",
        children_and_young=True,
    )
    actions.add_target_group(
        actor=actor,
        dialogue=dialogue,
        name="Äldre",
        priority=2,
        outreach="Träffpunkter och pensionärsföreningar.",
    )
    if not reach(S.DECIDED_TO_CONDUCT):
        return dialogue
    _decide(ctx, dialogue, Gate.CONDUCT, starts - datetime.timedelta(days=30), 2)
    step(S.DECIDED_TO_CONDUCT)
    if not reach(S.ANNOUNCED):
        return dialogue
    ctx.dialogues[spec.key] = dialogue
    groups = list(dialogue.target_groups.all())
    ctx.activity(
        spec.key,
        Method.WEB_INFORMATION,
        "Läs om frågan",
        description="Bakgrund, kartor och vad som redan är bestämt.",
        simple_description="Här kan du läsa om frågan med enkla ord.",
    ).target_groups.set(groups)
    # G10: more than one form, time and place, and one made for children where they come first.
    ctx.activity(
        spec.key,
        Method.OPEN_MEETING,
        "Öppet möte i biblioteket",
        description="Vi berättar om frågan och svarar på frågor. Fika finns.",
        simple_description="Kom och fråga oss om det du undrar över.",
        place="Biblioteket, Storgatan 1",
        accessibility_info="Hörslinga och ramp vid entrén.",
        opens_at=timezone.make_aware(
            datetime.datetime.combine(starts + datetime.timedelta(days=2), datetime.time(18))
        ),
        for_children=spec.children,
    ).target_groups.set(groups)
    step(S.ANNOUNCED)
    if not reach(S.OPEN):
        return dialogue
    step(S.OPEN)
    if not reach(S.COMPILING):
        return dialogue
    step(S.COMPILING)
    if not reach(S.FEEDBACK):
        return dialogue
    step(S.FEEDBACK)
    if not reach(S.DECIDED):
        return dialogue
    _decide(ctx, dialogue, Gate.FINAL, ends + datetime.timedelta(days=80), 3)
    Dialogue.objects.filter(pk=dialogue.pk).update(
        final_decision_summary="Nämnden beslutade enligt förvaltningens förslag, med de "
        "ändringar som dialogen ledde till.",
        influence_on_decision="Tre av de fem mest efterfrågade förslagen finns med i beslutet. "
        "Förslag som inte kom med förklaras i återkopplingen.",
    )
    dialogue.refresh_from_db()
    step(S.DECIDED)
    if not reach(S.EVALUATED):
        return dialogue
    step(S.EVALUATED)
    if reach(S.ARCHIVED):
        step(S.ARCHIVED)
    return dialogue


@transaction.atomic
def build_demo(
    profile_slug: str = "sollentuna", name: str = "Exempelby kommun", *, with_apps: bool = True
) -> DemoContext:
    """Create the whole demo municipality and return its context (users, dialogues, logins)."""
    if not PolicyProfile.objects.filter(slug=profile_slug).exists():
        from delaktig.organisation.profile_data import sync_profiles

        sync_profiles()
    municipality = _create_organisation(profile_slug, name)
    ctx = DemoContext(municipality=municipality, today=timezone.localdate())
    _create_people(ctx)
    for spec in DIALOGUES:
        ctx.dialogues[spec.key] = _walk(ctx, spec)
    # G6: the register links each entry to its dialogue, or says why there is none.
    for i, (title, outcome, reason, dialogue_key, unlinked_reason) in enumerate(
        [
            (
                "Upprustning av Centrumparken",
                "dialogue",
                "Påverkar många boende och frågan är öppen.",
                "open",
                "",
            ),
            (
                "Ny detaljplan för Västra hamnen",
                "dialogue",
                "Påverkar många boende och frågan är öppen.",
                None,
                "Samrådet enligt plan- och bygglagen hålls i planärendet.",
            ),
            (
                "Ny taxa för bygglov",
                "no_dialogue",
                "Taxan följer en nationell modell och går inte att påverka lokalt.",
                "rejected",
                "",
            ),
            (
                "Ändrade öppettider i simhallen",
                "no_dialogue",
                "Beslutet följer av budgeten; information räcker.",
                None,
                "",
            ),
            ("Skolskjuts – nya regler", "pending", "Prövas i nämnden i nästa månad.", None, ""),
        ]
    ):
        actions.record_consideration(
            actor=ctx.users["strateg"],
            municipality=municipality,
            title=title,
            considered_on=ctx.today - datetime.timedelta(days=30 * (i + 1)),
            outcome=outcome,
            reason=reason,
            case_number=f"SBN {ctx.today.year}/{40 + i}",
            dialogue=ctx.dialogues.get(dialogue_key) if dialogue_key else None,
            unlinked_reason=unlinked_reason,
        )
    if with_apps:
        run_app_demos(ctx, skip=("delaktig.governance",))
    return ctx


def load(ctx: Any) -> None:  # pragma: no cover - governance builds the base itself
    """Governance data is the base of `build_demo`; nothing to add afterwards."""
