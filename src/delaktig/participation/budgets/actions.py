"""Every write in medborgarbudget: typed, keyword-only, atomic, audited for officials."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.core.permissions import require
from delaktig.participation import eligibility
from delaktig.participation.actions import record_contribution
from delaktig.participation.budgets import counting, pabulib
from delaktig.participation.budgets.models import (
    Ballot,
    BallotType,
    Budget,
    CountingRule,
    Phase,
    Project,
    ProjectStatus,
    TieBreak,
    to_fraction,
)
from delaktig.participation.budgets.selectors import (
    ballot_projects,
    instance_for,
    outcome_to_result,
)
from delaktig.participation.models import Activity, Channel, ContributionKind, Method

Choices = list[tuple[int, int]]


@transaction.atomic
def create_budget(*, activity: Activity, by: Any, total: Decimal, **fields: Any) -> Budget:
    require(by, "budgets.manage", activity)
    if activity.method != Method.BUDGET:
        raise DomainError(_("Aktiviteten är inte en medborgarbudget."))
    if Budget.objects.filter(activity=activity).exists():
        raise DomainError(_("Aktiviteten har redan en budget."))
    budget = Budget(activity=activity, total=total, **fields)
    budget.full_clean()
    budget.save()
    record_audit(actor=by, action="budget.created", obj=budget, summary=str(activity.title))
    return budget


@transaction.atomic
def update_budget(*, budget: Budget, by: Any, **fields: Any) -> Budget:
    require(by, "budgets.manage", budget.activity)
    if budget.phase == Phase.COUNTED:
        raise DomainError(_("Rösterna är redan räknade. Ramarna kan inte längre ändras."))
    for name, value in fields.items():
        setattr(budget, name, value)
    budget.full_clean()
    budget.save()
    record_audit(actor=by, action="budget.updated", obj=budget, summary=", ".join(fields))
    return budget


PHASE_ORDER = [Phase.PROPOSALS, Phase.REVIEW, Phase.VOTING, Phase.COUNTED]


@transaction.atomic
def set_phase(*, budget: Budget, by: Any, phase: str) -> Budget:
    require(by, "budgets.manage", budget.activity)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if phase == Phase.COUNTED:
        raise DomainError(_("Budgeten blir räknad när du räknar rösterna."))
    if budget.phase == Phase.COUNTED:
        raise DomainError(_("Rösterna är redan räknade."))
    if phase == Phase.VOTING:
        if not budget.projects.filter(status=ProjectStatus.FEASIBLE).exists():
            raise DomainError(_("Minst ett projekt måste vara godkänt innan omröstningen öppnar."))
        if budget.projects.filter(status=ProjectStatus.PROPOSED).exists():
            raise DomainError(_("Alla förslag måste granskas innan omröstningen öppnar."))
    if phase != Phase.VOTING and budget.ballots.exists():
        raise DomainError(_("Det finns redan röster. Omröstningen kan inte flyttas tillbaka."))
    old = budget.phase
    budget.phase = phase
    budget.save(update_fields=["phase", "updated_at"])
    record_audit(
        actor=by, action="budget.phase", obj=budget, summary=f"{old} → {phase}", data={"to": phase}
    )
    return budget


@transaction.atomic
def propose_project(
    *,
    budget: Budget,
    user: Any,
    participant_key: str,
    title: str,
    description: str,
    district: str = "",
    category: str = "",
    proposed_cost: Decimal | None = None,
    submission_key: str = "",
    school: dict[str, Any] | None = None,
) -> Project:
    """A resident proposes a project; it becomes a Contribution (kind idea)."""
    if budget.phase != Phase.PROPOSALS:
        raise DomainError(_("Det går inte att lämna förslag just nu."))
    eligibility.check(user, budget.activity, school=school)
    if submission_key:
        existing = Project.objects.filter(budget=budget, submission_key=submission_key).first()
        if existing is not None:
            return existing  # the same form sent twice
    project = Project.objects.create(
        budget=budget,
        title=title,
        description=description,
        district=district,
        category=category,
        proposed_cost=proposed_cost,
        proposed_by=user if getattr(user, "is_authenticated", False) else None,
        proposer_key=participant_key,
        submission_key=submission_key,
        order=budget.projects.count(),
    )
    record_contribution(
        activity=budget.activity,
        kind=ContributionKind.IDEA,
        text=f"{title}\n\n{description}",
        data={"budget_project": project.pk, "district": district, "category": category},
        author=user,
        participant_key=participant_key,
        source=project,
    )
    return project


@transaction.atomic
def review_project(
    *, project: Project, by: Any, feasible: bool, reason: str, cost: Decimal | None
) -> Project:
    """Officials' feasibility review, always with a reason the public can read."""
    project = Project.objects.select_for_update().select_related("budget").get(pk=project.pk)
    budget = project.budget
    require(by, "budgets.review_project", budget.activity)
    if budget.phase in (Phase.VOTING, Phase.COUNTED):
        raise DomainError(_("Projekten kan inte granskas om när omröstningen har börjat."))
    if not reason.strip():
        raise DomainError(_("Skriv en motivering. Den visas för invånarna."))
    if feasible:
        if cost is None or cost <= 0:
            raise DomainError(_("Ange vad projektet kostar enligt kommunens bedömning."))
        if budget.max_project_cost is not None and cost > budget.max_project_cost:
            raise DomainError(
                _("Projektet kostar mer än det högsta tillåtna (%(max)s kr).")
                % {"max": budget.max_project_cost}
            )
        if cost > budget.total:
            raise DomainError(_("Projektet kostar mer än hela budgeten."))
    project.status = ProjectStatus.FEASIBLE if feasible else ProjectStatus.INFEASIBLE
    project.cost = cost
    project.review_reason = reason.strip()
    project.reviewed_by = by
    project.reviewed_at = timezone.now()
    project.save()
    record_audit(
        actor=by,
        action="budget.project_reviewed",
        obj=project,
        summary=f"{project.title}: {project.get_status_display()}",
        data={"feasible": feasible, "cost": str(cost) if cost is not None else None},
    )
    return project


