"""Actions: answer rows per kind, conditions, submit idempotency, paper entry, builder rules."""

from __future__ import annotations

from typing import Any

import pytest

from delaktig.core.exceptions import DomainError
from delaktig.core.models import AuditEvent
from delaktig.participation.models import Contribution
from delaktig.participation.surveys import actions
from delaktig.participation.surveys.models import (
    Answer,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseStatus,
)

pytestmark = pytest.mark.django_db


def full_answers(q: dict[str, Any]) -> dict[int, Any]:
    return {
        q["visit"].pk: 0,
        q["like"].pk: [0, 2],
        q["often"].pk: 4,
        q["age"].pk: 12.5,
        q["rank"].pk: [2, 1, 3],
        q["matrix"].pk: [0, 1],
        q["text"].pk: "Fler bänkar i skuggan, tack.",
    }


def test_every_kind_is_stored_in_aggregatable_columns(qs: dict[str, Any]) -> None:
    response = actions.start_response(survey=qs["survey"], participant_key="p1")
    response, new = actions.submit_response(
        response=response,
        answers=full_answers(qs),
        consent=True,
        demographics={"age_band": "25-34", "gender": "kvinna", "district": "Centrum"},
    )
    assert new is True
    rows = {
        (a.question_id, a.item): (a.option, a.number, a.text)
        for a in Answer.objects.filter(response=response)
    }
    assert rows[(qs["visit"].pk, 0)] == (0, None, "")
    assert rows[(qs["like"].pk, 0)] == (0, None, "")
    assert rows[(qs["like"].pk, 2)] == (2, None, "")
    assert (qs["like"].pk, 1) not in rows
    assert rows[(qs["often"].pk, 0)] == (4, 4.0, "")
    assert rows[(qs["age"].pk, 0)] == (None, 12.5, "")
    assert rows[(qs["rank"].pk, 0)] == (0, 2.0, "")
    assert rows[(qs["rank"].pk, 1)] == (1, 1.0, "")
    assert rows[(qs["rank"].pk, 2)] == (2, 3.0, "")
    assert rows[(qs["matrix"].pk, 0)] == (0, None, "")
    assert rows[(qs["matrix"].pk, 1)] == (1, None, "")
    assert rows[(qs["text"].pk, 0)] == (None, None, "Fler bänkar i skuggan, tack.")
    assert len(rows) == 11

    contribution = Contribution.objects.get()
    assert contribution.kind == "answer"
    assert contribution.text == "Fler bänkar i skuggan, tack."
    assert contribution.data["demographics"] == {
        "age_band": "25-34",
        "gender": "kvinna",
        "district": "Centrum",
    }
    assert contribution.source_type == "surveys.Response"
    assert contribution.source_id == str(response.pk)
    assert response.contribution_id == contribution.pk
    assert response.status == ResponseStatus.SUBMITTED


def test_double_submit_creates_one_contribution(qs: dict[str, Any]) -> None:
    response = actions.start_response(survey=qs["survey"], participant_key="p1")
    actions.submit_response(
        response=response, answers=full_answers(qs), consent=False, demographics={}
    )
    again, new = actions.submit_response(
        response=response, answers=full_answers(qs), consent=False, demographics={}
    )
    assert new is False
    assert Contribution.objects.count() == 1
    assert Answer.objects.filter(question=qs["visit"]).count() == 1
    # The same participant key gets the same (submitted) response back.
    assert actions.start_response(survey=qs["survey"], participant_key="p1").pk == response.pk


def test_demographics_only_kept_with_consent(qs: dict[str, Any]) -> None:
    response = actions.start_response(survey=qs["survey"], participant_key="p2")
    response, _ = actions.submit_response(
        response=response,
        answers={qs["visit"].pk: 1},
        consent=False,
        demographics={"age_band": "25-34"},
    )
    assert response.demographics == {}
    assert "demographics" not in Contribution.objects.get().data


def test_answers_to_questions_not_shown_are_dropped(qs: dict[str, Any]) -> None:
    answers = full_answers(qs)
    answers[qs["visit"].pk] = 1  # "Nej": the scale question is not shown
    response = actions.start_response(survey=qs["survey"], participant_key="p3")
    actions.submit_response(response=response, answers=answers, consent=False, demographics={})
    assert not Answer.objects.filter(question=qs["often"]).exists()
    assert Answer.objects.filter(question=qs["age"]).exists()


