"""Thin views: parse, authorise, call an action, render."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from delaktig.core.exceptions import DomainError, NotAllowed
from delaktig.followup import actions, forms, handbook, selectors
from delaktig.followup.models import OrganiserEvaluation, ParticipantEvaluation
from delaktig.governance.models import Dialogue
from delaktig.governance.selectors import public_dialogues
from delaktig.governance.states import Feature, allows
from delaktig.organisation.models import Body
from delaktig.participation.identity import participant_key
from delaktig.participation.models import Activity
from delaktig.participation.selectors import took_part
from delaktig.reports.render import render_pdf


def _municipality(request: HttpRequest) -> Any:
    municipality = request.municipality  # type: ignore[attr-defined]
    if not municipality:
        raise Http404(_("Ingen kommun är konfigurerad."))
    return municipality


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404(_("Året finns inte."))
    return year


# --- Participants' evaluation (public, anonymous) --------------------------------------------


def _dialogue_key(request: HttpRequest, dialogue: Dialogue) -> str:
    """The same participant key as the person's contributions in this dialogue."""
    return participant_key(request, cast(Activity, SimpleNamespace(dialogue_id=dialogue.pk)))


def participant_evaluation(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = get_object_or_404(public_dialogues(), slug=slug)
    is_open = allows(dialogue, Feature.PARTICIPANT_EVALUATION_OPEN)
    key = _dialogue_key(request, dialogue)
    already = ParticipantEvaluation.objects.filter(dialogue=dialogue, participant_key=key).exists()
    participant = took_part(dialogue, key)
    form = forms.ParticipantEvaluationForm()
    status = 200
    if request.method == "POST" and is_open and not already and participant:
        form = forms.ParticipantEvaluationForm(request.POST)
        if form.is_valid():
            try:
                actions.submit_participant_evaluation(
                    dialogue=dialogue, participant_key=key, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error.message)
                status = 403 if error.code == "not_participant" else 400
            else:
                return render(request, "followup/evaluation_thanks.html", {"dialogue": dialogue})
        else:
            status = 400
    elif request.method == "POST":
        status = 403 if is_open and not already else 400
    return render(
        request,
        "followup/participant_evaluation.html",
        {
            "dialogue": dialogue,
            "form": form,
            "is_open": is_open,
            "already": already,
            "participant": participant,
            "not_a_participant": actions.NOT_A_PARTICIPANT,
        },
        status=status,
    )


# --- Organisers' evaluation (back office) -----------------------------------------------------


@login_required
def organiser_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = get_object_or_404(Dialogue.objects.select_related("municipality"), pk=pk)
    if not request.user.has_perm("followup.evaluate_dialogue", dialogue):
        raise PermissionDenied
    groups = dialogue.target_groups.count()
    existing = OrganiserEvaluation.objects.filter(dialogue=dialogue).first()
    status = 200
    if request.method == "POST":
        form = forms.OrganiserEvaluationForm(request.POST, groups=groups)
        if form.is_valid():
            try:
                actions.save_organiser_evaluation(
                    actor=request.user, dialogue=dialogue, **form.cleaned_data
                )
            except NotAllowed as exc:
                raise PermissionDenied from exc
            except DomainError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, _("Utvärderingen är sparad."))
                return redirect("followup:organiser_evaluation", pk=pk)
        else:
            status = 400
    else:
        form = forms.OrganiserEvaluationForm(
            groups=groups,
            initial={
                f: getattr(existing, f)
                for f in (
                    "what_worked",
                    "what_to_improve",
                    "reach",
                    "target_groups_reached",
                    "effects_on_decision",
                )
            }
            if existing
            else None,
        )
    answers = ParticipantEvaluation.objects.filter(dialogue=dialogue)
    return render(
        request,
        "followup/organiser_evaluation.html",
        {
            "dialogue": dialogue,
            "form": form,
            "is_open": allows(dialogue, Feature.ORGANISER_EVALUATION_OPEN),
            "answers": answers.count(),
            "comments": [a.comment for a in answers if a.comment.strip()],
        },
        status=status,
    )


# --- Reports (public: the municipality's own accounts of its dialogues) ------------------------


def index(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    return render(
        request,
        "followup/index.html",
        {
            "years": selectors.years_with_dialogues(municipality),
            "bodies": Body.objects.filter(municipality=municipality).order_by("kind", "name"),
            "this_year": timezone.localdate().year,
        },
    )


def municipality_report(request: HttpRequest, year: int) -> HttpResponse:
    municipality = _municipality(request)
    data = selectors.report_data(municipality, _year(year))
    return render(request, "followup/report.html", {"data": data, "year": year, "body": None})


def annual_report(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    municipality = _municipality(request)
    body = get_object_or_404(Body, pk=body_id, municipality=municipality)
    data = selectors.report_data(municipality, _year(year), body)
    return render(request, "followup/report.html", {"data": data, "year": year, "body": body})


def _pdf(data: dict[str, Any], template: str, filename: str) -> HttpResponse:
    pdf = render_pdf(template, data)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def municipality_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    municipality = _municipality(request)
    data = selectors.report_data(municipality, _year(year))
    return _pdf(data, "municipality_report.typ", f"medborgardialog-{year}")


def annual_report_pdf(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    municipality = _municipality(request)
    body = get_object_or_404(Body, pk=body_id, municipality=municipality)
    data = selectors.report_data(municipality, _year(year), body)
    return _pdf(data, "annual_report.typ", f"medborgardialog-{year}-{slugify(body.name)}")


# --- Handbook --------------------------------------------------------------------------------


def handbook_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "followup/handbook.html",
        {"steps": handbook.handbook_by_step(), "policies": handbook.POLICIES},
    )
