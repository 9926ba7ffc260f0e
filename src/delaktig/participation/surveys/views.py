"""Thin views: parse, authorise, call an action, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delaktig.core.exceptions import DomainError
from delaktig.core.parsing import parse_int
from delaktig.participation import eligibility, feedback_optin
from delaktig.participation.identity import participant_key
from delaktig.participation.models import Activity
from delaktig.participation.surveys import actions, importing, selectors
from delaktig.participation.surveys import stats as survey_stats
from delaktig.participation.surveys.forms import (
    AnswerForm,
    ImportUploadForm,
    QuestionForm,
    SurveySettingsForm,
    raw_from_post,
)
from delaktig.participation.surveys.models import (
    DEMOGRAPHIC_KEYS,
    DEMOGRAPHIC_LABELS,
    QuestionKind,
    ResponseStatus,
    Survey,
    SurveyImport,
)

if TYPE_CHECKING:
    from delaktig.accounts.models import User

MAX_RAW_VALUE = 20_000


def _context(activity: Activity, **extra: Any) -> dict[str, Any]:
    return {
        "activity": activity,
        "dialogue": activity.dialogue,
        "simple": activity.for_children,
        **extra,
    }


def _step(request: HttpRequest, default: int) -> int:
    value = request.POST.get("sida") or request.GET.get("sida")
    step = parse_int(value, minimum=1)
    return step if step is not None else default


def _cap(raw: dict[str, Any]) -> dict[str, Any]:
    """Drafts keep what was typed, but never unbounded amounts of it."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, list):
            out[key] = [str(v)[:200] for v in value[:100]]
        else:
            out[key] = str(value)[:MAX_RAW_VALUE]
    return out


# --- Residents --------------------------------------------------------------------------


def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.public_survey_activity(activity_id)
    survey, questions = selectors.public_survey(activity)
    if survey is None:
        raise Http404(_("Enkäten är inte klar ännu."))
    response = selectors.response_for_session(request, survey)
    refusal = eligibility.refusal(request, activity)
    if response is None and refusal is None and getattr(request.user, "is_authenticated", False):
        response = survey.responses.filter(
            participant_key=participant_key(request, activity)
        ).first()
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        return render(request, "surveys/thanks.html", _context(activity, survey=survey))
    if refusal is not None:
        return render(
            request,
            "surveys/refused.html",
            _context(activity, survey=survey, refusal=refusal),
            status=403,
        )
    pages = selectors.page_numbers(survey, questions)
    final_step = 1 if survey.one_page else len(pages) + 1
    draft = response.draft if response else {}
    step = min(_step(request, response.page if response else 1), final_step)

    if request.method == "POST":
        submitting = request.POST.get("action", "next") not in ("save", "prev")
        if response is None and survey.one_page and submitting:
            return _submit_at_once(request, activity, survey, questions)
        return _post(request, activity, survey, questions, response, step, final_step)

    form = _step_form(survey, questions, step, final_step, draft, initial=draft)
    return _render_step(request, activity, survey, form, step, final_step, response)


def _step_questions(
    survey: Survey, questions: list[Any], step: int, final_step: int, draft: dict
) -> list:
    if survey.one_page:
        return questions
    if step >= final_step:
        return []
    return selectors.questions_on_step(survey, questions, step, draft)


def _step_form(
    survey: Survey,
    questions: list[Any],
    step: int,
    final_step: int,
    draft: dict[str, Any],
    *,
    data: Any = None,
    initial: dict[str, Any] | None = None,
) -> AnswerForm:
    return AnswerForm(
        data=data,
        initial=initial,
        questions=_step_questions(survey, questions, step, final_step, draft),
        simple=survey.activity.for_children,
        ask_demographics=survey.ask_demographics and step >= final_step,
        districts=survey.districts,
    )


def _render_step(
    request: HttpRequest,
    activity: Activity,
    survey: Survey,
    form: AnswerForm,
    step: int,
    final_step: int,
    response: Any,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "surveys/answer.html",
        _context(
            activity,
            survey=survey,
            form=form,
            blocks=form.blocks(),
            step=step,
            final_step=final_step,
            is_final=step >= final_step,
            response=response,
        ),
        status=status,
    )


