"""Every write in the survey app: typed, keyword-only, atomic, audited for officials."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delaktig.core import statements
from delaktig.core.actions import record_audit
from delaktig.core.exceptions import DomainError
from delaktig.participation.actions import new_contribution, record_contribution
from delaktig.participation.models import Activity, Channel, Contribution, ContributionKind, Method
from delaktig.participation.surveys.models import (
    DEMOGRAPHIC_KEYS,
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
)

QUESTION_FIELDS = {
    "kind",
    "label",
    "simple_label",
    "help_text",
    "required",
    "options",
    "matrix_rows",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
    "number_min",
    "number_max",
    "max_length",
    "page",
    "condition_question",
    "condition_options",
    "import_column",
}


# --- Officials: building the survey ---------------------------------------------------


@transaction.atomic
def ensure_survey(*, activity: Activity, actor: Any = None, **fields: Any) -> Survey:
    if activity.method != Method.SURVEY:
        raise DomainError(_("Aktiviteten är inte en enkät."))
    survey, created = Survey.objects.get_or_create(activity=activity, defaults=fields)
    if created and actor is not None:
        record_audit(actor=actor, action="survey.created", obj=survey, summary=activity.title)
    return survey


@transaction.atomic
def update_survey_settings(*, survey: Survey, actor: Any, **fields: Any) -> Survey:
    allowed = {"intro", "one_page", "ask_demographics", "districts", "thanks_text"}
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(key)
        setattr(survey, key, value)
    survey.save()
    record_audit(actor=actor, action="survey.settings_changed", obj=survey, summary=str(survey))
    return survey


def _check_condition(survey: Survey, question: Question) -> None:
    parent = question.condition_question
    if parent is None:
        question.condition_options = []
        return
    if parent.survey_id != survey.pk:
        raise DomainError(_("Villkoret måste gälla en fråga i samma enkät."))
    if parent.pk == question.pk:
        raise DomainError(_("En fråga kan inte vara villkor för sig själv."))
    if parent.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
        raise DomainError(_("Villkor kan bara bygga på flervals- eller skalfrågor."))
    if (parent.page, parent.order, parent.pk or 0) >= (
        question.page,
        question.order,
        question.pk or 10**12,
    ):
        raise DomainError(_("Villkoret måste gälla en fråga som kommer före."))
    valid = set(parent.scale_values) if parent.kind == QuestionKind.SCALE else None
    options: list[int] = []
    for value in question.condition_options:
        index = int(value)
        if parent.kind != QuestionKind.SCALE:
            # Officials type the options' numbers as shown (1-based).
            index -= 1
            if not 0 <= index < len(parent.options):
                raise DomainError(_("Villkoret hänvisar till ett svarsalternativ som inte finns."))
        elif index not in valid:  # type: ignore[operator]
            raise DomainError(_("Villkoret hänvisar till ett värde utanför skalan."))
        options.append(index)
    question.condition_options = options


@transaction.atomic
def add_question(*, survey: Survey, actor: Any, **fields: Any) -> Question:
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(", ".join(sorted(unknown)))
    last = survey.questions.order_by("-order").values_list("order", flat=True).first()
    question = Question(survey=survey, order=(last or 0) + 1, **fields)
    if question.condition_question is not None:
        _check_condition(survey, question)
    question.save()
    record_audit(actor=actor, action="survey.question_added", obj=question, summary=question.label)
    return question


@transaction.atomic
def update_question(*, question: Question, actor: Any, **fields: Any) -> Question:
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(", ".join(sorted(unknown)))
    has_answers = question.answers.exists()
    if has_answers and fields.get("kind", question.kind) != question.kind:
        raise DomainError(_("Frågan har svar och kan inte byta typ."))
    if has_answers and len(fields.get("options", question.options)) < len(question.options):
        raise DomainError(_("Frågan har svar. Du kan lägga till men inte ta bort alternativ."))
    for key, value in fields.items():
        setattr(question, key, value)
    _check_condition(question.survey, question)
    question.save()
    record_audit(
        actor=actor, action="survey.question_changed", obj=question, summary=question.label
    )
    return question


@transaction.atomic
def delete_question(*, question: Question, actor: Any) -> None:
    if question.answers.exists():
        raise DomainError(_("Frågan har svar och kan inte tas bort."))
    record_audit(
        actor=actor, action="survey.question_deleted", obj=question, summary=question.label
    )
    question.delete()


# --- Answers -------------------------------------------------------------------------


def shown_answers(questions: list[Question], answers: dict[int, Any]) -> dict[int, Any]:
    """Keep only answers to questions the person was shown (conditions in order)."""
    kept: dict[int, Any] = {}
    for q in questions:
        if q.condition_holds(kept) and q.pk in answers:
            kept[q.pk] = answers[q.pk]
    return kept


def answer_values(question: Question, value: Any) -> list[tuple[int, Any, Any, str]]:
    """(item, option, number, text) rows for one question's cleaned answer."""
    kind = question.kind
    if value is None:
        return []
    if kind == QuestionKind.SINGLE:
        return [(0, int(value), None, "")]
    if kind == QuestionKind.SCALE:
        return [(0, int(value), float(value), "")]
    if kind == QuestionKind.MULTIPLE:
        return [(int(v), int(v), None, "") for v in value]
    if kind == QuestionKind.NUMBER:
        return [(0, None, float(value), "")]
    if kind == QuestionKind.TEXT:
        return [(0, None, None, str(value))]
    if kind == QuestionKind.RANKING:
        return [(i, i, float(rank), "") for i, rank in enumerate(value) if rank]
    if kind == QuestionKind.MATRIX:
        return [(i, int(col), None, "") for i, col in enumerate(value) if col is not None]
    return []


