"""Thin views for medborgarbudget: parse, authorise, call an action, render.

The ballot works without JavaScript: "Uppdatera" re-renders the ballot with the
remaining budget recomputed on the server; "Skicka rösten" casts it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from delaktig.core.exceptions import DomainError
from delaktig.participation import eligibility, feedback_optin
from delaktig.participation.identity import participant_key, school_session_for
from delaktig.participation.models import Activity, Method
from delaktig.participation.selectors import public_activity

from . import actions, forms, selectors
from .models import Budget, Phase, Project, ProjectStatus

DUPLICATE_STATUS = 409


def _activity(activity_id: int) -> Activity:
    return public_activity(activity_id, Method.BUDGET)


def _budget(activity: Activity) -> Budget | None:
    return Budget.objects.filter(activity=activity).prefetch_related("caps").first()


def demographics_for(user: Any) -> dict[str, str]:
    """Age band, gender and district when the person has given them (and consented)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    from delaktig.accounts.models import Demographics, age_band_for_birth_year

    data: dict[str, str] = {}
    band = age_band_for_birth_year(user.birth_year)
    if band:
        data["age_band"] = str(band)
    extra = Demographics.objects.filter(user=user).first()
    if extra is not None:
        for name in ("gender", "district", "occupation"):
            if getattr(extra, name):
                data[name] = getattr(extra, name)
    return data


def ballot_rows(budget: Budget, projects: list[Project], form: forms.BallotForm | None) -> list:
    """One row per project for the template: its field name, value and checked state."""
    data = form.data if form is not None and form.is_bound else None
    picked = (
        set(data.getlist("projekt")) if data is not None and hasattr(data, "getlist") else set()
    )
    prefix = "poang" if budget.ballot_type == "cumulative" else "rang"
    rows = []
    for p in projects:
        rows.append(
            {
                "project": p,
                "cost_text": selectors.kr(p.cost or 0),
                "checked": str(p.pk) in picked,
                "field": f"{prefix}-{p.pk}",
                "value": data.get(f"{prefix}-{p.pk}", "") if data is not None else "",
                "rank_options": range(1, (budget.max_choices or len(projects)) + 1),
            }
        )
    return rows


def _ballot_context(budget: Budget, form: forms.BallotForm | None) -> dict[str, Any]:
    projects = selectors.ballot_projects(budget)
    summary = None
    if form is not None and form.is_bound and form.is_valid():
        summary = selectors.ballot_summary(budget, form.choices())
    return {
        "form": form,
        "rows": ballot_rows(budget, projects, form),
        "summary": summary,
        "total_text": selectors.kr(budget.total),
    }


def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The resident's entry page: frame, projects, and the ballot while voting is open."""
    act = _activity(activity_id)
    budget = _budget(act)
    refusal = eligibility.refusal(request, act, permission="budgets.participate")
    context: dict[str, Any] = {
        "activity": act,
        "dialogue": act.dialogue,
        "budget": budget,
        "refusal": refusal,
        "can_manage": request.user.has_perm("budgets.manage", act),
        "voted": False,
    }
    status = 200
    if budget is None:
        return render(request, "budgets/activity.html", context)
    context["caps"] = list(budget.caps.all())
    context["proposals"] = list(budget.projects.all()) if budget.phase != Phase.VOTING else []
    voting = budget.phase == Phase.VOTING and refusal is None
    key = participant_key(request, act) if voting else ""
    if voting and selectors.has_voted(budget, key):
        context["voted"] = True
        voting = False
    form = None
    if voting:
        projects = selectors.ballot_projects(budget)
        if request.method == "POST":
            form = forms.BallotForm(request.POST, budget=budget, projects=projects)
            if not form.is_valid():
                status = 400
            elif request.POST.get("action") == "skicka":
                try:
                    actions.validate_choices(budget, form.choices())
                    opt_in = feedback_optin.read(request)
                    actions.cast_ballot(
                        budget=budget,
                        user=request.user,
                        participant_key=key,
                        choices=form.choices(),
                        district=form.cleaned_data.get("omrade", ""),
                        demographics=demographics_for(request.user),
                    )
                    feedback_optin.keep(opt_in, activity=act, request=request)
                except DomainError as exc:
                    form.add_error(None, exc.message)
                    status = DUPLICATE_STATUS if exc.code == "duplicate" else 400
                else:
                    messages.success(
                        request, _("Tack! Din röst är registrerad. Du kan bara rösta en gång.")
                    )
                    return redirect("budgets:activity", activity_id=act.pk)
            else:
                # "Uppdatera": recompute and show what is left, save nothing.
                try:
                    actions.validate_choices(budget, form.choices())
                except DomainError as exc:
                    if form.choices():
                        form.add_error(None, exc.message)
        else:
            form = forms.BallotForm(budget=budget, projects=projects)
        context.update(_ballot_context(budget, form))
    else:
        if budget.phase == Phase.VOTING:
            context["proposals"] = selectors.ballot_projects(budget)
        if request.method == "POST":
            status = (
                403 if refusal is not None or budget.phase != Phase.VOTING else DUPLICATE_STATUS
            )
    return render(request, "budgets/activity.html", context, status=status)