# One transaction for the whole step: the response, its draft and, on the last step, the
# answers and the contribution are stored together or not at all, with one commit (each
# commit waits for the disk) instead of three.
@transaction.atomic
def _post(
    request: HttpRequest,
    activity: Activity,
    survey: Survey,
    questions: list[Any],
    response: Any,
    step: int,
    final_step: int,
) -> HttpResponse:
    action = request.POST.get("action", "next")
    draft = response.draft if response else {}
    step_questions = _step_questions(survey, questions, step, final_step, draft)
    ask_demo = survey.ask_demographics and step >= final_step
    raw = _cap(raw_from_post(step_questions, request.POST, ask_demo))
    if response is None:
        response = actions.start_response(
            survey=survey,
            participant_key=participant_key(request, activity),
            author=request.user,
        )
        if response.status == ResponseStatus.SUBMITTED:
            return render(request, "surveys/thanks.html", _context(activity, survey=survey))
    request.session[f"survey_{survey.pk}"] = response.resume_token

    if action == "save":
        response = actions.save_draft(response=response, raw=raw, page=step)
        resume_url = request.build_absolute_uri(
            reverse(
                "surveys:resume",
                kwargs={"activity_id": activity.pk, "token": response.resume_token},
            )
        )
        return render(
            request, "surveys/saved.html", _context(activity, survey=survey, resume_url=resume_url)
        )
    if action == "prev":
        response = actions.save_draft(response=response, raw=raw, page=step)
        target = selectors.next_step(survey, questions, step, response.draft, -1)
        return redirect(f"{reverse('surveys:activity', args=[activity.pk])}?sida={target}")

    form = _step_form(survey, questions, step, final_step, draft, data=request.POST)
    if not form.is_valid():
        return _render_step(request, activity, survey, form, step, final_step, response, 400)
    response = actions.save_draft(response=response, raw=raw, page=step)
    if step < final_step:
        target = selectors.next_step(survey, questions, step, response.draft, +1)
        actions.save_draft(response=response, raw={}, page=target)
        return redirect(f"{reverse('surveys:activity', args=[activity.pk])}?sida={target}")

    # Final step: validate everything shown and submit.
    try:
        opt_in = feedback_optin.read(request)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _render_step(request, activity, survey, form, step, final_step, response, 400)
    check, problem = _final_check(
        request, activity, survey, questions, response.draft, final_step, response
    )
    if problem is not None:
        return problem
    consent, demographics = form.demographics()
    actions.submit_response(
        response=response, answers=check.answers, consent=consent, demographics=demographics
    )
    feedback_optin.keep(opt_in, activity=activity, request=request)
    return redirect("surveys:activity", activity_id=activity.pk)


def _final_check(
    request: HttpRequest,
    activity: Activity,
    survey: Survey,
    questions: list[Any],
    draft: dict[str, Any],
    final_step: int,
    response: Any,
) -> tuple[Any, HttpResponse | None]:
    """Before a submission: every shown answer valid, and the person still allowed (rate
    limit included). The final answers, and the page that says what is wrong, if anything."""
    check = selectors.final_answers(survey, questions, draft)
    if check.error_step is not None:
        bad_form = _step_form(
            survey, questions, check.error_step, final_step, draft, data=_qd(draft)
        )
        bad_form.is_valid()
        return check, _render_step(
            request, activity, survey, bad_form, check.error_step, final_step, response, 400
        )
    refusal = eligibility.refusal(request, activity)
    if refusal is not None:
        return check, render(
            request,
            "surveys/refused.html",
            _context(activity, survey=survey, refusal=refusal),
            status=403 if refusal.code != "rate_limit" else 429,
        )
    return check, None


def _submit_at_once(
    request: HttpRequest, activity: Activity, survey: Survey, questions: list[Any]
) -> HttpResponse:
    """A one-page survey sent on the first visit: nothing to resume, so no draft is
    written first (actions.submit_at_once); the same checks as the last step of `_post`."""
    form = _step_form(survey, questions, 1, 1, {}, data=request.POST)
    if not form.is_valid():
        return _render_step(request, activity, survey, form, 1, 1, None, 400)
    try:
        opt_in = feedback_optin.read(request)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _render_step(request, activity, survey, form, 1, 1, None, 400)
    raw = _cap(raw_from_post(questions, request.POST, survey.ask_demographics))
    check, problem = _final_check(request, activity, survey, questions, raw, 1, None)
    if problem is not None:
        return problem
    consent, demographics = form.demographics()
    response, _new = actions.submit_at_once(
        survey=survey,
        questions=questions,
        participant_key=participant_key(request, activity),
        author=request.user,
        answers=check.answers,
        consent=consent,
        demographics=demographics,
    )
    feedback_optin.keep(opt_in, activity=activity, request=request)
    request.session[f"survey_{survey.pk}"] = response.resume_token
    return redirect("surveys:activity", activity_id=activity.pk)


