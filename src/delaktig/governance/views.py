"""Thin views: parse, authorise, call an action, render."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delaktig.core import tabular
from delaktig.core.exceptions import DomainError, NotAllowed
from delaktig.core.models import AuditEvent
from delaktig.core.parsing import parse_int
from delaktig.core.public_cache import cached_public
from delaktig.governance import actions, forms, lifecycle, selectors
from delaktig.governance import considerations as considerations_register
from delaktig.governance.audit_labels import action_label
from delaktig.governance.models import (
    AssignmentConsideration,
    ChecklistItem,
    Decision,
    Dialogue,
    DialogueEvent,
    DialogueStatus,
    DialogueTeamMember,
)
from delaktig.governance.rules import secretary_bodies
from delaktig.governance.states import (
    PUBLIC_PATH,
    Feature,
    allows,
    public_phase,
    states_in_group,
)
from delaktig.organisation.models import Gate

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise


def _municipality(request: HttpRequest) -> Any:
    municipality = request.municipality  # type: ignore[attr-defined]
    if not municipality:
        raise Http404(_("Ingen kommun är konfigurerad."))
    return municipality


# --- Public ------------------------------------------------------------------------------


def _ended(status: str) -> Q:
    """Dialogues that ended this way, also once archived (read from their history)."""
    return Q(status=status) | Q(
        status=DialogueStatus.ARCHIVED,
        pk__in=DialogueEvent.objects.filter(to_status=status).values("dialogue_id"),
    )


REGISTER_GROUPS: dict[str, Q] = {
    "planned": Q(status__in=states_in_group("planned")),
    "open": Q(status__in=states_in_group("open")),
    # An archived dialogue that never took place is not among those carried out.
    "closed": Q(status__in=states_in_group("closed"))
    & ~_ended(DialogueStatus.REJECTED)
    & ~_ended(DialogueStatus.CANCELLED),
    "no_dialogue": _ended(DialogueStatus.REJECTED),
    "cancelled": _ended(DialogueStatus.CANCELLED),
}


# The public register and dialogue pages are rendered once per generation, language and
# day (pages say whether feedback is overdue) and served from the public cache
# (delaktig.core.public_cache): a hit needs no database and no template but the frame.


def register(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in REGISTER_GROUPS:
        status = ""
    number = request.GET.get("sida", "")
    page = parse_int(number, minimum=1)
    page_number = str(page) if page else ""

    def render_content() -> str:
        qs = selectors.public_dialogues()
        if status:
            qs = qs.filter(REGISTER_GROUPS[status])
        page = Paginator(qs.order_by("-starts_on", "-created_at"), 25).get_page(page_number)
        return render_to_string(
            "governance/register.html#content", {"page": page, "status": status}, request
        )

    content = cached_public(
        f"register:{status}:{page_number}:{get_language()}:{timezone.localdate()}",
        render_content,
    )
    return render(
        request,
        "governance/register.html",
        {"content": mark_safe(content)},  # noqa: S308 - rendered above
    )


def dialogue_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A cached page means the dialogue was public when it was rendered, and every change
    # since would have moved the generation on. A dialogue that is not public raises 404
    # inside, which is not cached.
    def render_page() -> dict[str, str]:
        dialogue = get_object_or_404(selectors.public_dialogues(), slug=slug)
        content = render_to_string(
            "governance/dialogue_detail.html#content",
            {
                "dialogue": dialogue,
                "activities": dialogue.activities.all(),
                "decisions": dialogue.decisions.select_related("body", "corrects"),
                "phases": [(p.value, p.label) for p in PUBLIC_PATH],
                "current_phase": public_phase(dialogue),
                "ended_as": lifecycle.ended_as(dialogue),
                "end_event": dialogue.events.filter(to_status__in=lifecycle.OFF_THE_PATH).last(),
            },
            request,
        )
        return {"title": dialogue.title, "content": content}

    page = cached_public(
        f"dialogue-page:{slug}:{get_language()}:{timezone.localdate()}", render_page
    )
    return render(
        request,
        "governance/dialogue_detail.html",
        {"title": page["title"], "content": mark_safe(page["content"])},  # noqa: S308 - rendered above
    )


def propose(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    if request.method == "POST":
        form = forms.InitiativeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            initiative = actions.submit_initiative(
                municipality=municipality,
                title=data["title"],
                description=data["description"],
                proposer_kind=data["proposer_kind"],
                proposer_name=data["proposer_name"],
                proposer_email=data["proposer_email"],
                proposer=request.user,
                submission_key=data["submission_key"],
            )
            return render(request, "governance/propose_thanks.html", {"initiative": initiative})
        status = 400
    else:
        form = forms.InitiativeForm(initial={"submission_key": secrets.token_hex(16)})
        status = 200
    return render(request, "governance/propose.html", {"form": form}, status=status)


# --- Back office ---------------------------------------------------------------------------


def _official(request: HttpRequest) -> None:
    if not request.user.has_perm("governance.view_dialogue_backoffice"):
        raise PermissionDenied


@login_required
def backoffice(request: HttpRequest) -> HttpResponse:
    _official(request)
    municipality = _municipality(request)
    rows = selectors.backoffice_rows(request.user, municipality)
    if request.GET.get("mina"):
        mine = set(
            DialogueTeamMember.objects.filter(user_id=cast(int, request.user.pk)).values_list(
                "dialogue_id", flat=True
            )
        )
        rows = [r for r in rows if r["dialogue"].pk in mine]
    counts = selectors.dialogues_by_status(Dialogue.objects.filter(municipality=municipality))
    return render(
        request,
        "governance/backoffice.html",
        {
            "rows": rows,
            "counts": [(DialogueStatus(s).label, n) for s, n in counts.items()],
            "overdue": [r for r in rows if r["overdue"]],
            "new_form": forms.NewDialogueForm(),
        },
    )


@login_required
@require_POST
def new_dialogue(request: HttpRequest) -> HttpResponse:
    _official(request)
    form = forms.NewDialogueForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error.as_text())
        return redirect("governance:backoffice")
    dialogue = actions.create_dialogue(
        actor=request.user,
        municipality=_municipality(request),
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
    )
    return redirect("governance:manage", pk=dialogue.pk)


def _manage_context(request: HttpRequest, dialogue: Dialogue, **bound: Any) -> dict[str, Any]:
    municipality = dialogue.municipality
    assessment = getattr(dialogue, "assessment", None)
    effort = getattr(dialogue, "information_effort", None)
    User = get_user_model()
    staff = (
        User.objects.filter(staff_roles__municipality=municipality).distinct()
        | User.objects.filter(body_memberships__body__municipality=municipality).distinct()
    )
    return {
        "dialogue": dialogue,
        "next_actions": selectors.next_actions(dialogue, request.user),
        "gate_bodies": [
            (
                Gate(g).label,
                lifecycle.deciding_body(dialogue, g),
                lifecycle.anchoring_body(dialogue, g),
            )
            for g in Gate.values
        ],
        "assessment_form": bound.get("assessment_form")
        or forms.AssessmentForm(
            initial={
                "needs_residents_knowledge": "yes"
                if assessment and assessment.needs_residents_knowledge
                else "no",
                "open_to_influence": "yes" if assessment and assessment.open_to_influence else "no",
                "benefit": assessment.benefit if assessment else "",
                "purpose": assessment.purpose if assessment else "",
            }
            if assessment
            else None
        ),
        "effort_form": bound.get("effort_form")
        or forms.InformationEffortForm(
            initial={
                "why_decided": effort.why_decided,
                "why_no_dialogue": effort.why_no_dialogue,
                "held_on": effort.held_on,
                "place": effort.place,
                "what_was_said": effort.what_was_said,
            }
            if effort
            else None
        ),
        "decision_form": bound.get("decision_form")
        or forms.DecisionForm(municipality=municipality),
        "decision_rows": [
            (
                d,
                bound.get("correction_forms", {}).get(d.pk)
                or forms.CorrectionForm(
                    prefix=f"r{d.pk}",
                    municipality=municipality,
                    initial={f: getattr(d, f) for f in forms.DECISION_FIELDS},
                ),
            )
            for d in dialogue.decisions.select_related("body", "corrects")
        ],
        "outcome_form": bound.get("outcome_form")
        or forms.OutcomeForm(
            initial={
                "final_decision_summary": dialogue.final_decision_summary,
                "influence_on_decision": dialogue.influence_on_decision,
            }
        ),
        "outcome_writable": allows(dialogue, Feature.OUTCOME_WRITABLE),
        "plan_form": bound.get("plan_form")
        or forms.PlanForm(instance=dialogue, municipality=municipality),
        "team_form": bound.get("team_form") or forms.TeamMemberForm(users=staff.distinct()),
        "target_form": bound.get("target_form") or forms.TargetGroupForm(),
        "alternative_form": bound.get("alternative_form") or forms.AlternativeForm(),
        "events": dialogue.events.select_related("actor"),
        "audit": AuditEvent.objects.for_object(dialogue)[:50],
        "error_missing": bound.get("error_missing"),
    }


def _managed(request: HttpRequest, pk: int) -> Dialogue:
    dialogue = get_object_or_404(Dialogue.objects.select_related("municipality__profile"), pk=pk)
    if not request.user.has_perm("governance.manage_dialogue", dialogue):
        raise PermissionDenied
    return dialogue


def _render_manage(
    request: HttpRequest, dialogue: Dialogue, status: int = 200, **bound: Any
) -> HttpResponse:
    return render(
        request,
        "governance/manage.html",
        _manage_context(request, dialogue, **bound),
        status=status,
    )


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_manage(request, _managed(request, pk))


def _domain_error(
    request: HttpRequest, dialogue: Dialogue, error: DomainError, **bound: Any
) -> HttpResponse:
    messages.error(request, error.message)
    return _render_manage(request, dialogue, status=400, error_missing=error.missing, **bound)


def _form_post(
    form_key: str,
    form_class: Any,
    action: Any,
    success: str | StrPromise,
    needs_municipality: bool = False,
):  # type: ignore[no-untyped-def]
    """Build a POST view that validates a form and calls one action with its data."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        dialogue = _managed(request, pk)
        kwargs = {"municipality": dialogue.municipality} if needs_municipality else {}
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            messages.error(request, _("Formuläret innehåller fel. Se markeringarna nedan."))
            return _render_manage(request, dialogue, status=400, **{form_key: form})
        try:
            action(actor=request.user, dialogue=dialogue, **form.cleaned_data)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except DomainError as error:
            return _domain_error(request, dialogue, error, **{form_key: form})
        messages.success(request, success)
        return redirect("governance:manage", pk=dialogue.pk)

    return view


