"""Every write in governance: typed, keyword-only, atomic, audited."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any, cast

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError, NotAllowed
from delaktig.core.permissions import require
from delaktig.governance import lifecycle, notices
from delaktig.governance.models import (
    PLAN_FIELDS,
    Alternative,
    AssignmentConsideration,
    ChecklistItem,
    Decision,
    Dialogue,
    DialogueEvent,
    DialogueStatus,
    DialogueTeamMember,
    InformationEffort,
    Initiative,
    SuitabilityAssessment,
    TargetGroup,
    TeamRole,
)
from delaktig.governance.rules import secretary_bodies
from delaktig.governance.states import Feature, allows
from delaktig.organisation.models import Body, Gate, Municipality

# After the elected have decided to conduct the dialogue, what they approved is fixed; to
# change it the dialogue goes back to planning (`replan`) and needs a new decision.
FROZEN_AFTER_CONDUCT = (
    "influence_level",
    "question",
    "input_use",
    "feedback_due",
    "kind",
    "legally_required",
    "legal_basis",
    "office",
    "owner_body",
    "scope",
)
# A public dialogue never silently leaves the register: it is cancelled, with a reason.
FROZEN_ONCE_PUBLIC = ("kind",)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "dialog"
    slug, n = base, 2
    while Dialogue.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _create_dialogue_with_free_slug(**fields: Any) -> Dialogue:
    """Two people proposing the same title at once must both succeed: retry on a taken slug."""
    for attempt in range(5):
        slug = _unique_slug(fields["title"])
        if attempt:
            slug = f"{slug[:200]}-{secrets.token_hex(3)}"
        try:
            with transaction.atomic():
                return Dialogue.objects.create(slug=slug, **fields)
        except IntegrityError:
            continue
    raise DomainError(_("Det gick inte att spara just nu. Försök igen."))


def _copy_checklist(dialogue: Dialogue) -> None:
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            dialogue=dialogue,
            key=t.key,
            label=t.label,
            phase=t.phase,
            required_for=t.required_for,
            plan_fields=t.plan_fields,
            order=t.order,
        )
        for t in dialogue.municipality.profile.checklist_items.all()
    )


@transaction.atomic
def submit_initiative(
    *,
    municipality: Municipality,
    title: str,
    description: str,
    proposer_kind: str,
    proposer_name: str = "",
    proposer_email: str = "",
    proposer: Any = None,
    affects_residents: bool = True,
    submission_key: str = "",
) -> Initiative:
    """G1: anyone proposes a topic. A repeated submission returns the first one."""
    key = submission_key or None
    if key:
        existing = Initiative.objects.filter(submission_key=key).select_related("dialogue").first()
        if existing:
            return existing
    dialogue = _create_dialogue_with_free_slug(
        municipality=municipality, title=title.strip(), summary=description.strip()[:500]
    )
    _copy_checklist(dialogue)
    try:
        with transaction.atomic():
            initiative = Initiative.objects.create(
                dialogue=dialogue,
                proposer_kind=proposer_kind,
                proposer_name=proposer_name,
                proposer_email=proposer_email,
                proposer=proposer if getattr(proposer, "is_authenticated", False) else None,
                description=description.strip(),
                affects_residents=affects_residents,
                submission_key=key,
            )
    except IntegrityError:
        # A parallel double submission won the race: keep that one.
        transaction.set_rollback(True)
        return Initiative.objects.get(submission_key=key)
    DialogueEvent.objects.create(
        dialogue=dialogue,
        from_status=DialogueStatus.IDEA,
        to_status=DialogueStatus.IDEA,
        actor=initiative.proposer,
        note=_("Idén lämnades in."),
    )
    record_audit(actor=proposer, action="initiative.submitted", obj=dialogue, summary=title)
    return initiative


def submission_key_for(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@transaction.atomic
def create_dialogue(
    *, actor: Any, municipality: Municipality, title: str, description: str = ""
) -> Dialogue:
    """An official registers an assignment's dialogue directly (still starts as an idea)."""
    require(actor, "governance.create_dialogue")
    initiative = submit_initiative(
        municipality=municipality,
        title=title,
        description=description or title,
        proposer_kind="official",
        proposer_name=str(actor),
        proposer=actor,
    )
    return initiative.dialogue