def _qd(raw: dict[str, Any]) -> Any:
    from delaktig.participation.surveys.forms import _as_querydict

    return _as_querydict(raw)


def resume(request: HttpRequest, activity_id: int, token: str) -> HttpResponse:
    activity = selectors.public_survey_activity(activity_id)
    survey, _questions = selectors.public_survey(activity)
    if survey is None:
        raise Http404
    response = survey.responses.filter(resume_token=token).first()
    if response is None:
        raise Http404(_("Länken för att fortsätta gäller inte."))
    request.session[f"survey_{survey.pk}"] = response.resume_token
    return redirect(f"{reverse('surveys:activity', args=[activity.pk])}?sida={response.page}")


# --- Officials --------------------------------------------------------------------------


def _official(request: HttpRequest, activity_id: int, perm: str) -> Activity:
    activity = selectors.survey_activity(activity_id)
    if not request.user.has_perm(perm, activity):
        raise PermissionDenied(_("Du har inte behörighet att göra detta."))
    return activity


def manage(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _official(request, activity_id, "surveys.manage_survey")
    survey = selectors.survey_for(activity)
    status = 200
    settings_form = SurveySettingsForm(instance=survey) if survey else None
    question_form = QuestionForm(survey=survey) if survey else None
    if request.method == "POST":
        what = request.POST.get("action")
        try:
            if what == "create":
                actions.ensure_survey(activity=activity, actor=request.user)
                messages.success(request, _("Enkäten är skapad. Lägg till frågor."))
                return redirect("surveys:manage", activity_id=activity.pk)
            if survey is None:
                raise Http404
            if what == "settings":
                settings_form = SurveySettingsForm(
                    request.POST, instance=Survey.objects.get(pk=survey.pk)
                )
                if settings_form.is_valid():
                    data = {k: settings_form.cleaned_data[k] for k in settings_form.Meta.fields}
                    actions.update_survey_settings(
                        survey=survey,
                        actor=request.user,
                        districts=settings_form.districts(),
                        **data,
                    )
                    messages.success(request, _("Inställningarna är sparade."))
                    return redirect("surveys:manage", activity_id=activity.pk)
                status = 400
            elif what == "add":
                question_form = QuestionForm(request.POST, survey=survey)
                if question_form.is_valid():
                    actions.add_question(
                        survey=survey, actor=request.user, **_question_fields(survey, question_form)
                    )
                    messages.success(request, _("Frågan är tillagd."))
                    return redirect("surveys:manage", activity_id=activity.pk)
                status = 400
        except DomainError as exc:
            messages.error(request, exc.message)
            status = 400
    return render(
        request,
        "surveys/manage.html",
        _context(
            activity,
            survey=survey,
            questions=selectors.questions_of(survey) if survey else [],
            settings_form=settings_form,
            form=question_form,
        ),
        status=status,
    )


def _question_fields(survey: Survey, form: QuestionForm) -> dict[str, Any]:
    d = form.cleaned_data
    parent = (
        survey.questions.filter(pk=cast(str, d.get("condition_question"))).first()
        if d.get("condition_question")
        else None
    )
    return {
        "kind": d["kind"],
        "label": d["label"],
        "simple_label": d.get("simple_label", ""),
        "help_text": d.get("help_text", ""),
        "required": d.get("required", False),
        "options": d["options"],
        "matrix_rows": d["matrix_rows"],
        "scale_min": d.get("scale_min") or 1,
        "scale_max": d.get("scale_max") or 5,
        "scale_min_label": d.get("scale_min_label", ""),
        "scale_max_label": d.get("scale_max_label", ""),
        "max_length": d.get("max_length") or 2000,
        "page": d.get("page") or 1,
        "condition_question": parent,
        "condition_options": d["condition_numbers"] if parent else [],
    }


def question_edit(request: HttpRequest, activity_id: int, question_id: int) -> HttpResponse:
    activity = _official(request, activity_id, "surveys.manage_survey")
    survey = get_object_or_404(Survey, activity=activity)
    question = get_object_or_404(survey.questions, pk=question_id)
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST, survey=survey, exclude_id=question.pk)
        if form.is_valid():
            try:
                actions.update_question(
                    question=question, actor=request.user, **_question_fields(survey, form)
                )
                messages.success(request, _("Frågan är ändrad."))
                return redirect("surveys:manage", activity_id=activity.pk)
            except DomainError as exc:
                form.add_error(None, exc.message)
        status = 400
    else:
        shown_options = question.condition_options
        if question.condition_question and question.condition_question.kind != QuestionKind.SCALE:
            shown_options = [int(v) + 1 for v in question.condition_options]
        form = QuestionForm(
            survey=survey,
            exclude_id=question.pk,
            initial={
                "kind": question.kind,
                "label": question.label,
                "simple_label": question.simple_label,
                "help_text": question.help_text,
                "required": question.required,
                "options_text": "\n".join(str(o) for o in question.options),
                "matrix_rows_text": "\n".join(str(r) for r in question.matrix_rows),
                "scale_min": question.scale_min,
                "scale_max": question.scale_max,
                "scale_min_label": question.scale_min_label,
                "scale_max_label": question.scale_max_label,
                "max_length": question.max_length,
                "page": question.page,
                "condition_question": question.condition_question_id or "",
                "condition_options_text": ", ".join(str(v) for v in shown_options),
            },
        )
    return render(
        request,
        "surveys/question_edit.html",
        _context(activity, survey=survey, question=question, form=form),
        status=status,
    )