def answer_rows(question: Question, value: Any) -> list[Answer]:
    return [
        Answer(question=question, item=item, option=option, number=number, text=text)
        for item, option, number, text in answer_values(question, value)
    ]


ANSWER_COLUMNS = ("response_id", "question_id", "item", "option", "number", "text")


def insert_answer_rows(
    rows: Iterable[Answer | tuple[Any, ...]], *, batch_size: int = 10_000
) -> int:
    """Insert answer rows with plain executemany (imports, benchmarks): no model overhead.

    Accepts unsaved `Answer` objects (with response set) or tuples in ANSWER_COLUMNS order.
    """
    qn = connection.ops.quote_name
    # Table and column names are constants of this module, quoted by the backend.
    columns = ", ".join(qn(c) for c in ANSWER_COLUMNS)
    marks = ", ".join(["%s"] * len(ANSWER_COLUMNS))
    sql = f"INSERT INTO {qn(Answer._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    count = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            if isinstance(row, Answer):
                row = (row.response_id, row.question_id, row.item, row.option, row.number, row.text)
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def clean_demographics(values: dict[str, Any]) -> dict[str, str]:
    return {
        k: str(v).strip()[:100]
        for k, v in values.items()
        if k in DEMOGRAPHIC_KEYS and str(v).strip()
    }


def _finish(
    *,
    response: Response,
    answers: dict[int, Any],
    consent: bool,
    demographics: dict[str, Any],
    entered_by: Any = None,
    contribution_channel: str = Channel.DIGITAL,
    extra_data: dict[str, Any] | None = None,
    questions: list[Question] | None = None,
    new: bool = False,
) -> Response:
    """Write the answer rows and the one Contribution of a response being submitted.
    `new`: the response is not stored yet and is written here, already submitted."""
    rows, text = _mark_submitted(response, answers, consent, demographics, questions)
    if new:
        response.save(force_insert=True)
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    contribution = record_contribution(
        **_contribution_fields(response, text, extra_data),
        channel=contribution_channel,
        entered_by=entered_by,
    )
    response.contribution = contribution
    response.save(update_fields=["contribution"] if new else None)
    return response


def _mark_submitted(
    response: Response,
    answers: dict[int, Any],
    consent: bool,
    demographics: dict[str, Any],
    questions: list[Question] | None,
) -> tuple[list[Answer], str]:
    """Set `response` submitted; its answer rows (not yet linked to it) and the text of its
    free-text answers, for the Contribution."""
    survey = response.survey
    if questions is None:
        questions = list(survey.questions.all())
    kept = shown_answers(questions, answers)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.demographics_consent = bool(consent)
    response.demographics = clean_demographics(demographics) if consent else {}
    response.draft = {}
    by_id = {q.pk: q for q in questions}
    rows = [row for qid, value in kept.items() for row in answer_rows(by_id[qid], value)]
    texts = [str(kept[q.pk]) for q in questions if q.kind == QuestionKind.TEXT and q.pk in kept]
    return rows, "\n\n".join(texts)


def _contribution_fields(
    response: Response, text: str, extra_data: dict[str, Any] | None
) -> dict[str, Any]:
    """What a submitted response's Contribution holds (a stored response: it needs the pk)."""
    data: dict[str, Any] = {"survey_id": response.survey_id, "response_id": response.pk}
    data.update(extra_data or {})
    if response.demographics:
        data["demographics"] = response.demographics
    return {
        "activity": response.survey.activity,
        "kind": ContributionKind.ANSWER,
        "text": text,
        "data": data,
        "author": response.author,
        "participant_key": response.participant_key,
        "source": response,
    }