@transaction.atomic
def record_assessment(
    *,
    actor: Any,
    dialogue: Dialogue,
    needs_residents_knowledge: bool,
    open_to_influence: bool,
    benefit: str,
    purpose: str,
) -> SuitabilityAssessment:
    require(actor, "governance.manage_dialogue", dialogue)
    if dialogue.status != DialogueStatus.ASSESSMENT:
        raise DomainError(_("Lämplighetsprövningen görs när dialogen är under prövning."))
    if not benefit.strip() or not purpose.strip():
        raise DomainError(_("Beskriv både nytta och syfte."))
    assessment, _created = SuitabilityAssessment.objects.update_or_create(
        dialogue=dialogue,
        defaults={
            "needs_residents_knowledge": needs_residents_knowledge,
            "open_to_influence": open_to_influence,
            "benefit": benefit.strip(),
            "purpose": purpose.strip(),
            "assessed_by": actor,
        },
    )
    record_audit(
        actor=actor,
        action="assessment.recorded",
        obj=dialogue,
        summary=_("Lämplig") if assessment.suitable else _("Inte lämplig"),
        data={"q1": needs_residents_knowledge, "q2": open_to_influence},
    )
    return assessment


@transaction.atomic
def record_information_effort(
    *,
    actor: Any,
    dialogue: Dialogue,
    why_decided: str,
    why_no_dialogue: str,
    held_on: datetime.date | None = None,
    place: str = "",
    what_was_said: str = "",
) -> InformationEffort:
    require(actor, "governance.manage_dialogue", dialogue)
    if dialogue.status != DialogueStatus.REJECTED:
        raise DomainError(_("Informationsinsatsen hör till dialoger där svaret blev nej."))
    if not why_decided.strip() or not why_no_dialogue.strip():
        raise DomainError(_("Svara på båda frågorna."))
    effort, _created = InformationEffort.objects.update_or_create(
        dialogue=dialogue,
        defaults={
            "why_decided": why_decided.strip(),
            "why_no_dialogue": why_no_dialogue.strip(),
            "held_on": held_on,
            "place": place.strip(),
            "what_was_said": what_was_said.strip(),
        },
    )
    record_audit(actor=actor, action="information_effort.recorded", obj=dialogue)
    return effort


def _require_decision_right(actor: Any, dialogue: Dialogue, body: Body) -> None:
    """Officials who manage the dialogue record any body's decision; a secretary their own."""
    require(actor, "governance.record_decision", dialogue)
    if not actor.has_perm("governance.manage_dialogue", dialogue) and (
        body.pk not in secretary_bodies(actor, dialogue)
    ):
        raise NotAllowed()


@dataclass(frozen=True)
class DecisionRecord:
    """What a decision form records, trimmed: the same for a decision and its correction."""

    body: Body
    decided_on: datetime.date
    paragraph: str
    case_number: str
    outcome: str
    rationale: str
    deviation_reason: str = ""

    def __post_init__(self) -> None:
        for name in ("paragraph", "case_number", "rationale", "deviation_reason"):
            object.__setattr__(self, name, getattr(self, name).strip())


def _decision_problems(
    dialogue: Dialogue, gate: str, record: DecisionRecord, replacing: Decision | None = None
) -> list[str]:
    """G5: the right body, at the right stage, with dates in order. Empty when all is well."""
    problems = []
    body, outcome = record.body, record.outcome
    if body.municipality_id != dialogue.municipality_id:
        problems.append(_("Organet hör inte till kommunen."))
    if not record.rationale:
        problems.append(_("Ange en motivering."))
    if outcome != Decision.Outcome.ANCHORED and not (record.paragraph and record.case_number):
        problems.append(_("Ange paragraf och diarienummer. Bara en förankring saknar dem."))
    if record.decided_on > timezone.localdate():
        problems.append(_("Ett beslut kan inte ha ett datum i framtiden."))
    stages = lifecycle.GATE_STAGES[gate]
    if replacing is None and dialogue.status not in stages:
        problems.append(
            _("%(gate)s registreras när dialogen har status %(stages)s, inte ”%(status)s”.")
            % {
                "gate": Gate(gate).label,
                "stages": " eller ".join(f"”{DialogueStatus(s).label}”" for s in stages),
                "status": DialogueStatus(dialogue.status).label,
            }
        )
    expected = lifecycle.expected_bodies(dialogue, gate)
    if expected:
        fits = body.pk in expected and (
            outcome == Decision.Outcome.ANCHORED
            if expected[body.pk] == Decision.Outcome.ANCHORED
            else outcome != Decision.Outcome.ANCHORED
        )
        if not fits and not record.deviation_reason:
            names = ", ".join(str(b) for b in Body.objects.filter(pk__in=expected).order_by("name"))
            problems.append(
                _(
                    "Enligt policyn fattas %(gate)s av %(names)s. Välj rätt organ och utfall, "
                    "eller beskriv varför ni avviker från policyn."
                )
                % {"gate": str(Gate(gate).label).lower(), "names": names}
            )
    position = lifecycle.GATE_ORDER.index(gate)
    for other in lifecycle.decisions_in_force(dialogue):
        if replacing is not None and other.pk == replacing.pk:
            continue
        other_position = lifecycle.GATE_ORDER.index(other.gate)
        if other_position < position and other.decided_on > record.decided_on:
            problems.append(
                _("Datumet ligger före %(gate)s (%(date)s).")
                % {"gate": str(other.get_gate_display()).lower(), "date": other.decided_on}
            )
        if other_position > position and other.decided_on < record.decided_on:
            problems.append(
                _("Datumet ligger efter %(gate)s (%(date)s).")
                % {"gate": str(other.get_gate_display()).lower(), "date": other.decided_on}
            )
    return problems