def validate_choices(budget: Budget, choices: Choices) -> Choices:
    """Check a ballot against the budget's ballot type; Swedish errors. Returns clean choices."""
    projects = {p.pk: p for p in ballot_projects(budget)}
    clean = [(pk, int(points)) for pk, points in choices if int(points) != 0]
    pks = [pk for pk, _ in clean]
    if any(pk not in projects for pk in pks):
        raise DomainError(_("Rösten gäller ett projekt som inte finns på röstsedeln."))
    if len(set(pks)) != len(pks):
        raise DomainError(_("Samma projekt får bara väljas en gång."))
    if any(points < 0 for _, points in clean):
        raise DomainError(_("Poäng kan inte vara negativa."))
    if not clean:
        raise DomainError(_("Välj minst ett projekt."))
    kind = budget.ballot_type
    if kind == BallotType.CHOOSE_ONE and len(clean) != 1:
        raise DomainError(_("Välj exakt ett projekt."))
    if kind in (BallotType.APPROVAL, BallotType.KNAPSACK, BallotType.CHOOSE_ONE) and any(
        points != 1 for _, points in clean
    ):
        raise DomainError(_("Varje valt projekt får en röst."))
    if (
        kind in (BallotType.APPROVAL, BallotType.RANKED)
        and budget.max_choices
        and len(clean) > budget.max_choices
    ):
        raise DomainError(
            _("Du kan välja högst %(n)s projekt. Du har valt %(k)s.")
            % {"n": budget.max_choices, "k": len(clean)}
        )
    if kind == BallotType.KNAPSACK:
        cost = sum(to_fraction(projects[pk].cost) for pk in pks)
        if cost > to_fraction(budget.total):
            raise DomainError(_("Projekten du valt kostar mer än budgeten. Ta bort något projekt."))
    if kind == BallotType.CUMULATIVE:
        used = sum(points for _, points in clean)
        if used > budget.points_total:
            raise DomainError(
                _("Du har fördelat %(used)s poäng men har bara %(total)s.")
                % {"used": used, "total": budget.points_total}
            )
    if kind == BallotType.RANKED:
        # Stored as points: first place gets the most (max_choices or the number ranked).
        top = budget.max_choices or len(clean)
        ranks = sorted(points for _, points in clean)
        if ranks != list(range(1, len(clean) + 1)):
            raise DomainError(_("Numrera projekten 1, 2, 3 … utan luckor och utan dubbletter."))
        ordered = sorted(clean, key=lambda c: c[1])
        return [(pk, top - rank + 1) for pk, rank in ordered]
    return clean