record_assessment = _form_post(
    "assessment_form",
    forms.AssessmentForm,
    actions.record_assessment,
    gettext_lazy("Lämplighetsprövningen är sparad."),
)
record_information_effort = _form_post(
    "effort_form",
    forms.InformationEffortForm,
    actions.record_information_effort,
    gettext_lazy("Informationsinsatsen är dokumenterad."),
)
record_outcome = _form_post(
    "outcome_form",
    forms.OutcomeForm,
    actions.record_outcome,
    gettext_lazy("Beslutet och hur dialogen påverkade det är sparat."),
)
add_target_group = _form_post(
    "target_form",
    forms.TargetGroupForm,
    actions.add_target_group,
    gettext_lazy("Målgruppen är tillagd."),
)
add_alternative = _form_post(
    "alternative_form",
    forms.AlternativeForm,
    actions.add_alternative,
    gettext_lazy("Förslaget är tillagt."),
)


@login_required
def record_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """G5: the officials who manage the dialogue, or a committee secretary for their body."""
    dialogue = get_object_or_404(Dialogue.objects.select_related("municipality__profile"), pk=pk)
    if not request.user.has_perm("governance.record_decision", dialogue):
        raise PermissionDenied
    manager = request.user.has_perm("governance.manage_dialogue", dialogue)
    if request.method != "POST" and manager:
        return redirect(reverse("governance:manage", args=[pk]) + "#beslut")
    bodies = None if manager else secretary_bodies(request.user, dialogue)
    form = forms.DecisionForm(
        request.POST or None, municipality=dialogue.municipality, bodies=bodies
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.record_decision(actor=request.user, dialogue=dialogue, **form.cleaned_data)
            except NotAllowed as exc:
                raise PermissionDenied from exc
            except DomainError as error:
                if manager:
                    return _domain_error(request, dialogue, error, decision_form=form)
                messages.error(request, error.message)
                for problem in error.missing:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Beslutet är registrerat."))
                return redirect("governance:manage" if manager else "governance:decision", pk=pk)
        elif manager:
            messages.error(request, _("Formuläret innehåller fel. Se markeringarna nedan."))
            return _render_manage(request, dialogue, status=400, decision_form=form)
        status = 400
    return render(
        request,
        "governance/decision.html",
        {
            "dialogue": dialogue,
            "form": form,
            "decisions": dialogue.decisions.select_related("body", "corrects"),
        },
        status=status,
    )


@login_required
def my_bodies(request: HttpRequest) -> HttpResponse:
    """Elected members and secretaries: the dialogues of their bodies and dialogue groups."""
    municipality = _municipality(request)
    rows = selectors.member_dialogues(request.user, municipality)
    if not rows and not request.user.has_perm("organisation.view_member_pages"):
        raise PermissionDenied
    return render(request, "governance/my_bodies.html", {"rows": rows})


@login_required
@require_POST
def correct_decision(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    decision = get_object_or_404(Decision, pk=decision_pk, dialogue=dialogue)
    form = forms.CorrectionForm(
        request.POST, prefix=f"r{decision.pk}", municipality=dialogue.municipality
    )
    bound = {"correction_forms": {decision.pk: form}}
    if not form.is_valid():
        messages.error(request, _("Formuläret innehåller fel. Se markeringarna nedan."))
        return _render_manage(request, dialogue, status=400, **bound)
    try:
        actions.correct_decision(actor=request.user, decision=decision, **form.cleaned_data)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as error:
        return _domain_error(request, dialogue, error, **bound)
    messages.success(request, _("Rättelsen är registrerad. Det ursprungliga beslutet syns kvar."))
    return redirect("governance:manage", pk=pk)


@login_required
@require_POST
def update_plan(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    form = forms.PlanForm(
        request.POST, instance=Dialogue.objects.get(pk=pk), municipality=dialogue.municipality
    )
    if not form.is_valid():
        messages.error(request, _("Planen innehåller fel. Se markeringarna nedan."))
        return _render_manage(request, dialogue, status=400, plan_form=form)
    changes = {f: form.cleaned_data[f] for f in form.changed_data}
    try:
        actions.update_plan(actor=request.user, dialogue=dialogue, changes=changes)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except ValidationError as error:
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
        return _render_manage(request, Dialogue.objects.get(pk=pk), status=400, plan_form=form)
    except DomainError as error:
        return _domain_error(request, Dialogue.objects.get(pk=pk), error, plan_form=form)
    messages.success(request, _("Planen är sparad."))
    return redirect("governance:manage", pk=pk)


@login_required
@require_POST
def set_team_member(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    context = _manage_context(request, dialogue)
    form = forms.TeamMemberForm(request.POST, users=context["team_form"].fields["user"].queryset)
    if not form.is_valid():
        messages.error(request, _("Välj en person och en roll."))
        return _render_manage(request, dialogue, status=400, team_form=form)
    actions.set_team_member(actor=request.user, dialogue=dialogue, **form.cleaned_data)
    messages.success(request, _("Dialoggruppen är uppdaterad."))
    return redirect("governance:manage", pk=pk)


@login_required
@require_POST
def remove_team_member(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    member = get_object_or_404(DialogueTeamMember, pk=member_pk, dialogue=dialogue)
    actions.remove_team_member(actor=request.user, member=member)
    return redirect("governance:manage", pk=pk)


@login_required
@require_POST
def set_checklist_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    item = get_object_or_404(ChecklistItem, pk=item_pk, dialogue=dialogue)
    note = request.POST.get("note", "")[:5000]
    try:
        actions.set_checklist_item(
            actor=request.user, item=item, done=request.POST.get("done") == "1", note=note
        )
    except DomainError as error:
        return _domain_error(request, dialogue, error)
    return redirect("governance:manage", pk=pk)


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _managed(request, pk)
    name = request.POST.get("transition", "")
    try:
        actions.transition_dialogue(
            actor=request.user,
            dialogue=dialogue,
            name=name,
            note=request.POST.get("note", "")[:2000],
            override=request.POST.get("override") == "1",
        )
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as error:
        return _domain_error(request, dialogue, error)
    messages.success(
        request, _("Dialogen har nu status ”%(s)s”.") % {"s": DialogueStatus(dialogue.status).label}
    )
    return redirect("governance:manage", pk=pk)


def _consideration_action(request: HttpRequest, form: Any, call: Any) -> bool:
    """Run the action with the form's data; False means it refused and the form says why."""
    try:
        call(actor=request.user, **form.cleaned_data)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as error:
        form.add_error(None, error.message)
        return False
    return True


@login_required
def considerations(request: HttpRequest) -> HttpResponse:
    """G6 in the back office: the register, and a form to add an entry."""
    _official(request)
    municipality = _municipality(request)
    form = forms.ConsiderationForm(
        municipality=municipality, initial={"considered_on": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        form = forms.ConsiderationForm(request.POST, municipality=municipality)
        if form.is_valid() and _consideration_action(
            request,
            form,
            lambda **data: actions.record_consideration(municipality=municipality, **data),
        ):
            messages.success(request, _("Prövningen är registrerad."))
            return redirect("governance:considerations")
        status = 400
    return render(
        request,
        "governance/considerations.html",
        {"rows": considerations_register.for_municipality(municipality), "form": form},
        status=status,
    )


@login_required
def consideration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """G6: update an entry as the consideration moves on; its history is shown below."""
    _official(request)
    municipality = _municipality(request)
    row = get_object_or_404(AssignmentConsideration, pk=pk, municipality=municipality)
    form = forms.ConsiderationForm(instance=row, municipality=municipality)
    status = 200
    if request.method == "POST":
        form = forms.ConsiderationForm(
            request.POST,
            instance=AssignmentConsideration.objects.get(pk=pk),
            municipality=municipality,
        )
        if form.is_valid() and _consideration_action(
            request,
            form,
            lambda **data: actions.update_consideration(consideration=row, **data),
        ):
            messages.success(request, _("Prövningen är uppdaterad."))
            return redirect("governance:consideration_edit", pk=pk)
        status = 400
    return render(
        request,
        "governance/consideration_edit.html",
        {"row": row, "form": form, "history": AuditEvent.objects.for_object(row)},
        status=status,
    )


def considerations_public(request: HttpRequest) -> HttpResponse:
    """G6 for everyone: which assignments were considered, the outcome and why."""
    municipality = _municipality(request)
    return render(
        request,
        "governance/considerations_public.html",
        {
            "entries": considerations_register.entries(municipality),
            "columns": [title for title, _value in considerations_register.COLUMNS],
        },
    )


def considerations_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The public register as CSV or XLSX, with the same columns as the page."""
    municipality = _municipality(request)
    rows = considerations_register.export_rows(
        municipality, request.build_absolute_uri("/").rstrip("/")
    )
    filename = f"provade-uppdrag-{municipality.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            tabular.csv_stream(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if fmt == "xlsx":
        return FileResponse(
            tabular.write_xlsx([(_("Prövade uppdrag"), rows)]),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("organisation.view_audit_log"):
        raise PermissionDenied
    qs = AuditEvent.objects.select_related("actor")
    action = request.GET.get("atgard", "")
    if action:
        qs = qs.filter(action__startswith=action)
    page = Paginator(qs, 50).get_page(request.GET.get("sida"))
    for event in page:
        event.action_label = action_label(event.action)  # type: ignore[attr-defined]
    return render(request, "governance/audit_log.html", {"page": page, "action": action})