def propose(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    budget = _budget(act)
    if budget is None:
        return redirect("budgets:activity", activity_id=act.pk)
    refusal: eligibility.Refusal | DomainError | None = eligibility.refusal(
        request, act, permission="budgets.participate"
    )
    if budget.phase != Phase.PROPOSALS:
        refusal = refusal or DomainError(_("Det går inte att lämna förslag just nu."))
    status = 200
    if request.method == "POST" and refusal is None:
        form = forms.ProposalForm(request.POST, budget=budget)
        if form.is_valid():
            data = form.cleaned_data
            try:
                opt_in = feedback_optin.read(request)
                actions.propose_project(
                    budget=budget,
                    user=request.user,
                    participant_key=participant_key(request, act),
                    school=school_session_for(request, act),
                    title=data["title"],
                    description=data["description"],
                    district=data.get("district", ""),
                    proposed_cost=data.get("proposed_cost"),
                    submission_key=data.get("submission_key") or "",
                )
                feedback_optin.keep(opt_in, activity=act, request=request)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 403
            else:
                messages.success(
                    request,
                    _(
                        "Tack för ditt förslag! Kommunen granskar det och berättar "
                        "vad den kommer fram till."
                    ),
                )
                return redirect("budgets:activity", activity_id=act.pk)
        else:
            status = 400
    else:
        form = forms.ProposalForm(
            budget=budget, initial={"submission_key": forms.new_submission_key()}
        )
        if request.method == "POST":
            status = 403
    return render(
        request,
        "budgets/propose.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "budget": budget,
            "form": form if refusal is None else None,
            "refusal": refusal,
        },
        status=status,
    )


def result(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    budget = _budget(act)
    if budget is None or not budget.is_counted:
        return render(
            request,
            "budgets/result.html",
            {"activity": act, "dialogue": act.dialogue, "budget": budget, "rows": []},
        )
    rows = selectors.explain(budget)
    spent = sum(
        (cast(Decimal, p.cost) for p in budget.projects.filter(status=ProjectStatus.FUNDED)),
        start=0,
    )
    return render(
        request,
        "budgets/result.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "budget": budget,
            "rows": rows,
            "funded": [r for r in rows if r["selected"]],
            "not_funded": [r for r in rows if not r["selected"]],
            "rule_text": selectors.rule_explanation(budget),
            "tie_text": selectors.tie_explanation(budget),
            "warnings": budget.result.get("warnings", []),
            "total_text": selectors.kr(budget.total),
            "spent_text": selectors.kr(spent),
            "ballots": budget.ballots.count(),
            "rejected": budget.projects.filter(status=ProjectStatus.INFEASIBLE),
        },
    )


def _require(request: HttpRequest, perm: str, act: Activity) -> None:
    if not request.user.has_perm(perm, act):
        raise PermissionDenied