@transaction.atomic
def cast_ballot(
    *,
    budget: Budget,
    user: Any,
    participant_key: str,
    choices: Choices,
    district: str = "",
    demographics: dict[str, str] | None = None,
    school: dict[str, Any] | None = None,
) -> Ballot:
    """A resident's digital ballot. Exactly one per participant, also under parallel requests."""
    budget = Budget.objects.select_related("activity__dialogue").get(pk=budget.pk)
    if budget.phase != Phase.VOTING:
        raise DomainError(_("Omröstningen är inte öppen."), code="closed")
    eligibility.check(user, budget.activity, school=school)
    return _store_ballot(
        budget=budget,
        user=user,
        participant_key=participant_key,
        choices=choices,
        district=district,
        channel=Channel.DIGITAL,
        demographics=demographics,
    )


@transaction.atomic
def enter_paper_ballot(
    *,
    budget: Budget,
    by: Any,
    paper_number: str,
    choices: Choices,
    district: str = "",
) -> Ballot:
    """An official enters a paper ballot; its number makes entering it twice impossible."""
    budget = Budget.objects.select_related("activity__dialogue").get(pk=budget.pk)
    require(by, "budgets.enter_paper_ballot", budget.activity)
    if budget.phase != Phase.VOTING:
        raise DomainError(_("Omröstningen är inte öppen."), code="closed")
    paper_number = paper_number.strip()
    if not paper_number:
        raise DomainError(_("Ange röstsedelns nummer."))
    return _store_ballot(
        budget=budget,
        user=None,
        participant_key=f"paper:{paper_number}",
        choices=choices,
        district=district,
        channel=Channel.PAPER,
        entered_by=by,
        paper_number=paper_number,
    )


def _store_ballot(
    *,
    budget: Budget,
    user: Any,
    participant_key: str,
    choices: Choices,
    district: str,
    channel: str,
    entered_by: Any = None,
    paper_number: str = "",
    demographics: dict[str, str] | None = None,
) -> Ballot:
    if budget.district_list and district not in budget.district_list:
        raise DomainError(
            _("Den här budgeten gäller bara de som bor i: %(d)s.")
            % {"d": ", ".join(budget.district_list)},
            code="district",
        )
    clean = validate_choices(budget, choices)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                budget=budget,
                participant_key=participant_key,
                voter=user if getattr(user, "is_authenticated", False) else None,
                choices=[{"project": pk, "points": points} for pk, points in clean],
                district=district,
                channel=channel,
                entered_by=entered_by,
                paper_number=paper_number,
            )
    except IntegrityError:
        if paper_number:
            raise DomainError(
                _("Röstsedel nummer %(n)s är redan inmatad.") % {"n": paper_number},
                code="duplicate",
            ) from None
        raise DomainError(
            _("Du har redan röstat. Varje person kan rösta en gång."), code="duplicate"
        ) from None
    data: dict[str, Any] = {"budget": budget.pk, "choices": ballot.choices}
    if district:
        data["district"] = district
    if demographics:
        data["demographics"] = demographics
    record_contribution(
        activity=budget.activity,
        kind=ContributionKind.BALLOT,
        data=data,
        author=user,
        participant_key=participant_key,
        channel=channel,
        entered_by=entered_by,
        source=ballot,
    )
    return ballot