def _create_decision(
    *, actor: Any, dialogue: Dialogue, gate: str, record: DecisionRecord, **extra: Any
) -> Decision:
    # Not dataclasses.asdict: it would deep-copy the body instance.
    values = {f.name: getattr(record, f.name) for f in dataclass_fields(record)}
    return Decision.objects.create(
        dialogue=dialogue, gate=gate, recorded_by=actor, **values, **extra
    )


@transaction.atomic
def record_decision(
    *,
    actor: Any,
    dialogue: Dialogue,
    gate: str,
    body: Body,
    decided_on: datetime.date,
    paragraph: str,
    case_number: str,
    outcome: str,
    rationale: str,
    deviation_reason: str = "",
) -> Decision:
    """G5: a body's decision with date, § and diarienummer, by the body the profile names."""
    _require_decision_right(actor, dialogue, body)
    record = DecisionRecord(
        body, decided_on, paragraph, case_number, outcome, rationale, deviation_reason
    )
    # The same decision sent again (a double click, a lost reply) is the one recorded.
    existing = Decision.objects.filter(
        dialogue=dialogue,
        gate=gate,
        body=body,
        outcome=outcome,
        decided_on=decided_on,
        paragraph=record.paragraph,
        case_number=record.case_number,
    ).first()
    if existing:
        return existing
    problems = _decision_problems(dialogue, gate, record)
    if problems:
        raise DomainError(_("Beslutet kan inte registreras:"), missing=problems)
    decision = _create_decision(actor=actor, dialogue=dialogue, gate=gate, record=record)
    record_audit(
        actor=actor,
        action="decision.recorded",
        obj=dialogue,
        summary=str(decision),
        data={
            "gate": gate,
            "outcome": outcome,
            "body": body.pk,
            "deviation": bool(decision.deviation_reason),
        },
    )
    return decision


@transaction.atomic
def correct_decision(
    *,
    actor: Any,
    decision: Decision,
    correction_reason: str,
    body: Body,
    decided_on: datetime.date,
    paragraph: str,
    case_number: str,
    outcome: str,
    rationale: str,
    deviation_reason: str = "",
) -> Decision:
    """A rättelse: a new record replaces a wrong one, and the original stays in the history."""
    dialogue = decision.dialogue
    _require_decision_right(actor, dialogue, decision.body)
    _require_decision_right(actor, dialogue, body)
    original = Decision.objects.select_for_update().get(pk=decision.pk)
    if original.is_corrected:
        return original.correction
    if not correction_reason.strip():
        raise DomainError(_("Skriv varför beslutet rättas."))
    record = DecisionRecord(
        body, decided_on, paragraph, case_number, outcome, rationale, deviation_reason
    )
    problems = _decision_problems(dialogue, original.gate, record, replacing=original)
    if problems:
        raise DomainError(_("Rättelsen kan inte registreras:"), missing=problems)
    correction = _create_decision(
        actor=actor,
        dialogue=dialogue,
        gate=original.gate,
        record=record,
        corrects=original,
        correction_reason=correction_reason.strip(),
    )
    record_audit(
        actor=actor,
        action="decision.corrected",
        obj=dialogue,
        summary=f"{original} → {correction}",
        data={"original": original.pk, "correction": correction.pk},
    )
    return correction