def test_paper_entry_is_audited_with_channel_and_entered_by(
    qs: dict[str, Any], people: dict[str, Any]
) -> None:
    official = people["official"]
    response = actions.enter_paper_response(
        survey=qs["survey"],
        actor=official,
        answers={qs["visit"].pk: 0, qs["text"].pk: "Skrivet på papper"},
        consent=True,
        demographics={"age_band": "65-74"},
        reference="B-17",
    )
    assert response.channel == ResponseChannel.PAPER
    assert response.entered_by == official
    contribution = Contribution.objects.get()
    assert contribution.channel == "paper"
    assert contribution.entered_by == official
    assert contribution.text == "Skrivet på papper"
    actions_logged = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"survey.paper_entered", "contribution.entered"} <= actions_logged
    with pytest.raises(DomainError) as exc:
        actions.enter_paper_response(
            survey=qs["survey"],
            actor=official,
            answers={qs["visit"].pk: 1},
            consent=False,
            demographics={},
            reference="B-17",
        )
    assert "redan inmatad" in exc.value.message
    assert Response.objects.filter(channel=ResponseChannel.PAPER).count() == 1


def test_empty_paper_form_refused(qs: dict[str, Any], people: dict[str, Any]) -> None:
    with pytest.raises(DomainError):
        actions.enter_paper_response(
            survey=qs["survey"],
            actor=people["official"],
            answers={},
            consent=False,
            demographics={},
        )
    assert not Response.objects.exists()


def test_condition_must_point_back_to_a_choice_question(
    qs: dict[str, Any], people: dict[str, Any]
) -> None:
    survey, official = qs["survey"], people["official"]
    with pytest.raises(DomainError, match="flervals- eller skalfrågor"):
        actions.add_question(
            survey=survey,
            actor=official,
            kind=QuestionKind.TEXT,
            label="x",
            page=4,
            condition_question=qs["text"],
            condition_options=[1],
        )
    with pytest.raises(DomainError, match="finns"):
        actions.add_question(
            survey=survey,
            actor=official,
            kind=QuestionKind.TEXT,
            label="x",
            page=4,
            condition_question=qs["visit"],
            condition_options=[7],
        )
    # A condition on a LATER question is refused.
    with pytest.raises(DomainError, match="före"):
        actions.update_question(
            question=qs["visit"],
            actor=official,
            condition_question=qs["like"],
            condition_options=[1],
        )


def test_questions_with_answers_keep_their_kind_and_cannot_be_deleted(
    qs: dict[str, Any], people: dict[str, Any]
) -> None:
    response = actions.start_response(survey=qs["survey"], participant_key="p9")
    actions.submit_response(
        response=response, answers=full_answers(qs), consent=False, demographics={}
    )
    with pytest.raises(DomainError):
        actions.delete_question(question=qs["visit"], actor=people["official"])
    with pytest.raises(DomainError):
        actions.update_question(question=qs["visit"], actor=people["official"], kind="text")
    # Adding an option is fine.
    actions.update_question(
        question=qs["visit"], actor=people["official"], options=["Ja", "Nej", "Ibland"]
    )


def test_submit_at_once_writes_a_submitted_response_and_takes_over_an_earlier_draft(
    qs: dict[str, Any],
) -> None:
    questions = list(qs["survey"].questions.all())

    def send(key: str) -> tuple[Response, bool]:
        return actions.submit_at_once(
            survey=qs["survey"],
            questions=questions,
            participant_key=key,
            author=None,
            answers=full_answers(qs),
            consent=False,
            demographics={},
        )

    response, new = send("p1")
    assert new is True
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED and response.draft == {}
    assert response.contribution is not None
    assert response.contribution.source_id == str(response.pk)
    assert Answer.objects.filter(response=response, question=qs["visit"]).count() == 1

    # A participant with a draft from another tab: that draft is the one submitted.
    draft = actions.start_response(survey=qs["survey"], participant_key="p2")
    submitted, new = send("p2")
    assert (submitted.pk, new) == (draft.pk, True)
    again, new = send("p2")  # sent again: counted once
    assert (again.pk, new) == (draft.pk, False)
    assert Response.objects.count() == 2
    assert Contribution.objects.count() == 2