@transaction.atomic
def count_votes(*, budget: Budget, by: Any) -> Budget:
    """Count with the budget's rule, store the explained result, mark projects won/lost."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    require(by, "budgets.count", budget.activity)
    if budget.phase != Phase.VOTING:
        raise DomainError(_("Rösterna kan räknas när omröstningen pågår eller har stängt."))
    if budget.activity.is_open:
        raise DomainError(_("Omröstningen är fortfarande öppen. Räkna när den har stängt."))
    if not budget.ballots.exists():
        raise DomainError(_("Det finns inga röster att räkna."))
    try:
        outcome = counting.count(instance_for(budget), budget.rule)
    except counting.CountingError as exc:
        raise DomainError(str(exc)) from None
    budget.result = outcome_to_result(outcome)
    budget.phase = Phase.COUNTED
    budget.counted_at = timezone.now()
    budget.counted_by = by
    budget.save()
    selected = set(outcome.selected)
    for project in ballot_projects(budget):
        project.status = (
            ProjectStatus.FUNDED if project.pb_id in selected else ProjectStatus.NOT_FUNDED
        )
        project.save(update_fields=["status", "updated_at"])
    record_audit(
        actor=by,
        action="budget.counted",
        obj=budget,
        summary=_("%(n)s projekt vann") % {"n": len(outcome.selected)},
        data={
            "selected": outcome.selected,
            "rule": budget.rule,
            "tie_break": outcome.details.get("tie_break", budget.tie_break),
            "warnings": outcome.warnings,
        },
    )
    return budget


@transaction.atomic
def import_pabulib(*, budget: Budget, text: str, by: Any) -> dict[str, Any]:
    """Create projects and ballots from a `.pb` file (e.g. paper votes counted elsewhere)."""
    pb, instance = pabulib.load(text)
    if budget.ballots.exists() or budget.projects.exists():
        raise DomainError(
            _("Budgeten har redan projekt eller röster. Importera till en tom budget.")
        )
    vote_type = pb.vote_type
    expected = {
        "approval": (BallotType.APPROVAL, BallotType.KNAPSACK),
        "cumulative": (BallotType.CUMULATIVE,),
        "ordinal": (BallotType.RANKED,),
        "choose-1": (BallotType.CHOOSE_ONE,),
    }.get(vote_type, ())
    if budget.ballot_type not in expected:
        raise DomainError(
            _("Filen har röstningstypen %(t)s men budgeten har röstsedeln ”%(b)s”.")
            % {"t": vote_type, "b": budget.get_ballot_type_display()}
        )
    budget.total = (
        Decimal(str(float(instance.budget)))
        if instance.budget.denominator != 1
        else Decimal(instance.budget.numerator)
    )
    if pb.rule in CountingRule.values:
        budget.rule = pb.rule
    # The projects keep the file's order, so its official order breaks ties as in the file.
    budget.tie_break = TieBreak.FILE_ORDER
    if instance.threshold is not None:
        budget.threshold = int(instance.threshold)
    budget.save()
    pk_of: dict[str, int] = {}
    for order, p in enumerate(instance.projects):
        project = Project.objects.create(
            budget=budget,
            title=p.name[:200] or p.id,
            description=p.name,
            cost=Decimal(p.cost.numerator) / Decimal(p.cost.denominator),
            category=p.categories[0] if p.categories else "",
            status=ProjectStatus.FEASIBLE,
            external_id=p.id,
            order=order,
            reviewed_by=by,
            review_reason=_("Importerad från Pabulib-fil."),
        )
        pk_of[p.id] = project.pk
    for ballot in instance.ballots:
        scores = ballot.scores
        if vote_type == "ordinal":
            ranked = sorted(scores, key=lambda pid: -scores[pid])
            choices = [(pk_of[pid], int(scores[pid])) for pid in ranked]
        else:
            choices = [(pk_of[pid], int(points)) for pid, points in scores.items()]
        row = Ballot.objects.create(
            budget=budget,
            participant_key=f"pabulib:{ballot.voter_id}",
            choices=[{"project": pk, "points": points} for pk, points in choices],
            channel=Channel.PAPER,
            entered_by=by,
            paper_number=ballot.voter_id[:50],
        )
        record_contribution(
            activity=budget.activity,
            kind=ContributionKind.BALLOT,
            data={"budget": budget.pk, "choices": row.choices, "imported": True},
            participant_key=row.participant_key,
            channel=Channel.PAPER,
            source=row,
        )
    record_audit(
        actor=by,
        action="budget.imported",
        obj=budget,
        summary=_("%(p)s projekt och %(v)s röster")
        % {
            "p": len(instance.projects),
            "v": len(instance.ballots),
        },
        data={"warnings": instance.warnings},
    )
    return {"projects": len(instance.projects), "ballots": len(instance.ballots)}
