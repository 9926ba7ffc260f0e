"""Reads for the survey flow: pages, which questions a person is shown, final answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404

from delaktig.core.public_cache import cached_public
from delaktig.participation.models import Activity, Method
from delaktig.participation.selectors import public_activity
from delaktig.participation.surveys.forms import AnswerForm, _as_querydict, lenient_answers
from delaktig.participation.surveys.models import Question, Response, Survey


def survey_activity(activity_id: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("dialogue", "dialogue__municipality"),
        pk=activity_id,
        method=Method.SURVEY,
    )


def survey_for(activity: Activity) -> Survey | None:
    return Survey.objects.filter(activity=activity).first()


def questions_of(survey: Survey) -> list[Question]:
    questions = list(survey.questions.select_related("condition_question").all())
    for number, q in enumerate(questions, start=1):
        q.display_number = number  # type: ignore[attr-defined]
    return questions


# The resident's side reads the survey on every step: from the public cache, which every
# save of an activity, a survey or a question moves on (delaktig.core.public_cache).


def public_survey_activity(activity_id: int) -> Activity:
    return public_activity(activity_id, Method.SURVEY)


def public_survey(activity: Activity) -> tuple[Survey | None, list[Question]]:
    """The activity's survey and its numbered questions (one cache entry for both)."""

    def read() -> tuple[Survey | None, list[Question]]:
        survey = Survey.objects.filter(activity_id=activity.pk).first()
        return (survey, questions_of(survey)) if survey is not None else (None, [])

    survey, questions = cached_public(f"survey-of:{activity.pk}", read)
    if survey is not None:
        survey.activity = activity
    return survey, questions


def page_numbers(survey: Survey, questions: list[Question]) -> list[int]:
    """The question pages in order ([1] when the survey is on one page)."""
    if survey.one_page:
        return [1]
    return sorted({q.page for q in questions}) or [1]


def questions_on_step(
    survey: Survey, questions: list[Question], step: int, draft: dict[str, Any]
) -> list[Question]:
    """Questions shown on step `step` (1-based index into the pages) given the draft.

    A condition on a question from an EARLIER page is evaluated on the server, so the
    question is simply not shown when the answer does not match. A condition on the same
    page (always the case in one-page mode) is shown with its condition as a hint; its
    answer is ignored at submission if the condition does not hold.
    """
    pages = page_numbers(survey, questions)
    if step < 1 or step > len(pages):
        return []
    if survey.one_page:
        return questions
    page = pages[step - 1]
    earlier = [q for q in questions if q.page < page]
    answers = lenient_answers(earlier, draft) if earlier else {}
    kept: dict[int, Any] = {}
    for q in earlier:
        if q.condition_holds(kept) and q.pk in answers:
            kept[q.pk] = answers[q.pk]
    shown = []
    for q in questions:
        if q.page != page:
            continue
        parent = q.condition_question
        evaluable = q.is_conditional and parent is not None and parent.page < page
        if evaluable and not q.condition_holds(kept):
            continue
        shown.append(q)
    return shown


def next_step(
    survey: Survey, questions: list[Question], step: int, draft: dict[str, Any], direction: int
) -> int:
    """The next (or previous) step that has questions to show; len(pages)+1 is the last step."""
    pages = page_numbers(survey, questions)
    final = len(pages) + 1
    candidate = step + direction
    while 1 <= candidate < final:
        if questions_on_step(survey, questions, candidate, draft):
            return candidate
        candidate += direction
    return final if direction > 0 else 1


@dataclass
class FinalCheck:
    answers: dict[int, Any]
    form: AnswerForm
    error_step: int | None


def final_answers(survey: Survey, questions: list[Question], draft: dict[str, Any]) -> FinalCheck:
    """Validate the whole draft: required questions that were shown must be answered."""
    lenient = lenient_answers(questions, draft)
    kept: dict[int, Any] = {}
    shown: list[Question] = []
    for q in questions:
        if q.condition_holds(kept):
            shown.append(q)
            if q.pk in lenient:
                kept[q.pk] = lenient[q.pk]
    form = AnswerForm(data=_as_querydict(draft), questions=shown, enforce_required=True)
    error_step = None
    if not form.is_valid():
        pages = page_numbers(survey, questions)
        bad_pages = []
        for q in shown:
            names = [n for n in form.errors if n == f"q{q.pk}" or n.startswith(f"q{q.pk}_")]
            if names:
                bad_pages.append(1 if survey.one_page else pages.index(q.page) + 1)
        error_step = min(bad_pages) if bad_pages else 1
        return FinalCheck(answers={}, form=form, error_step=error_step)
    return FinalCheck(answers=form.answers(), form=form, error_step=None)


def response_for_session(request: Any, survey: Survey) -> Response | None:
    token = request.session.get(f"survey_{survey.pk}")
    if token:
        return Response.objects.filter(survey=survey, resume_token=token).first()
    return None
