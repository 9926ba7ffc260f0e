"""The resident's journey through a survey, over HTTP, without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from delaktig.participation.models import Contribution
from delaktig.participation.surveys import actions
from delaktig.participation.surveys.models import Answer, Response, ResponseStatus

from .conftest import build_survey

pytestmark = pytest.mark.django_db


def url(activity: Any) -> str:
    return reverse("surveys:activity", kwargs={"activity_id": activity.pk})


def page1(qs: dict[str, Any], visit: str = "0", **extra: Any) -> dict[str, Any]:
    return {"sida": "1", "action": "next", f"q{qs['visit'].pk}": visit, **extra}


def test_influence_level_and_input_use_come_before_the_first_question(
    client: Client, activity: Any, qs: dict[str, Any]
) -> None:
    html = client.get(url(activity)).content.decode()
    influence = html.index("Så mycket kan du påverka")
    input_use = html.index("lämnas till samhällsbyggnadsnämnden")
    first_question = html.index("Besöker du parken?")
    assert influence < input_use < first_question
    assert "Konsultation" in html


def test_page_by_page_with_server_side_condition(
    client: Client, activity: Any, qs: dict[str, Any]
) -> None:
    # "Nej" on page 1: page 2 shows the number question but NOT the conditional scale.
    r = client.post(url(activity), page1(qs, visit="1"))
    assert r.status_code == 302 and r["Location"].endswith("?sida=2")
    html = client.get(r["Location"]).content.decode()
    assert "Hur många minuter" in html
    assert "Hur trivs du i parken?" not in html
    # Back to page 1, answer "Ja": the scale question appears on page 2.
    client.post(url(activity), {"sida": "2", "action": "prev"})
    r = client.post(url(activity), page1(qs, visit="0"))
    html = client.get(r["Location"]).content.decode()
    assert "Hur trivs du i parken?" in html


def test_full_journey_submits_once(client: Client, activity: Any, qs: dict[str, Any]) -> None:
    q = qs
    client.post(url(activity), page1(q, **{f"q{q['like'].pk}": ["0", "1"]}))
    r = client.post(
        url(activity),
        {"sida": "2", "action": "next", f"q{q['often'].pk}": "5", f"q{q['age'].pk}": "7,5"},
    )
    assert r["Location"].endswith("?sida=3")
    r = client.post(
        url(activity),
        {
            "sida": "3",
            "action": "next",
            f"q{q['rank'].pk}_r0": "1",
            f"q{q['rank'].pk}_r1": "3",
            f"q{q['rank'].pk}_r2": "2",
            f"q{q['matrix'].pk}_m0": "0",
            f"q{q['matrix'].pk}_m1": "1",
            f"q{q['text'].pk}": "Mer skugga",
        },
    )
    assert r["Location"].endswith("?sida=4")
    final = client.get(r["Location"]).content.decode()
    assert "Om dig (frivilligt)" in final
    submit = {
        "sida": "4",
        "action": "submit",
        "demo_consent": "on",
        "demo_age_band": "35-44",
        "demo_gender": "annat",
        "demo_district": "Centrum",
    }
    r = client.post(url(activity), submit)
    assert r.status_code == 302
    assert "Tack för dina svar" in client.get(url(activity)).content.decode()
    response = Response.objects.get()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.demographics == {"age_band": "35-44", "gender": "annat", "district": "Centrum"}
    assert Answer.objects.get(question=q["age"]).number == 7.5
    assert Answer.objects.get(question=q["often"]).number == 5
    # Submitting again (double click, back button) changes nothing.
    r = client.post(url(activity), submit)
    assert r.status_code in (200, 302)
    assert Contribution.objects.count() == 1
    assert Contribution.objects.get().text == "Mer skugga"
    assert Answer.objects.filter(question=q["visit"]).count() == 1


def test_required_question_gives_swedish_error_summary_and_400(
    client: Client, activity: Any, qs: dict[str, Any]
) -> None:
    r = client.post(url(activity), {"sida": "1", "action": "next"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "error-summary" in html
    assert "Något behöver rättas" in html
    assert "Svara på frågan." in html
    assert f'href="#fraga-{qs["visit"].pk}"' in html
    assert not Answer.objects.exists()


def test_ranking_places_must_be_unique(client: Client, activity: Any, qs: dict[str, Any]) -> None:
    client.post(url(activity), page1(qs, visit="1"))
    client.post(url(activity), {"sida": "2", "action": "next"})
    r = client.post(
        url(activity),
        {"sida": "3", "action": "next", f"q{qs['rank'].pk}_r0": "1", f"q{qs['rank'].pk}_r1": "1"},
    )
    assert r.status_code == 400
    assert "Varje plats får bara användas en gång." in r.content.decode()


def test_over_long_text_refused_and_nothing_saved(
    client: Client, activity: Any, qs: dict[str, Any]
) -> None:
    client.post(url(activity), page1(qs, visit="1"))
    client.post(url(activity), {"sida": "2", "action": "next"})
    r = client.post(url(activity), {"sida": "3", "action": "next", f"q{qs['text'].pk}": "x" * 201})
    assert r.status_code == 400
    assert "Skriv högst 200 tecken (du skrev 201)." in r.content.decode()
    assert not Answer.objects.exists()
    assert "x" * 201 not in str(Response.objects.get().draft)
    # Jumping to the last step and submitting does not smuggle the text in either.
    r = client.post(url(activity), {"sida": "4", "action": "submit"})
    assert r.status_code == 302
    assert not Answer.objects.filter(question=qs["text"]).exists()
    assert Contribution.objects.get().text == ""


def test_one_page_mode_shows_all_questions_and_ignores_unshown_answers(
    client: Client, activity: Any, people: dict[str, Any]
) -> None:
    q = build_survey(activity, people["official"], one_page=True)
    html = client.get(url(activity)).content.decode()
    assert "Hur trivs du i parken?" in html and "Rangordna förslagen" in html
    assert "Visas för den som svarade Ja" in html
    r = client.post(
        url(activity),
        {
            "sida": "1",
            "action": "submit",
            f"q{q['visit'].pk}": "1",  # Nej: the scale (required when shown) is not shown
            f"q{q['often'].pk}": "3",
        },
    )
    assert r.status_code == 302
    assert not Answer.objects.filter(question=q["often"]).exists()
    assert Contribution.objects.count() == 1


def test_required_conditional_question_enforced_when_shown(
    client: Client, activity: Any, people: dict[str, Any]
) -> None:
    q = build_survey(activity, people["official"], one_page=True)
    r = client.post(url(activity), {"sida": "1", "action": "submit", f"q{q['visit'].pk}": "0"})
    assert r.status_code == 400
    assert not Contribution.objects.exists()


def test_save_and_resume_on_another_device(
    client: Client, activity: Any, qs: dict[str, Any]
) -> None:
    r = client.post(
        url(activity), page1(qs, visit="0", action="save", **{f"q{qs['like'].pk}": ["2"]})
    )
    assert r.status_code == 200
    html = r.content.decode()
    response = Response.objects.get()
    resume = reverse(
        "surveys:resume", kwargs={"activity_id": activity.pk, "token": response.resume_token}
    )
    assert resume in html
    assert response.status == ResponseStatus.DRAFT
    assert not Contribution.objects.exists()

    other = Client()
    r = other.get(resume)
    assert r.status_code == 302
    html = other.get(r["Location"]).content.decode()
    # The saved answers are filled in again.
    like = qs["like"].pk
    assert re.search(rf'name="q{like}" value="2"[^>]*checked', html)
    assert not re.search(rf'name="q{like}" value="1"[^>]*checked', html)
    r = other.post(url(activity), page1(qs, visit="1", **{f"q{like}": ["2"]}))
    assert r.status_code == 302
    other.post(url(activity), {"sida": "2", "action": "next"})
    other.post(url(activity), {"sida": "3", "action": "next"})
    r = other.post(url(activity), {"sida": "4", "action": "submit"})
    assert r.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert Contribution.objects.count() == 1
    assert not Answer.objects.filter(question=qs["often"]).exists()
    assert Answer.objects.get(question=qs["like"]).option == 2


def test_unknown_resume_token_is_404(client: Client, activity: Any, qs: dict[str, Any]) -> None:
    r = client.get(reverse("surveys:resume", kwargs={"activity_id": activity.pk, "token": "nej"}))
    assert r.status_code == 404


def test_script_in_answers_and_labels_is_escaped(
    client: Client, activity: Any, qs: dict[str, Any], people: dict[str, Any]
) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    actions.update_question(question=qs["like"], actor=people["official"], label=evil)
    html = client.get(url(activity)).content.decode()
    assert evil not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    response = actions.start_response(survey=qs["survey"], participant_key="k")
    actions.submit_response(
        response=response,
        answers={qs["visit"].pk: 1, qs["text"].pk: evil},
        consent=True,
        demographics={"district": evil},
    )
    official = Client()
    official.force_login(people["official"])
    html = official.get(
        reverse("surveys:results", kwargs={"activity_id": activity.pk})
    ).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_closed_activity_refused(client: Client, activity: Any, qs: dict[str, Any]) -> None:
    activity.dialogue.status = "compiling"
    activity.dialogue.save()
    r = client.get(url(activity))
    assert r.status_code == 403
    html = r.content.decode()
    assert "inte öppen för deltagande" in html
    assert html.index("Så mycket kan du påverka") < html.index("inte öppen")
    r = client.post(url(activity), page1(qs))
    assert r.status_code == 403
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("level", "who", "verified", "expected"),
    [
        ("email", "anonymous", None, 403),
        ("email", "resident", None, 403),
        ("email", "resident", "email", 200),
        ("eid", "resident", "email", 403),
        ("eid", "resident", "eid", 200),
        ("anonymous", "anonymous", None, 200),
    ],
)
def test_identity_level_matrix(
    client: Client,
    activity: Any,
    qs: dict[str, Any],
    people: dict[str, Any],
    verify: Any,
    level: str,
    who: str,
    verified: str | None,
    expected: int,
) -> None:
    activity.identity_level = level
    activity.save()
    user = people[who]
    if user is not None:
        if verified:
            verify(user, verified)
        client.force_login(user)
    r = client.get(url(activity))
    assert r.status_code == expected
    r = client.post(url(activity), page1(qs))
    assert (r.status_code == 403) == (expected == 403)
    assert Response.objects.exists() == (expected == 200)


def test_children_get_simple_language(client: Client, activity: Any, qs: dict[str, Any]) -> None:
    activity.for_children = True
    activity.simple_description = "Vi vill veta vad du tycker om parken."
    activity.save()
    client.post(url(activity), page1(qs, visit="1"))
    client.post(url(activity), {"sida": "2", "action": "next"})
    html = client.get(url(activity) + "?sida=3").content.decode()
    assert "Vill du säga något mer?" in html
    assert "Något mer du vill säga?" not in html
    assert "Det här kan du påverka" in html
    first = Client().get(url(activity)).content.decode()
    assert "Vi vill veta vad du tycker om parken." in first


def test_english_interface(client: Client, activity: Any, qs: dict[str, Any]) -> None:
    html = client.get(url(activity), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How much you can influence" in html
    assert "Save and continue later" in html


def test_one_page_survey_sent_twice_is_one_response_without_a_draft_first(
    client: Client, activity: Any, people: dict[str, Any]
) -> None:
    q = build_survey(activity, people["official"], one_page=True)
    answer = {
        "sida": "1",
        "action": "submit",
        f"q{q['visit'].pk}": "1",
        f"q{q['often'].pk}": "3",
    }
    first = client.post(url(activity), answer)
    assert first.status_code == 302
    response = Response.objects.get()
    assert response.status == ResponseStatus.SUBMITTED and response.draft == {}
    again = client.post(url(activity), answer)  # a double click, or a resend
    assert again.status_code == 200
    assert "Tack" in again.content.decode()
    assert Response.objects.count() == 1
    assert Contribution.objects.count() == 1


def test_officials_changes_reach_residents_at_once(
    client: Client, activity: Any, people: dict[str, Any]
) -> None:
    """The resident's side reads the activity, the survey and its questions from the
    public cache; an official's save moves the cache on."""
    q = build_survey(activity, people["official"], one_page=True)
    assert "Besöker du parken?" in client.get(url(activity)).content.decode()
    q["visit"].label = "Går du till parken?"
    q["visit"].save()
    assert "Går du till parken?" in client.get(url(activity)).content.decode()
    activity.closes_at = activity.opens_at or timezone.now()
    activity.save()
    refused = client.post(
        url(activity), {"sida": "1", "action": "submit", f"q{q['visit'].pk}": "0"}
    )
    assert refused.status_code == 403
    assert not Response.objects.exists()