def manage(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    _require(request, "budgets.manage", act)
    budget = _budget(act)
    status = 200
    budget_form = forms.BudgetForm(instance=budget)
    phase_form = forms.PhaseForm(initial={"phase": budget.phase if budget else ""})
    import_form = forms.ImportForm()
    error = ""
    if request.method == "POST":
        what = request.POST.get("action")
        try:
            if what == "ramar":
                budget_form = forms.BudgetForm(request.POST, instance=budget)
                if budget_form.is_valid():
                    fields = {k: budget_form.cleaned_data[k] for k in forms.BudgetForm.Meta.fields}
                    if budget is None:
                        actions.create_budget(activity=act, by=request.user, **fields)
                    else:
                        actions.update_budget(budget=budget, by=request.user, **fields)
                    messages.success(request, _("Budgetens ramar är sparade."))
                    return redirect("budgets:manage", activity_id=act.pk)
                status = 400
            elif budget is None:
                raise DomainError(_("Spara budgetens ramar först."))
            elif what == "skede":
                phase_form = forms.PhaseForm(request.POST)
                if phase_form.is_valid():
                    actions.set_phase(
                        budget=budget, by=request.user, phase=phase_form.cleaned_data["phase"]
                    )
                    messages.success(request, _("Skedet är ändrat."))
                    return redirect("budgets:manage", activity_id=act.pk)
                status = 400
            elif what == "rakna":
                _require(request, "budgets.count", act)
                actions.count_votes(budget=budget, by=request.user)
                messages.success(request, _("Rösterna är räknade. Resultatet är publicerat."))
                return redirect("budgets:result", activity_id=act.pk)
            elif what == "importera":
                import_form = forms.ImportForm(request.POST, request.FILES)
                if import_form.is_valid():
                    from .pabulib import PabulibError

                    try:
                        counts = actions.import_pabulib(
                            budget=budget, text=import_form.cleaned_data["file"], by=request.user
                        )
                    except PabulibError as exc:
                        import_form.add_error("file", str(exc))
                        status = 400
                    else:
                        messages.success(
                            request,
                            _("Importerade %(projects)s projekt och %(ballots)s röster.") % counts,
                        )
                        return redirect("budgets:manage", activity_id=act.pk)
                else:
                    status = 400
            else:
                status = 400
                error = _("Okänd åtgärd.")
        except DomainError as exc:
            error = exc.message
            status = 409
    return render(
        request,
        "budgets/manage.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "budget": budget,
            "form": budget_form,
            "phase_form": phase_form,
            "import_form": import_form,
            "error": error,
            "projects": list(budget.projects.all()) if budget else [],
            "ballots": budget.ballots.count() if budget else 0,
            "paper_ballots": budget.ballots.filter(channel="paper").count() if budget else 0,
        },
        status=status,
    )


def review(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.select_related("budget__activity__dialogue"), pk=project_id
    )
    act = project.budget.activity
    _require(request, "budgets.review_project", act)
    status = 200
    if request.method == "POST":
        form = forms.ReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data.get("category"):
                    project.category = data["category"]
                    project.save(update_fields=["category"])
                actions.review_project(
                    project=project,
                    by=request.user,
                    feasible=data["feasible"],
                    reason=data["reason"],
                    cost=data.get("cost"),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("Granskningen är sparad."))
                return redirect("budgets:manage", activity_id=act.pk)
        else:
            status = 400
    else:
        form = forms.ReviewForm(
            initial={
                "cost": project.cost or project.proposed_cost,
                "reason": project.review_reason,
                "category": project.category,
            }
        )
    return render(
        request,
        "budgets/review.html",
        {"activity": act, "dialogue": act.dialogue, "project": project, "form": form},
        status=status,
    )


def paper(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    _require(request, "budgets.enter_paper_ballot", act)
    budget = _budget(act)
    if budget is None:
        return redirect("budgets:manage", activity_id=act.pk)
    projects = selectors.ballot_projects(budget)
    status = 200
    if request.method == "POST":
        form = forms.PaperBallotForm(request.POST, budget=budget, projects=projects)
        if form.is_valid():
            try:
                opt_in = feedback_optin.read(request, official=True)
                ballot = actions.enter_paper_ballot(
                    budget=budget,
                    by=request.user,
                    paper_number=form.cleaned_data["nummer"],
                    choices=form.choices(),
                    district=form.cleaned_data.get("omrade", ""),
                )
                feedback_optin.keep(
                    opt_in, activity=act, entered_by=request.user, given_with=ballot
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = DUPLICATE_STATUS if exc.code == "duplicate" else 400
            else:
                messages.success(
                    request,
                    _("Röstsedel %(n)s är inmatad.") % {"n": form.cleaned_data["nummer"]},
                )
                return redirect("budgets:paper", activity_id=act.pk)
        else:
            status = 400
    else:
        form = forms.PaperBallotForm(budget=budget, projects=projects)
    return render(
        request,
        "budgets/paper.html",
        {
            "activity": act,
            "dialogue": act.dialogue,
            "budget": budget,
            **_ballot_context(budget, form),
        },
        status=status,
    )


def export(request: HttpRequest, activity_id: int) -> HttpResponse:
    act = _activity(activity_id)
    budget = _budget(act)
    if budget is None:
        raise PermissionDenied
    # Ballots are anonymous in the file; still, only officials get it before the count.
    if not budget.is_counted:
        _require(request, "budgets.manage", act)
    response = HttpResponse(
        selectors.export_pabulib(budget), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="medborgarbudget-{act.pk}.pb"'
    return response