@require_POST
def question_delete(request: HttpRequest, activity_id: int, question_id: int) -> HttpResponse:
    activity = _official(request, activity_id, "surveys.manage_survey")
    survey = get_object_or_404(Survey, activity=activity)
    question = get_object_or_404(survey.questions, pk=question_id)
    try:
        actions.delete_question(question=question, actor=request.user)
        messages.success(request, _("Frågan är borttagen."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:manage", activity_id=activity.pk)


def paper(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _official(request, activity_id, "surveys.enter_paper_answers")
    survey = get_object_or_404(Survey, activity=activity)
    questions = selectors.questions_of(survey)
    status = 200
    error = ""

    def make(data: Any = None) -> AnswerForm:
        return AnswerForm(
            data=data,
            questions=questions,
            enforce_required=False,
            ask_demographics=True,
            districts=survey.districts,
        )

    form = make()
    if request.method == "POST":
        form = make(request.POST)
        if form.is_valid():
            consent, demographics = form.demographics()
            try:
                opt_in = feedback_optin.read(request, official=True)
                response = actions.enter_paper_response(
                    survey=survey,
                    actor=request.user,
                    answers=form.answers(),
                    consent=consent,
                    demographics=demographics,
                    reference=request.POST.get("reference", "").strip()[:100],
                )
                feedback_optin.keep(
                    opt_in, activity=activity, entered_by=request.user, given_with=response
                )
                messages.success(
                    request,
                    _("Blanketten är inmatad (svar nr %(id)d).") % {"id": response.pk},
                )
                return redirect("surveys:paper", activity_id=activity.pk)
            except DomainError as exc:
                error = exc.message
        status = 400
    return render(
        request,
        "surveys/paper.html",
        _context(activity, survey=survey, form=form, blocks=form.blocks(), error=error),
        status=status,
    )


def import_upload(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _official(request, activity_id, "surveys.import_answers")
    survey = get_object_or_404(Survey, activity=activity)
    form = ImportUploadForm()
    problems: list[str] = []
    error = ""
    status = 200
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                importing.read_table(upload.name, content)
            except importing.ImportFileError as exc:
                error, problems = exc.message, exc.problems
            else:
                pending = SurveyImport.objects.create(
                    survey=survey,
                    created_by=cast("User", request.user),  # _official() checked perms
                    filename=upload.name[:255],
                    content=content,
                )
                return redirect("surveys:import_map", activity_id=activity.pk, import_id=pending.pk)
        status = 400
    return render(
        request,
        "surveys/import_upload.html",
        _context(activity, survey=survey, form=form, error=error, problems=problems),
        status=status,
    )


def _targets(survey: Survey) -> list[tuple[str, str]]:
    targets = [("ignore", _("Importera inte")), ("id", _("Svarets id i källan"))]
    targets += [(f"demo:{k}", _("Bakgrund: %s") % DEMOGRAPHIC_LABELS[k]) for k in DEMOGRAPHIC_KEYS]
    for kind in importing.NEW_KINDS:
        targets.append((f"new:{kind}", _("Ny fråga: %s") % QuestionKind(kind).label))
    for q in survey.questions.all():
        if q.kind not in (QuestionKind.RANKING, QuestionKind.MATRIX):
            targets.append((f"q:{q.pk}", _("Befintlig fråga: %s") % q.label[:80]))
    return targets


def import_map(request: HttpRequest, activity_id: int, import_id: int) -> HttpResponse:
    activity = _official(request, activity_id, "surveys.import_answers")
    survey = get_object_or_404(Survey, activity=activity)
    pending = get_object_or_404(SurveyImport, pk=import_id, survey=survey)
    if pending.imported_count is not None:
        messages.info(request, _("Filen är redan importerad."))
        return redirect("surveys:results", activity_id=activity.pk)
    table = importing.read_table(pending.filename, bytes(pending.content))
    mapping = importing.suggest_mapping(table, survey)
    missing_text = ", ".join(f"”{m}”" if m else "tom" for m in importing.DEFAULT_MISSING)
    problems: list[str] = []
    error = ""
    status = 200
    skip_invalid = False
    if request.method == "POST":
        valid_targets = {t for t, _label in _targets(survey)}
        mapping = {}
        for index in range(len(table.header)):
            target = request.POST.get(f"col_{index}", "ignore")
            mapping[index] = target if target in valid_targets else "ignore"
        skip_invalid = request.POST.get("skip_invalid") == "on"
        try:
            result = importing.import_responses(
                survey=survey,
                actor=request.user,
                table=table,
                mapping=mapping,
                skip_invalid=skip_invalid,
            )
        except importing.ImportFileError as exc:
            error, problems = exc.message, exc.problems
            status = 400
        else:
            pending.imported_count = result.created
            pending.report = {"skipped_cells": result.skipped_cells[:500]}
            pending.content = b""
            pending.save(update_fields=["imported_count", "report", "content", "updated_at"])
            messages.success(
                request,
                _("%(n)d svar är importerade. %(s)d celler räknades som ej besvarade.")
                % {"n": result.created, "s": len(result.skipped_cells)},
            )
            return redirect("surveys:results", activity_id=activity.pk)
    columns = []
    for index, header in enumerate(table.header):
        sample = [row[index] for row in table.rows[:3]]
        columns.append(
            {
                "index": index,
                "header": header,
                "target": mapping.get(index, "ignore"),
                "sample": sample,
            }
        )
    return render(
        request,
        "surveys/import_map.html",
        _context(
            activity,
            survey=survey,
            pending=pending,
            columns=columns,
            targets=_targets(survey),
            rows=len(table.rows),
            missing_text=missing_text,
            error=error,
            problems=problems,
            skip_invalid=skip_invalid,
        ),
        status=status,
    )


def results(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _official(request, activity_id, "surveys.view_results")
    survey = get_object_or_404(Survey, activity=activity)
    compilation = survey_stats.compile_survey(survey)
    charts = []
    for stats in compilation.questions:
        svg = survey_stats.svg_bar_chart(stats.rows, stats.label) if stats.rows else ""
        charts.append({"stats": stats, "svg": svg})
    by = request.GET.get("by", "age_band")
    if by not in DEMOGRAPHIC_KEYS:
        by = "age_band"
    crosstab = None
    crosstab_error = ""
    question_id = parse_int(request.GET.get("fraga"))
    if question_id is not None:
        question = get_object_or_404(survey.questions, pk=question_id)
        try:
            crosstab = survey_stats.cross_tab(survey, question, by=by)
        except DomainError as exc:
            crosstab_error = exc.message
    tabulable = [
        q
        for q in survey.questions.all()
        if q.kind not in (QuestionKind.TEXT, QuestionKind.MATRIX, QuestionKind.RANKING)
    ]
    return render(
        request,
        "surveys/results.html",
        _context(
            activity,
            survey=survey,
            compilation=compilation,
            charts=charts,
            crosstab=crosstab,
            crosstab_error=crosstab_error,
            by=by,
            by_choices=[(k, DEMOGRAPHIC_LABELS[k]) for k in DEMOGRAPHIC_KEYS],
            tabulable=tabulable,
            question_id=question_id,
        ),
    )