def _insert_submitted(
    response: Response,
    answers: dict[int, Any],
    consent: bool,
    demographics: dict[str, Any],
    questions: list[Question],
) -> None:
    """`_finish(new=True)` for a digital response, inside the caller's transaction: the
    response and its Contribution point at each other, so both ids are drawn first, then
    the response, its answers and its Contribution are inserted together
    (delaktig.core.statements), on SQLite and PostgreSQL alike.

    Why not `_finish`: the ORM needs a fourth statement (the response's UPDATE to point at
    its Contribution) and compiles each; it kept 0.79 / 0.82 / 0.79 of this write's
    throughput, both in one transaction (bench/bench_write_path.py, 2026-12-03,
    docs/performance.md "One write path") — more than the 10 % that justifies a write of
    our own."""
    rows, text = _mark_submitted(response, answers, consent, demographics, questions)
    response.pk, contribution_id = statements.draw_ids(Response, Contribution)
    contribution = new_contribution(**_contribution_fields(response, text, None))
    contribution.pk = contribution_id
    response.contribution = contribution
    for row in rows:
        row.response = response
    statements.insert_together([response, contribution, *rows])


@transaction.atomic
def start_response(*, survey: Survey, participant_key: str, author: Any = None) -> Response:
    """The participant's response to this survey, created as a draft if there is none."""
    existing = Response.objects.filter(survey=survey, participant_key=participant_key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=survey,
                participant_key=participant_key,
                author=author if getattr(author, "is_authenticated", False) else None,
            )
    except IntegrityError:
        return Response.objects.get(survey=survey, participant_key=participant_key)


@transaction.atomic
def save_draft(*, response: Response, raw: dict[str, Any], page: int) -> Response:
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.status == ResponseStatus.SUBMITTED:
        return locked
    locked.draft = {**locked.draft, **raw}
    locked.page = page
    locked.save(update_fields=["draft", "page", "updated_at"])
    return locked


@transaction.atomic
def submit_response(
    *, response: Response, answers: dict[int, Any], consent: bool, demographics: dict[str, Any]
) -> tuple[Response, bool]:
    """Submit a resident's response. Returns (response, newly_submitted); a repeat is a no-op."""
    locked = (
        Response.objects.select_for_update().select_related("survey__activity").get(pk=response.pk)
    )
    if locked.status == ResponseStatus.SUBMITTED:
        return locked, False
    return (
        _finish(response=locked, answers=answers, consent=consent, demographics=demographics),
        True,
    )


def submit_at_once(
    *,
    survey: Survey,
    questions: list[Question],
    participant_key: str,
    author: Any,
    answers: dict[int, Any],
    consent: bool,
    demographics: dict[str, Any],
) -> tuple[Response, bool]:
    """A first visit that submits at once (a one-page survey): the response is written
    submitted, with its answers and its Contribution, all or nothing and without a draft
    first. If the participant already has a response (a second tab, a double
    click), that one is submitted instead, or left as it is when it already was."""
    response = Response(
        survey=survey,
        participant_key=participant_key,
        author=author if getattr(author, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            _insert_submitted(response, answers, consent, demographics, questions)
    except IntegrityError:
        existing = Response.objects.get(survey=survey, participant_key=participant_key)
        return submit_response(
            response=existing, answers=answers, consent=consent, demographics=demographics
        )
    return response, True


@transaction.atomic
def enter_paper_response(
    *,
    survey: Survey,
    actor: Any,
    answers: dict[int, Any],
    consent: bool,
    demographics: dict[str, Any],
    reference: str = "",
) -> Response:
    """An official types in a paper questionnaire (channel paper, entered_by, audited)."""
    if not answers:
        raise DomainError(_("Svarsblanketten är tom. Fyll i minst en fråga."))
    if reference:
        duplicate = survey.responses.filter(
            channel=ResponseChannel.PAPER, source_ref=reference
        ).exists()
        if duplicate:
            raise DomainError(
                _("Blankett %(ref)s är redan inmatad.") % {"ref": reference}, code="duplicate"
            )
    response = Response.objects.create(
        survey=survey,
        channel=ResponseChannel.PAPER,
        entered_by=actor,
        source_ref=reference[:100],
    )
    _finish(
        response=response,
        answers=answers,
        consent=consent,
        demographics=demographics,
        entered_by=actor,
        contribution_channel=Channel.PAPER,
    )
    record_audit(
        actor=actor,
        action="survey.paper_entered",
        obj=response,
        summary=_("Pappersenkät inmatad: %(survey)s") % {"survey": survey},
        data={"reference": reference, "answers": len(answers)},
    )
    return response