@transaction.atomic
def record_outcome(
    *, actor: Any, dialogue: Dialogue, final_decision_summary: str, influence_on_decision: str
) -> Dialogue:
    """G12: the decision in brief and how the dialogue influenced it, before it is decided."""
    require(actor, "governance.manage_dialogue", dialogue)
    if not allows(dialogue, Feature.OUTCOME_WRITABLE):
        raise DomainError(
            _("Beslutet i sakfrågan beskrivs när dialogen har stängt och innan den är beslutad.")
        )
    summary = final_decision_summary.strip()
    influence = influence_on_decision.strip()
    if not summary or not influence:
        raise DomainError(_("Beskriv både beslutet och hur dialogen påverkade det."))
    dialogue.final_decision_summary = summary
    dialogue.influence_on_decision = influence
    dialogue.save(update_fields=["final_decision_summary", "influence_on_decision", "updated_at"])
    record_audit(actor=actor, action="outcome.recorded", obj=dialogue, summary=summary[:200])
    return dialogue


@transaction.atomic
def update_plan(*, actor: Any, dialogue: Dialogue, changes: dict[str, Any]) -> Dialogue:
    """G8–G10: edit the plan. What the elected approved is frozen afterwards."""
    require(actor, "governance.manage_dialogue", dialogue)
    if not allows(dialogue, Feature.PLAN_EDITABLE):
        raise DomainError(_("Planen kan inte ändras när dialogen har öppnat."))
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise DomainError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    decided = allows(dialogue, Feature.PLAN_DECIDED)
    public = allows(dialogue, Feature.PUBLIC)
    changed: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "concerned_bodies":
            continue
        old = getattr(dialogue, field)
        if old == value:
            continue
        label = cast(models.Field, Dialogue._meta.get_field(field)).verbose_name
        if decided and field in FROZEN_AFTER_CONDUCT:
            raise DomainError(
                _(
                    "%(field)s beslutades av de förtroendevalda och kan inte ändras nu. "
                    "Gå tillbaka till planering för att ändra det; då krävs ett nytt beslut."
                )
                % {"field": label}
            )
        if public and field in FROZEN_ONCE_PUBLIC:
            raise DomainError(
                _(
                    "%(field)s kan inte ändras när dialogen syns i registret. Avbryt dialogen "
                    "med en motivering i stället."
                )
                % {"field": label}
            )
        setattr(dialogue, field, value)
        changed[field] = str(value)
    if dialogue.ends_on and not dialogue.feedback_due:
        dialogue.feedback_due = dialogue.ends_on + datetime.timedelta(
            days=dialogue.municipality.profile.feedback_days_after_close
        )
        changed["feedback_due"] = str(dialogue.feedback_due)
    dialogue.full_clean(exclude=["slug"])
    dialogue.save()
    if "concerned_bodies" in changes:
        dialogue.concerned_bodies.set(changes["concerned_bodies"])
        changed["concerned_bodies"] = [b.pk for b in changes["concerned_bodies"]]
    if changed:
        record_audit(actor=actor, action="plan.updated", obj=dialogue, data=changed)
    return dialogue


@transaction.atomic
def set_team_member(*, actor: Any, dialogue: Dialogue, user: Any, role: str) -> DialogueTeamMember:
    """G7. Process owner and leader are single roles: naming one replaces the other."""
    require(actor, "governance.manage_dialogue", dialogue)
    if role in (TeamRole.PROCESS_OWNER, TeamRole.PROCESS_LEADER):
        DialogueTeamMember.objects.filter(dialogue=dialogue, role=role).exclude(user=user).delete()
    member, _created = DialogueTeamMember.objects.get_or_create(
        dialogue=dialogue, user=user, role=role
    )
    record_audit(
        actor=actor,
        action="team.member_set",
        obj=dialogue,
        summary=f"{user} – {TeamRole(role).label}",
    )
    return member


@transaction.atomic
def remove_team_member(*, actor: Any, member: DialogueTeamMember) -> None:
    require(actor, "governance.manage_dialogue", member.dialogue)
    record_audit(
        actor=actor,
        action="team.member_removed",
        obj=member.dialogue,
        summary=f"{member.user} – {TeamRole(member.role).label}",
    )
    member.delete()


@transaction.atomic
def set_checklist_item(
    *, actor: Any, item: ChecklistItem, done: bool, note: str = ""
) -> ChecklistItem:
    require(actor, "governance.manage_dialogue", item.dialogue)
    if item.plan_fields:
        raise DomainError(
            _("”%(item)s” besvaras av planen: fyll i planen i stället för att bocka av.")
            % {"item": item.label}
        )
    if item.done == done and item.note == note:
        return item
    item.done = done
    item.note = note
    item.done_by = actor if done else None
    item.done_at = timezone.now() if done else None
    item.save()
    record_audit(
        actor=actor,
        action="checklist.updated",
        obj=item.dialogue,
        summary=f"{item.label}: {'klar' if done else 'inte klar'}",
        data={"key": item.key, "done": done},
    )
    return item


@transaction.atomic
def add_target_group(
    *,
    actor: Any,
    dialogue: Dialogue,
    name: str,
    priority: int,
    outreach: str,
    children_and_young: bool = False,
) -> TargetGroup:
    require(actor, "governance.manage_dialogue", dialogue)
    if not name.strip():
        raise DomainError(_("Ange målgruppens namn."))
    group = TargetGroup.objects.create(
        dialogue=dialogue,
        name=name.strip(),
        priority=priority,
        outreach=outreach,
        children_and_young=children_and_young,
    )
    record_audit(actor=actor, action="target_group.added", obj=dialogue, summary=name)
    return group


@transaction.atomic
def add_alternative(
    *, actor: Any, dialogue: Dialogue, title: str, description: str = ""
) -> Alternative:
    require(actor, "governance.manage_dialogue", dialogue)
    if not title.strip():
        raise DomainError(_("Ange förslagets rubrik."))
    alternative = Alternative.objects.create(
        dialogue=dialogue,
        title=title.strip(),
        description=description,
        order=dialogue.alternatives.count(),
    )
    record_audit(actor=actor, action="alternative.added", obj=dialogue, summary=title)
    return alternative


def _checked_consideration(municipality: Municipality, fields: dict[str, Any]) -> dict[str, Any]:
    """G6 rules shared by recording and updating an entry; returns the cleaned fields."""
    fields = {
        **fields,
        "title": fields["title"].strip(),
        "reason": fields["reason"].strip(),
        "case_number": (fields.get("case_number") or "").strip(),
        "unlinked_reason": (fields.get("unlinked_reason") or "").strip(),
    }
    if not fields["title"] or not fields["reason"]:
        raise DomainError(_("Ange uppdraget och skälet."))
    if fields["outcome"] not in AssignmentConsideration.Outcome.values:
        raise DomainError(_("Välj ett av utfallen i listan."))
    if fields["considered_on"] > timezone.localdate():
        raise DomainError(_("Datumet för prövningen kan inte ligga i framtiden."))
    dialogue, body = fields.get("dialogue"), fields.get("body")
    if dialogue is not None and dialogue.municipality_id != municipality.pk:
        raise DomainError(_("Dialogen hör inte till kommunen."))
    if body is not None and body.municipality_id != municipality.pk:
        raise DomainError(_("Organet hör inte till kommunen."))
    if dialogue is not None:
        fields["unlinked_reason"] = ""
    elif (
        fields["outcome"] == AssignmentConsideration.Outcome.DIALOGUE
        and not fields["unlinked_reason"]
    ):
        raise DomainError(
            _("Utfallet är dialog: koppla dialogen, eller skriv varför ingen dialog är kopplad.")
        )
    return fields


CONSIDERATION_FIELDS = (
    "title",
    "case_number",
    "body",
    "considered_on",
    "outcome",
    "reason",
    "dialogue",
    "unlinked_reason",
)


@transaction.atomic
def record_consideration(
    *,
    actor: Any,
    municipality: Municipality,
    title: str,
    considered_on: datetime.date,
    outcome: str,
    reason: str,
    case_number: str = "",
    body: Body | None = None,
    dialogue: Dialogue | None = None,
    unlinked_reason: str = "",
) -> AssignmentConsideration:
    """G6: an assignment where dialogue was considered, and the outcome.

    Sending the same entry twice (a double click) gives the first one back.
    """
    require(actor, "governance.record_consideration")
    fields = _checked_consideration(
        municipality,
        {
            "title": title,
            "case_number": case_number,
            "body": body,
            "considered_on": considered_on,
            "outcome": outcome,
            "reason": reason,
            "dialogue": dialogue,
            "unlinked_reason": unlinked_reason,
        },
    )
    existing = AssignmentConsideration.objects.filter(municipality=municipality, **fields).first()
    if existing:
        return existing
    row = AssignmentConsideration.objects.create(
        municipality=municipality, recorded_by=actor, **fields
    )
    record_audit(
        actor=actor,
        action="consideration.recorded",
        obj=row,
        summary=f"{row.title}: {row.get_outcome_display()}",
        data={f: _audit_value(getattr(row, f)) for f in CONSIDERATION_FIELDS},
    )
    return row


def _audit_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@transaction.atomic
def update_consideration(
    *, actor: Any, consideration: AssignmentConsideration, **changes: Any
) -> AssignmentConsideration:
    """G6: the entry follows the assignment (pending → dialogue, a dialogue linked later).

    Each change is one audit row with the old and new value of every field that changed,
    so the entry's history stays readable after it has moved on.
    """
    require(actor, "governance.record_consideration")
    unknown = set(changes) - set(CONSIDERATION_FIELDS)
    if unknown:
        raise DomainError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    row = AssignmentConsideration.objects.select_for_update().get(pk=consideration.pk)
    current = {f: getattr(row, f) for f in CONSIDERATION_FIELDS}
    fields = _checked_consideration(row.municipality, {**current, **changes})
    changed = {f: (current[f], fields[f]) for f in CONSIDERATION_FIELDS if current[f] != fields[f]}
    if not changed:
        return row
    for field, (_old, new) in changed.items():
        setattr(row, field, new)
    row.save()
    summary = "; ".join(
        f"{capfirst(cast(models.Field, AssignmentConsideration._meta.get_field(f)).verbose_name)}: "
        f"{_shown(row, f, old)} → {_shown(row, f, new)}"
        for f, (old, new) in changed.items()
    )
    record_audit(
        actor=actor,
        action="consideration.updated",
        obj=row,
        summary=summary,
        data={
            f: {"from": _audit_value(old), "to": _audit_value(new)}
            for f, (old, new) in changed.items()
        },
    )
    return row


def _shown(row: AssignmentConsideration, field: str, value: Any) -> str:
    if field == "outcome":
        return str(AssignmentConsideration.Outcome(value).label)
    if value in (None, ""):
        return "–"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def transition_dialogue(
    *, actor: Any, dialogue: Dialogue, name: str, note: str = "", override: bool = False
) -> Dialogue:
    """Move a dialogue along its lifecycle, if the policy allows it now."""
    if name not in lifecycle.TRANSITIONS:
        raise DomainError(_("Okänt steg i processen."))
    require(actor, lifecycle.TRANSITIONS[name].permission, dialogue)
    # Lock the row so two officials cannot move the same dialogue at once.
    locked = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    transition = lifecycle.TRANSITIONS[name]
    note = note.strip()
    missing = lifecycle.transition_blockers(locked, name)
    if not missing and transition.needs_reason and not note:
        missing = [_("Skriv varför. Skälet visas i dialogens historik.")]
    overridden = lifecycle.overridable_blockers(locked, name) if not missing else []
    if overridden and not (override and note):
        missing = [
            *overridden,
            _("Vill du ändå gå vidare: kryssa i att du avviker och skriv varför."),
        ]
        overridden = []
    if missing:
        raise DomainError(_("Det går inte att gå vidare ännu:"), code="blocked", missing=missing)
    if overridden:
        note = _("Avvikelse: %(what)s Skäl: %(why)s") % {"what": " ".join(overridden), "why": note}
    source = locked.status
    locked.status = transition.target
    locked.save(update_fields=["status", "updated_at"])
    DialogueEvent.objects.create(
        dialogue=locked, from_status=source, to_status=transition.target, actor=actor, note=note
    )
    record_audit(
        actor=actor,
        action=f"dialogue.{name}",
        obj=locked,
        summary=f"{DialogueStatus(source).label} → {DialogueStatus(transition.target).label}",
        data={"override": bool(overridden)} if overridden else None,
    )
    notices.dialogue_moved(dialogue=locked, source=source, actor=actor, note=note)
    lifecycle.arrived(locked)
    dialogue.status = locked.status
    return locked
